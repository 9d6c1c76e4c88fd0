import { availableParallelism } from 'node:os';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { parse as parseYaml } from 'yaml';
import { DeviceRegistry } from './harness/devices/registry.ts';
import { jsonSchemas } from './harness/json-schemas.ts';
import { loadRigFile } from './harness/rig/rig-loader.ts';
import { planFromRig } from './harness/rig/plan.ts';
import { FileIssuesError, formatIssues, type FileIssue } from './harness/rig/yaml-errors.ts';
import { deviceKinds } from './devices/index.ts';
import { discoverAdapters, mergeDiscovery, renderDiscovery } from './harness/bench/discover.ts';
import { loadHardwareMap, writeHardwareMap } from './harness/bench/hardware-map.ts';
import { hasSerialLinks, preflightFailure, renderPreflight, runPreflight } from './harness/bench/preflight.ts';
import { decodeDownloadFile, hasProblems } from './protocols/ddd/decode-download-file.ts';
import { downloadJson, downloadText } from './protocols/ddd/download-file-report.ts';
import { verifyDownloadFile } from './protocols/ddd/verify-download-file.ts';
import type { VerificationRoots } from './protocols/file-verification.ts';
import { fromHex } from './crypto/bytes.ts';
import { decodeCertificate } from './crypto/pki/cv-certificate.ts';
import { TestPki } from './crypto/pki/test-pki.ts';
import { scanDdd, writeDdd } from './protocols/ddd/ddd-file.ts';
import { chartInputOf } from './scenarios/reports/html/download-chart-records.ts';
import { renderDownloadHtml } from './scenarios/reports/html/render-download-html.ts';
import { cardFileOf, DEFAULT_DOWNLOAD_FORMAT, DOWNLOAD_FORMATS, downloadFromRig, fullDownloadRequests, type DownloadFormat } from './harness/download/index.ts';
import { EUROPEAN_PUBLIC_KEY_BYTES, TestPkiG1 } from './crypto/pki-g1/index.ts';
import { Rig } from './harness/rig/rig-runtime.ts';
import { servedHardwareMap } from './harness/bench/served-map.ts';
import { checkTimeScale, MAX_TIME_SCALE } from './harness/clock/index.ts';
import { DEFAULT_PROMPT_TIMEOUT_MS, OperatorPrompt } from './harness/bench/operator-prompt.ts';
import { discoverScenarioFiles, loadScenarioFile } from './scenarios/engine/loader.ts';
import { unmetRequirements, type Progress } from './scenarios/engine/runner.ts';
import { DEFAULT_RIG, DEFAULT_SCENARIO_DIRS, loadSuite, runSuite, type Suite } from './scenarios/engine/suite.ts';
import { formatDuration, parseDuration } from './scenarios/engine/duration.ts';
import { aliasScenario, scenarioSpanMs } from './scenarios/engine/bench-adapt.ts';
import { scenarioPlan } from './scenarios/engine/scope.ts';
import { checkScenarioAgainstRig } from './scenarios/engine/validate.ts';
import { progressLine, renderSummary } from './scenarios/reports/console.ts';
import { eventFaultCoverage, renderCoverage, renderCoverageMarkdown } from './scenarios/reports/coverage.ts';
import type { Scenario } from './scenarios/engine/schema.ts';
import { gitCommit } from './scenarios/reports/html/load.ts';
import { renderTraceability, traceabilityMatrix } from './scenarios/requirements/matrix.ts';
import { resolveRequirement } from './scenarios/requirements/catalogue.ts';
import { jobsFor, mustRunAlone, runSuiteInWorkers } from './scenarios/engine/parallel-suite.ts';
import { longestFirst, wallTimesOf } from './scenarios/engine/schedule.ts';
import type { Outcome } from './scenarios/engine/result.ts';
import { writeReports } from './scenarios/reports/write-reports.ts';

/**
 * Exit codes: 0 everything asked for passed; 1 the command ran and the answer is no (a scenario failed,
 * errored or was refused, nothing matched, everything was skipped, a file was refused, a download failed);
 * 2 the command was misused (an unknown option, a bad value, a path that does not exist).
 */
const EXIT = { ok: 0, failed: 1, misuse: 2 } as const;

function parseTimeScale(value: string): number {
  const k = Number(value);
  try {
    return checkTimeScale(k);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

const HARDWARE_MAP_HELP = "hardware map resolving the rig's adapter:<name> paths (instead of the rig file's hardwareMap)";

const program = new Command()
  .name('rig')
  .description('Smart-tachograph test rig: run scenarios against emulated or real equipment')
  .showHelpAfterError()
  // commander exits 1 on a usage error; here 1 means "ran and found a problem", so misuse is 2
  .exitOverride((error) => {
    throw error.exitCode === 0 ? error : new CommanderError(EXIT.misuse, error.code, error.message);
  });

program
  .command('run')
  .description('run scenarios and report')
  .argument('[paths...]', 'scenario files or directories', DEFAULT_SCENARIO_DIRS)
  .option('--rig <file>', 'rig file', DEFAULT_RIG)
  .option('--tag <tag...>', 'only scenarios with one of these tags')
  .option('--skip-tag <tag...>', 'leave out scenarios with any of these tags (e.g. long)')
  .option('--grep <text>', 'only scenarios whose id or title holds this text (any case)')
  .option('--covers <requirement...>', 'only scenarios covering one of these requirements (catalogue ids: Annex IC 79, GNS_31, EventFaultType 0x07)')
  .option('--failed', 'only the scenarios that failed or erred in the last run (its results.json in the --report directory, default reports)')
  .option('--bail', 'stop after the first scenario that fails or errs')
  .option('--jobs <n>', 'run scenarios side by side in this many worker processes, each scenario on its own rig (an all-emulated rig only; default: the number of cores, one for a single scenario or a rig with hardware)', parseInteger)
  .option('--seed <n>', 'seed for every scenario (overrides scenario and rig)', parseInteger)
  .option('--report <dir>', 'write results.json, junit.xml, one result record and one trace per scenario')
  .option('--json', 'print the result records as JSON on stdout (progress goes to stderr)')
  .option('--whole-rig', 'build every device of the rig, not only those a scenario names and what is wired to them')
  .option('--allow-skipped', 'exit 0 even when every selected scenario was skipped (the rig cannot run any of them)')
  .option('--timeout <duration>', "each scenario's wall-clock limit (e.g. 90s, 10m): past it the scenario stops, as an error", parseWallDuration)
  .option('--hardware-map <file>', HARDWARE_MAP_HELP)
  .option('--prompt', 'on an external device, a stimulus no bench actuator can do pauses the run and asks the operator (Enter when done)')
  .option('--yes', 'answer every operator prompt at once (unattended runs where the step is automated elsewhere); implies --prompt')
  .option('--prompt-timeout <duration>', 'how long an operator prompt waits for Enter before the step fails (e.g. 90s, 10m)', parseWallDuration, DEFAULT_PROMPT_TIMEOUT_MS)
  .option('--record <dir>', "record the bytes on the device under test's links, one <scenario id>.recording.jsonl per run, for a `replay` device")
  .option('--record-dut <device...>', 'with --record: the device(s) under test (default: the rig\'s external devices)')
  .action(async (paths: string[], opts: { rig: string; tag?: string[]; skipTag?: string[]; grep?: string; covers?: string[]; failed?: boolean; bail?: boolean; jobs?: number; seed?: number; report?: string; json?: boolean; wholeRig?: boolean; allowSkipped?: boolean; timeout?: number; hardwareMap?: string; prompt?: boolean; yes?: boolean; promptTimeout: number; record?: string; recordDut?: string[] }) => {
    await mustExist(paths, opts.rig, opts.hardwareMap);
    if (opts.recordDut && !opts.record) throw new InvalidArgumentError('--record-dut needs --record <dir>');
    for (const c of opts.covers ?? []) {
      const found = resolveRequirement(c);
      if ('error' in found) throw new InvalidArgumentError(`--covers: ${found.error}`);
    }
    const failed = opts.failed ? await failedLastTime(opts.report ?? 'reports') : undefined;
    if (failed?.length === 0) {
      process.stdout.write(`nothing failed in the last run (${join(opts.report ?? 'reports', 'results.json')}): nothing to run again\n`);
      return;
    }
    if (opts.jobs !== undefined && opts.jobs < 1) throw new InvalidArgumentError('--jobs: at least 1');
    const chosen = { rigFile: opts.rig, paths, tags: opts.tag, skipTags: opts.skipTag, grep: opts.grep, covers: opts.covers, ids: failed, hardwareMap: opts.hardwareMap };
    const suite = await loadSuite(chosen);
    if (suite.issues.length) process.stderr.write(`Refused:\n${formatIssues(suite.issues)}\n\n`);
    // Issue 13: on a bench, check the adapters (and the DUT's App. 7 answer) before anything runs, so a
    // missing adapter stops the run at once, named, as a rig that cannot start does.
    if (suite.scenarios.length > 0 && hasSerialLinks(suite.rig)) {
      const report = await runPreflight(suite.rig);
      if (!report.ok) {
        process.stderr.write(`${preflightFailure(report)}\n(rig bench check --rig ${opts.rig} shows every port's check)\n`);
        process.exitCode = EXIT.failed;
        return;
      }
      process.stderr.write(`pre-flight: ${report.ports.length} serial ports ok (${report.elapsedMs} ms)\n`);
    }
    // Prompts go to stderr (stdout may carry --json); with no terminal and no --yes a prompt is an error, not a hang.
    const operator = opts.prompt || opts.yes ? new OperatorPrompt({ input: process.stdin, output: process.stderr, interactive: process.stdin.isTTY === true, yes: opts.yes, timeoutMs: opts.promptTimeout }) : undefined;
    const record = opts.record ? { dir: opts.record, ...(opts.recordDut ? { dut: opts.recordDut } : {}) } : undefined;
    const runStart = performance.now();
    const runOptions = { bail: opts.bail, seed: opts.seed, reportDir: opts.report, wholeRig: opts.wholeRig, timeoutMs: opts.timeout, onProgress: progressPrinter(), ...(operator ? { operator } : {}), ...(record ? { record } : {}) };
    // Issue 17: as many workers as cores unless told, never more than scenarios; a rig with hardware runs alone,
    // said only when --jobs asked for more
    const jobs = jobsFor(opts.jobs, availableParallelism(), suite.scenarios.length);
    const alone = jobs > 1 ? mustRunAlone(suite, runOptions, chosen) : undefined;
    if (alone && opts.jobs !== undefined) process.stderr.write(`--jobs ${opts.jobs}: ${alone}; running the scenarios one at a time\n`);
    const results = jobs > 1 && !alone ? await runSuiteInWorkers(suite, chosen, runOptions, { jobs, order: await scheduleFromLastRun(suite, opts.report ?? 'reports') }) : await runSuite(suite, runOptions);
    if (opts.report) {
      const dut = suite.plan.devices.filter((d) => d.mode === 'external').map((d) => ({ device: d.name, kind: d.kind.kind }));
      const run = { wallMs: performance.now() - runStart, rigFile: opts.rig, dut, ...(await gitCommit().then((c) => (c ? { gitCommit: c } : {}))) };
      const written = await writeReports(results, opts.report, run);
      process.stderr.write(`reports: ${written.slice(0, 3).join(', ')} and ${written.length - 3} result records in ${opts.report}\n`);
    }
    if (opts.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
    (opts.json ? process.stderr : process.stdout).write(renderSummary(results, suite.refused) + '\n');
    const verdict = runVerdict(results, suite, paths, opts);
    if (verdict.message) process.stderr.write(`${verdict.message}\n`);
    process.exitCode = verdict.exit;
  });

/**
 * A run is green only when something ran and nothing went wrong: a scenario that failed or errored, a file
 * refused, no scenario selected, or every selected one skipped (unless `--allow-skipped`) each make it red.
 */
function runVerdict(
  results: readonly { outcome: string }[],
  suite: { refused: number; found: number; scenarios: unknown[] },
  paths: readonly string[],
  opts: { tag?: string[]; skipTag?: string[]; grep?: string; covers?: string[]; allowSkipped?: boolean },
): { exit: number; message?: string } {
  if (suite.scenarios.length === 0 && suite.refused === 0) {
    if (suite.found === 0) return { exit: EXIT.failed, message: `no scenarios in ${paths.join(', ')}` };
    return { exit: EXIT.failed, message: `no scenario matched ${selection(opts)} (of ${suite.found} in ${paths.join(', ')})` };
  }
  if (results.some((r) => r.outcome === 'fail' || r.outcome === 'error') || suite.refused > 0) return { exit: EXIT.failed };
  if (results.length > 0 && results.every((r) => r.outcome === 'skipped') && !opts.allowSkipped) {
    return { exit: EXIT.failed, message: 'every selected scenario was skipped: nothing was checked (--allow-skipped to accept that)' };
  }
  return { exit: EXIT.ok };
}

/**
 * The order `--jobs` hands out scenarios: longest first by the wall times of the last run in `dir` (its
 * results.json), where there is one. A results.json that cannot be read only costs the order: said, not fatal.
 */
async function scheduleFromLastRun(suite: Suite, dir: string): Promise<string[]> {
  const file = join(dir, 'results.json');
  let last = new Map<string, number>();
  if (await exists(file)) {
    try {
      last = wallTimesOf(JSON.parse(await readFile(file, 'utf8')));
    } catch (error) {
      process.stderr.write(`--jobs: the last run's ${file} is not JSON (${(error as Error).message}); scenarios go longest first by planned rig time\n`);
    }
  }
  return longestFirst(suite.scenarios.map((s) => s.scenario), last);
}

/** The ids of the scenarios that failed or erred in the run whose results.json is in `dir` (`rig run --failed`). */
async function failedLastTime(dir: string): Promise<string[]> {
  const file = join(dir, 'results.json');
  if (!(await exists(file))) throw new InvalidArgumentError(`--failed: no last run in ${dir} (${file} does not exist; run with --report ${dir} first)`);
  const results = JSON.parse(await readFile(file, 'utf8')) as { id: string; outcome: string }[];
  return results.filter((r) => r.outcome === 'fail' || r.outcome === 'error').map((r) => r.id);
}

function selection(opts: { tag?: string[]; skipTag?: string[]; grep?: string; covers?: string[] }): string {
  const parts = [
    ...(opts.tag?.length ? [`--tag ${opts.tag.join(' ')}`] : []),
    ...(opts.skipTag?.length ? [`--skip-tag ${opts.skipTag.join(' ')}`] : []),
    ...(opts.grep !== undefined ? [`--grep ${opts.grep}`] : []),
    ...(opts.covers?.length ? [`--covers ${opts.covers.join(' ')}`] : []),
  ];
  return parts.join(' ') || 'the selection';
}

/** Paths that do not exist are a usage error (exit 2), before anything is loaded. */
async function mustExist(paths: readonly string[], rigFile?: string, hardwareMap?: string): Promise<void> {
  for (const p of paths) {
    if (!(await exists(p))) throw new InvalidArgumentError(`no such scenario file or directory: ${p}`);
  }
  if (rigFile !== undefined && !(await exists(rigFile))) throw new InvalidArgumentError(`no such rig file: ${rigFile}`);
  if (hardwareMap !== undefined && !(await exists(hardwareMap))) throw new InvalidArgumentError(`no such hardware map: ${hardwareMap}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

program
  .command('list')
  .description('list scenarios with their tags and the requirements they cover; with --covers, which scenarios check each EventFaultType code')
  .argument('[paths...]', 'scenario files or directories', DEFAULT_SCENARIO_DIRS)
  .option('--tag <tag...>', 'only scenarios with one of these tags')
  .option('--skip-tag <tag...>', 'leave out scenarios with any of these tags')
  .option('--covers', "for each of the VU's EventFaultType codes, the scenarios that trigger and check it, and how many applicable codes are covered")
  .option('--rig <file>', `the rig to list for: each scenario's wall duration (a wall-clock rig) and, where it cannot run there, why; with --covers, the rig that says which devices are VUs (default ${DEFAULT_RIG})`)
  .option('--markdown', "with --covers: the applicable codes as a Markdown table (the README's)")
  .option('--json', 'as JSON')
  .option('--hardware-map <file>', HARDWARE_MAP_HELP)
  .action(async (paths: string[], opts: { tag?: string[]; skipTag?: string[]; json?: boolean; covers?: boolean; markdown?: boolean; rig?: string; hardwareMap?: string }) => {
    await mustExist(paths, opts.rig, opts.hardwareMap);
    const forRig = opts.rig && !opts.covers ? await loadRigFile(opts.rig, new DeviceRegistry(deviceKinds), { hardwareMap: opts.hardwareMap }) : undefined;
    const forPlan = forRig ? planFromRig(forRig, forRig.registry) : undefined;
    const rows: { id: string; title: string; tags: string[]; covers: string[]; file: string; wallDuration?: string; notOnRig?: string }[] = [];
    const scenarios: Scenario[] = [];
    const issues: FileIssue[] = [];
    let found = 0;
    for (const file of await discoverScenarioFiles(paths)) {
      try {
        for (const { scenario } of await loadScenarioFile(file)) {
          found++;
          if (opts.tag?.length && !scenario.tags.some((t) => opts.tag!.includes(t))) continue;
          if (opts.skipTag?.length && scenario.tags.some((t) => opts.skipTag!.includes(t))) continue;
          const row: (typeof rows)[number] = { id: scenario.id, title: scenario.title, tags: scenario.tags, covers: scenario.covers, file };
          if (forPlan) {
            const aliased = aliasScenario(scenario, forPlan.aliases ?? {});
            // regulatory waits are real on a wall clock: a bench team chooses by how long a scenario takes
            if (forPlan.clock === 'wall') row.wallDuration = formatDuration(scenarioSpanMs(scenario));
            const why = unmetRequirements(aliased, scenarioPlan(aliased, forPlan));
            if (why) row.notOnRig = why;
          }
          rows.push(row);
          scenarios.push(scenario);
        }
      } catch (error) {
        if (error instanceof FileIssuesError) issues.push(...error.issues);
        else throw error;
      }
    }
    if (opts.covers) {
      const rig = await loadRigFile(opts.rig ?? DEFAULT_RIG, new DeviceRegistry(deviceKinds), { hardwareMap: opts.hardwareMap });
      const coverage = eventFaultCoverage(scenarios, planFromRig(rig, rig.registry));
      process.stdout.write((opts.json ? JSON.stringify(coverage, null, 2) : opts.markdown ? renderCoverageMarkdown(coverage) : renderCoverage(coverage)) + '\n');
    } else if (opts.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    else {
      for (const r of rows) {
        const extra = forPlan ? `\t${r.wallDuration ?? ''}\t${r.notOnRig ? `not on ${forPlan.name}: ${r.notOnRig}` : `runs on ${forPlan.name}`}` : '';
        process.stdout.write(`${r.id}\t${r.title}\t[${r.tags.join(', ')}]\t${r.covers.join('; ')}\t${r.file}${extra}\n`);
      }
    }
    if (issues.length) {
      process.stderr.write(`Refused:\n${formatIssues(issues)}\n`);
      process.exitCode = EXIT.failed;
    }
    if (rows.length === 0 && issues.length === 0) {
      process.stderr.write(found === 0 ? `no scenarios in ${paths.join(', ')}\n` : `no scenario matched ${selection({ tag: opts.tag, skipTag: opts.skipTag })} (of ${found} in ${paths.join(', ')})\n`);
      process.exitCode = EXIT.failed;
    }
  });

program
  .command('validate')
  .description('check rig files and scenario files (scenarios against a rig) without running anything')
  .argument('<files...>', 'rig files (rigs/*.yaml) or scenario files')
  .option('--rig <file>', 'rig to check scenarios against', DEFAULT_RIG)
  .option('--hardware-map <file>', HARDWARE_MAP_HELP)
  .action(async (files: string[], opts: { rig: string; hardwareMap?: string }) => {
    await mustExist(files, opts.rig, opts.hardwareMap);
    const registry = new DeviceRegistry(deviceKinds);
    let refused = false;
    for (const file of files) {
      const issues: FileIssue[] = [];
      try {
        if (await isRigFile(file)) {
          await loadRigFile(file, registry, { hardwareMap: opts.hardwareMap });
        } else {
          const rig = await loadRigFile(opts.rig, registry, { hardwareMap: opts.hardwareMap });
          const plan = planFromRig(rig, rig.registry);
          for (const entry of await loadScenarioFile(file)) issues.push(...entry.locate(checkScenarioAgainstRig(entry.scenario, plan)));
        }
      } catch (error) {
        if (error instanceof FileIssuesError) issues.push(...error.issues);
        else issues.push({ file, line: 1, column: 1, path: [], message: (error as Error).message });
      }
      if (issues.length) {
        refused = true;
        process.stderr.write(formatIssues(issues) + '\n');
      } else {
        process.stdout.write(`ok ${file}\n`);
      }
    }
    process.exitCode = refused ? EXIT.failed : EXIT.ok;
  });

const bench = program.command('bench').description('the hardware of a bench: its USB-serial adapters and the pre-flight check (hardware/bring-up.md)');

bench
  .command('discover')
  .description('list the USB-serial adapters plugged in; with --out, write a hardware map of them (names from a map already there are kept)')
  .option('--out <file>', 'hardware map to write (merged into the one there: its names, loopback flags and comments stay)')
  .action(async (opts: { out?: string }) => {
    const found = await discoverAdapters();
    const previous = opts.out && (await exists(opts.out)) ? await loadHardwareMap(opts.out) : undefined;
    if (found.length === 0) {
      process.stderr.write('no USB-serial adapter found\n');
      process.exitCode = EXIT.failed;
      return;
    }
    const { map, rows } = await mergeDiscovery(found, previous);
    process.stdout.write(renderDiscovery(rows) + '\n');
    if (!opts.out) return;
    await writeHardwareMap(opts.out, map);
    const count = (status: string) => rows.filter((r) => r.status === status).length;
    process.stdout.write(`wrote ${opts.out}: ${map.adapters.length} adapters (${count('kept')} kept their names, ${count('new')} new, ${count('absent')} not plugged in); name them after the ports they carry (hardware/adapters.md)\n`);
  });

bench
  .command('check')
  .description("pre-flight of a bench rig's serial ports: each path present, opened at its framing, looped back where the map says a plug is fitted, the DUT answering App. 7 Start Communication")
  .option('--rig <file>', 'rig file', DEFAULT_RIG)
  .option('--hardware-map <file>', HARDWARE_MAP_HELP)
  .option('--json', 'the report as JSON')
  .action(async (opts: { rig: string; hardwareMap?: string; json?: boolean }) => {
    await mustExist([], opts.rig, opts.hardwareMap);
    const rig = await loadRigFile(opts.rig, new DeviceRegistry(deviceKinds), { hardwareMap: opts.hardwareMap });
    if (!hasSerialLinks(rig)) {
      process.stderr.write(`rig ${rig.name} has no serial links: nothing on a bench to check\n`);
      process.exitCode = EXIT.failed;
      return;
    }
    const report = await runPreflight(rig);
    const ports = report.ports.length;
    const map = rig.hardwareMap ? `, hardware map ${rig.hardwareMap.file}` : '';
    process.stdout.write((opts.json ? JSON.stringify(report, null, 2) : renderPreflight(report, `rig bench check: rig ${rig.name}${map}, ${ports} serial port${ports === 1 ? '' : 's'}`)) + '\n');
    process.exitCode = report.ok ? EXIT.ok : EXIT.failed;
  });

program
  .command('coverage')
  .description('the traceability matrix: every requirement of the catalogue (src/scenarios/requirements/), the scenarios that cover it and their outcome in the last run')
  .argument('[paths...]', 'scenario files or directories', DEFAULT_SCENARIO_DIRS)
  .option('--report <dir>', 'the report directory of the last run, whose results.json gives the outcomes', 'reports')
  .option('--covered', 'only the requirements some scenario covers')
  .option('--json', 'as JSON')
  .action(async (paths: string[], opts: { report: string; covered?: boolean; json?: boolean }) => {
    await mustExist(paths);
    const scenarios: Scenario[] = [];
    const issues: FileIssue[] = [];
    for (const file of await discoverScenarioFiles(paths)) {
      try {
        for (const { scenario } of await loadScenarioFile(file)) scenarios.push(scenario);
      } catch (error) {
        if (error instanceof FileIssuesError) issues.push(...error.issues);
        else throw error;
      }
    }
    if (issues.length) process.stderr.write(`Refused:\n${formatIssues(issues)}\n\n`);
    const last = await readFile(join(opts.report, 'results.json'), 'utf8').then((text) => JSON.parse(text) as { id: string; outcome: Outcome }[], () => []);
    const matrix = traceabilityMatrix(scenarios, new Map(last.map((r) => [r.id, r.outcome])));
    const shown = opts.covered ? { ...matrix, rows: matrix.rows.filter((r) => r.scenarios.length > 0) } : matrix;
    process.stdout.write((opts.json ? JSON.stringify(shown, null, 2) : renderTraceability(matrix, { coveredOnly: opts.covered })) + '\n');
    if (issues.length) process.exitCode = EXIT.failed;
  });

program
  .command('schema')
  .description("write JSON Schemas of rig and scenario files, for editor completion; the scenario schema knows the rig's devices, stimuli and records")
  .option('--out <dir>', 'directory', 'schemas')
  .option('--rig <file>', 'rig whose devices, stimuli and record kinds the scenario schema offers', DEFAULT_RIG)
  .action(async (opts: { out: string; rig: string }) => {
    await mustExist([], opts.rig);
    const registry = new DeviceRegistry(deviceKinds);
    const rig = await loadRigFile(opts.rig, registry);
    await mkdir(opts.out, { recursive: true });
    for (const [name, content] of Object.entries(jsonSchemas({ registry, plan: planFromRig(rig, rig.registry) }))) {
      await writeFile(join(opts.out, name), content);
      process.stdout.write(`${join(opts.out, name)}\n`);
    }
  });

program
  .command('download')
  .description("download a VU (App. 7) through the rig's IDE and write a .DDD file; with --card, the driver card in a slot through the VU")
  .option('--rig <file>', 'rig file', DEFAULT_RIG)
  .option('--device <name>', 'the VU', 'vu')
  .option('--out <file>', '.DDD file to write (default vu.ddd, or card.ddd with --card)')
  .option('--start <iso>', 'rig time at the start, for a virtual-clock rig', '2026-03-02T08:00:00Z')
  .option('--baud <n>', 'switch to this baud rate for the transfers (App. 7 link control)', parseInteger)
  .option('--card <slot>', "download the card in this slot through the VU (TRTP 06): 'driver' or 'co-driver'", parseSlot)
  .option('--insert <card>', "first insert this card of the emulated VU's `cards` into the --card slot")
  .option(
    '--format <format>',
    "VU data format: 'gen2v1' (TRTP 21..25, App. 11 Part B signatures), 'gen2v2' (a version 2 VU: TRTP 00, then 31, 32, 33, 24, 35, DDP_028a) or 'gen1' (TRTP 01..05, Part A: a gen1 VU, or a gen2 VU set for a non-EU control, MIG_015; the emulated VU is set through its menu first)",
    parseDownloadFormat,
    DEFAULT_DOWNLOAD_FORMAT,
  )
  .option('--hardware-map <file>', HARDWARE_MAP_HELP)
  .action(async (opts: { rig: string; device: string; out?: string; start: string; baud?: number; card?: 'driver' | 'co-driver'; insert?: string; format: DownloadFormat; hardwareMap?: string }) => {
    await mustExist([], undefined, opts.hardwareMap);
    const rigFile = await loadRigFile(opts.rig, new DeviceRegistry(deviceKinds), { hardwareMap: opts.hardwareMap });
    const start = Date.parse(opts.start);
    if (Number.isNaN(start)) throw new InvalidArgumentError(`--start: '${opts.start}' is not an ISO instant`);
    if (opts.insert && !opts.card) throw new InvalidArgumentError('--insert needs --card <slot>');
    const rig = await Rig.start(planFromRig(rigFile, rigFile.registry), { start });
    try {
      if (opts.format === 'gen1') {
        // MIG_015: a gen2 VU gives the gen1 format once its menu selects it, as the control officer does; a real
        // VU on the bench is set by hand (or is a gen1 VU, which gives nothing else)
        if (rig.device(opts.device)?.mode === 'emulated') rig.host.stimulate(opts.device, 'gen1Download', { on: true });
        else process.stdout.write(`${opts.device} is external: a gen2 VU gives the gen1 format only when its menu selects it for a non-EU control with a gen1 control card (MIG_015)\n`);
      }
      if (opts.card) {
        if (opts.insert) rig.host.stimulate(opts.device, 'insertCard', { slot: opts.card, card: opts.insert });
        // DDP_054: the overview, then the card; DDP_050: the card file is the TREP 06 data alone
        const result = await downloadFromRig(rig, opts.device, { baud: opts.baud, card: opts.card, format: opts.format });
        const out = opts.out ?? 'card.ddd';
        for (const t of result.transfers) process.stdout.write(`TRTP ${t.trtp.toString(16).padStart(2, '0').toUpperCase()}: ${t.ok ? `${t.message.length} bytes` : `refused, NRC ${t.nrc.toString(16).toUpperCase()} (${t.reason})`}\n`);
        const file = cardFileOf(result);
        if (!file) {
          process.stdout.write(`no card file: the VU did not give the ${opts.card} slot's card\n`);
          process.exitCode = EXIT.failed;
          return;
        }
        await writeFile(out, file);
        process.stdout.write(`wrote ${out} (${file.length} bytes) at ${result.baud} baud, ${result.retransmissions} retransmissions\n`);
        return;
      }
      const result = await downloadFromRig(rig, opts.device, { baud: opts.baud, format: opts.format, transfers: fullDownloadRequests(start, rig.clock.now(), opts.format) });
      const blocks = result.transfers.flatMap((t) => (t.ok ? [{ trep: t.trep, data: t.message }] : []));
      await writeFile(opts.out ?? 'vu.ddd', writeDdd(blocks));
      for (const t of result.transfers) process.stdout.write(`TRTP ${t.trtp.toString(16).padStart(2, '0').toUpperCase()}: ${t.ok ? `${t.message.length} bytes` : `refused, NRC ${t.nrc.toString(16).toUpperCase()} (${t.reason})`}\n`);
      process.stdout.write(`wrote ${opts.out ?? 'vu.ddd'} (${blocks.length} blocks) at ${result.baud} baud, ${result.retransmissions} retransmissions\n`);
    } finally {
      await rig.close();
    }
  });

program
  .command('serve')
  .description('keep emulated devices running in wall-clock time, their ports on the pty or serial paths of the rig file, for equipment outside the rig')
  .option('--rig <file>', 'rig file', 'rigs/serve-vu.yaml')
  .option('--trace <file>', 'stream the trace (frames, transitions, link events, refused frames) to this JSONL file')
  .option('--write-map <file>', "write a hardware map of the open lines (adapter `vu-download` for the served vu.download, ...) for a bench rig file's adapter: paths")
  .option('--hardware-map <file>', HARDWARE_MAP_HELP)
  .option('--time-scale <k>', `run the served devices K times faster than the wall (1..${MAX_TIME_SCALE}); the map of --write-map carries the time base, so a rig run through it follows (README "Scaled time")`, parseTimeScale)
  .action(async (opts: { rig: string; trace?: string; writeMap?: string; hardwareMap?: string; timeScale?: number }) => {
    await mustExist([], undefined, opts.hardwareMap);
    const rigFile = await loadRigFile(opts.rig, new DeviceRegistry(deviceKinds), { hardwareMap: opts.hardwareMap });
    const start = Date.now();
    // rig time = start + (UTC − start) × K: the time base a rig run through the written map shares (time-base.ts)
    const timeBase = opts.timeScale !== undefined && opts.timeScale !== 1 ? { scale: opts.timeScale, anchor: start } : undefined;
    // A server runs for hours: the trace goes to its file, if asked for, and is not kept in memory.
    const plan = { ...planFromRig(rigFile, rigFile.registry), clock: 'wall' as const, ...(timeBase && { timeBase }) };
    const rig = await Rig.start(plan, { start, traceFile: opts.trace, keepTrace: false });
    if (timeBase) process.stdout.write(`rig time runs ${timeBase.scale}× the wall, from ${new Date(start).toISOString()}\n`);
    const open = rig.openEnds();
    for (const { device, port, path, peer } of open) process.stdout.write(`${peer} listens for ${device}.${port} on ${path}\n`);
    if (opts.writeMap) {
      // valid while this server runs: the pty paths go with it
      await writeHardwareMap(opts.writeMap, servedHardwareMap(open, timeBase));
      process.stdout.write(`hardware map: ${opts.writeMap}\n`);
    }
    if (open.length === 0) process.stdout.write('no port of this rig is left for outside equipment (mark a device external and put its link on pty or serial)\n');
    process.stdout.write('serving; Ctrl-C to stop\n');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await rig.close();
  });

program
  .command('decode')
  .description("decode a download file (.DDD), a VU's of any generation (App. 7 DDP_034) or a card's (App. 7 §3.4): a summary, then the records")
  .argument('<file>', 'download file')
  .option('--json', 'stable JSON: times ISO 8601 UTC, App. 1 field names, bytes as hex (default: readable text)')
  .option('--verify', 'verify every signature against the roots, at the time of the download; exit 0 only when everything verifies')
  .option('--root <file...>', "trust anchors, told apart by content: a gen1 European public key (144 bytes: KID, n, e) or a gen2 root CV certificate, binary or hex (default: the rig's test roots)")
  .addOption(new Option('--eur-key <file...>', 'gen1 European public keys (kept for scripts; same as --root with a 144-byte key)').hideHelp())
  .option('--html <out>', "also write the download (a VU's of any generation, or a card's) as a page with the report's charts: activities per day, detailed speed, events and faults")
  .action(async (file: string, opts: { json?: boolean; verify?: boolean; root?: string[]; eurKey?: string[]; html?: string }) => {
    if (!(await exists(file))) throw new InvalidArgumentError(`no such file: ${file}`);
    const bytes = new Uint8Array(await readFile(file));
    const roots = await verificationRoots(opts.root, opts.eurKey);
    const decoded = decodeDownloadFile(bytes, { eurPublicKeys: roots.europeanPublicKeys });
    // judged at the time the file records (a VU's Overview, a card's latest record), never now
    const verification = opts.verify ? verifyDownloadFile(bytes, roots) : undefined;
    process.stdout.write(opts.json ? `${JSON.stringify(downloadJson(decoded, bytes.length, verification), null, 2)}\n` : downloadText(decoded, bytes.length, verification));
    // what is wrong with the file as a whole also goes to stderr, JSON or not, for scripts
    for (const p of decoded.problems) process.stderr.write(`${file}: ${p}\n`);
    // a file that decodes with problems (a block's, an EF's) exits 1 like one that does not decode
    if (hasProblems(decoded) || (verification && !verification.ok)) process.exitCode = EXIT.failed;
    if (opts.html) {
      const input = chartInputOf(decoded, () => scanDdd(bytes).blocks);
      await writeFile(opts.html, renderDownloadHtml(basename(file), input.records, input.title));
      process.stderr.write(`wrote ${opts.html}\n`);
    }
  });

/**
 * `--root` files: a gen1 European public key is 144 bytes (App. 11 Part A: KID 8, n 128, e 8), a gen2 root a CV
 * certificate (tag '7F21', App. 11 Part B); either as the bytes or as their hex. None given: the rig's test
 * roots (the default seed's gen1 EUR key and gen2 ERCA), which sign what the emulated devices download.
 */
async function verificationRoots(rootFiles: readonly string[] = [], eurKeyFiles: readonly string[] = []): Promise<VerificationRoots> {
  if (rootFiles.length === 0 && eurKeyFiles.length === 0) return { europeanPublicKeys: [TestPkiG1.of().eurPublicKeyBytes()], rootCertificates: [fromHex(TestPki.of().erca.certificate)] };
  const europeanPublicKeys = await Promise.all(eurKeyFiles.map(readEuropeanKey));
  const rootCertificates: Uint8Array[] = [];
  for (const path of rootFiles) {
    if (!(await exists(path))) throw new InvalidArgumentError(`no such root file: ${path}`);
    const bytes = await readBytesOrHex(path);
    if (bytes.length === EUROPEAN_PUBLIC_KEY_BYTES) europeanPublicKeys.push(bytes);
    else if (isCvCertificate(bytes)) rootCertificates.push(bytes);
    else throw new InvalidArgumentError(`${path}: neither a gen1 European public key (${EUROPEAN_PUBLIC_KEY_BYTES} bytes: KID 8, n 128, e 8) nor a gen2 root CV certificate (tag 7F21); ${bytes.length} bytes`);
  }
  return { europeanPublicKeys, rootCertificates };
}

function isCvCertificate(bytes: Uint8Array): boolean {
  try {
    decodeCertificate(bytes);
    return true;
  } catch {
    return false;
  }
}

/** A key or certificate file: its bytes, or their hex (whitespace allowed). */
async function readBytesOrHex(path: string): Promise<Uint8Array> {
  const raw = await readFile(path);
  const text = raw.toString('latin1').trim();
  return /^[0-9a-fA-F\s]+$/.test(text) && text.replace(/\s+/g, '').length % 2 === 0 ? Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex')) : new Uint8Array(raw);
}

/** A gen1 European public key file: the 144 bytes themselves, or their hex. */
async function readEuropeanKey(path: string): Promise<Uint8Array> {
  const bytes = await readBytesOrHex(path);
  if (bytes.length !== EUROPEAN_PUBLIC_KEY_BYTES) throw new Error(`${path}: a European public key is ${EUROPEAN_PUBLIC_KEY_BYTES} bytes (KID 8, n 128, e 8), this file holds ${bytes.length}`);
  return bytes;
}

/** A rig file describes devices, links or a clock; a scenario file has steps or expectations. */
async function isRigFile(file: string): Promise<boolean> {
  if (!/\.ya?ml$/.test(file) || /\.scenario\.ya?ml$/.test(file)) return false;
  try {
    const value = parseYaml(await readFile(file, 'utf8')) as Record<string, unknown> | null;
    return !!value && typeof value === 'object' && !('steps' in value) && ('devices' in value || 'links' in value || 'clock' in value);
  } catch {
    return true; // unparseable: let the rig loader say where
  }
}

/**
 * Progress on stderr: on a terminal one line per running scenario, rewritten in place; elsewhere (CI) a
 * line when a scenario starts, every 10 s of wall time while it runs, and when it ends.
 */
function progressPrinter(): (p: Progress) => void {
  const tty = process.stderr.isTTY;
  let lastPrint = 0;
  let current = '';
  return (p) => {
    const line = progressLine(p);
    const now = performance.now();
    const started = p.scenario !== current;
    current = p.scenario;
    if (p.state !== 'running') {
      process.stderr.write(tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
      return;
    }
    if (tty) {
      if (started || now - lastPrint > 100) process.stderr.write(`\r\x1b[2K${line}`);
    } else if (started || now - lastPrint > 10_000) {
      process.stderr.write(`${line}\n`);
    } else return;
    lastPrint = now;
  };
}

function parseDownloadFormat(value: string): DownloadFormat {
  if (!(DOWNLOAD_FORMATS as readonly string[]).includes(value)) throw new InvalidArgumentError(`a download format is ${DOWNLOAD_FORMATS.map((f) => `'${f}'`).join(' or ')}`);
  return value as DownloadFormat;
}

function parseSlot(value: string): 'driver' | 'co-driver' {
  if (value !== 'driver' && value !== 'co-driver') throw new InvalidArgumentError("a card slot is 'driver' or 'co-driver'");
  return value;
}

/** `--timeout 90s`: a duration as scenario files write them, more than 0. */
function parseWallDuration(value: string): number {
  let ms: number;
  try {
    ms = parseDuration(/^\d+(\.\d+)?$/.test(value) ? Number(value) : value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
  if (ms <= 0) throw new InvalidArgumentError('a timeout is more than 0');
  return ms;
}

function parseInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('not an integer');
  return n;
}

// `rig decode f.ddd | head`: a reader that stops early is not an error
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

program.parseAsync(process.argv).catch((error: unknown) => {
  // commander printed its own usage errors (exitOverride made them exit 2); help and version exit 0
  if (error instanceof CommanderError && !(error instanceof InvalidArgumentError)) {
    process.exitCode = error.exitCode;
    return;
  }
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  // an argument refused inside a command is misuse; anything else is the command failing (a refused rig
  // file, a download the VU refused)
  process.exitCode = error instanceof InvalidArgumentError ? EXIT.misuse : EXIT.failed;
});

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { parse as parseYaml } from 'yaml';
import { DeviceRegistry } from './harness/devices/registry.ts';
import { jsonSchemas } from './harness/json-schemas.ts';
import { loadRigFile } from './harness/rig/rig-loader.ts';
import { planFromRig } from './harness/rig/plan.ts';
import { FileIssuesError, formatIssues, type FileIssue } from './harness/rig/yaml-errors.ts';
import { deviceKinds } from './devices/index.ts';
import { decodeDdd } from './protocols/ddd/decode-ddd.ts';
import { writeDdd } from './protocols/ddd/ddd-file.ts';
import { cardFileOf, downloadFromRig, fullDownloadRequests } from './harness/download/index.ts';
import { decodeCardFile, isCardFile } from './protocols/card-files/index.ts';
import { EUROPEAN_PUBLIC_KEY_BYTES } from './crypto/pki-g1/index.ts';
import { Rig } from './harness/rig/rig-runtime.ts';
import { discoverScenarioFiles, loadScenarioFile } from './scenarios/engine/loader.ts';
import type { Progress } from './scenarios/engine/runner.ts';
import { DEFAULT_RIG, DEFAULT_SCENARIO_DIRS, loadSuite, runSuite } from './scenarios/engine/suite.ts';
import { checkScenarioAgainstRig } from './scenarios/engine/validate.ts';
import { progressLine, renderSummary } from './scenarios/reports/console.ts';
import { writeReports } from './scenarios/reports/write-reports.ts';

/** Exit codes: 0 all passed, 1 a scenario failed or errored, 2 a file was refused or the command misused. */
const EXIT = { ok: 0, failed: 1, refused: 2 } as const;

const program = new Command()
  .name('rig')
  .description('Smart-tachograph test rig: run scenarios against emulated or real equipment')
  .showHelpAfterError();

program
  .command('run')
  .description('run scenarios and report')
  .argument('[paths...]', 'scenario files or directories', DEFAULT_SCENARIO_DIRS)
  .option('--rig <file>', 'rig file', DEFAULT_RIG)
  .option('--tag <tag...>', 'only scenarios with one of these tags')
  .option('--skip-tag <tag...>', 'leave out scenarios with any of these tags (e.g. long)')
  .option('--seed <n>', 'seed for every scenario (overrides scenario and rig)', parseInteger)
  .option('--report <dir>', 'write results.json, junit.xml, one result record and one trace per scenario')
  .option('--json', 'print the result records as JSON on stdout (progress goes to stderr)')
  .option('--whole-rig', 'build every device of the rig, not only those a scenario names and what is wired to them')
  .action(async (paths: string[], opts: { rig: string; tag?: string[]; skipTag?: string[]; seed?: number; report?: string; json?: boolean; wholeRig?: boolean }) => {
    const suite = await loadSuite({ rigFile: opts.rig, paths, tags: opts.tag, skipTags: opts.skipTag });
    if (suite.issues.length) process.stderr.write(`Refused:\n${formatIssues(suite.issues)}\n\n`);
    const results = await runSuite(suite, { seed: opts.seed, reportDir: opts.report, wholeRig: opts.wholeRig, onProgress: progressPrinter() });
    if (opts.report) {
      const written = await writeReports(results, opts.report);
      process.stderr.write(`reports: ${written.slice(0, 2).join(', ')} and ${written.length - 2} result records in ${opts.report}\n`);
    }
    if (opts.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
    (opts.json ? process.stderr : process.stdout).write(renderSummary(results) + '\n');
    if (suite.scenarios.length === 0 && suite.issues.length === 0) process.stderr.write(`no scenarios in ${paths.join(', ')}\n`);
    const failed = results.some((r) => r.outcome === 'fail' || r.outcome === 'error');
    process.exitCode = failed || suite.issues.length ? EXIT.failed : EXIT.ok;
  });

program
  .command('list')
  .description('list scenarios with their tags and the requirements they cover')
  .argument('[paths...]', 'scenario files or directories', DEFAULT_SCENARIO_DIRS)
  .option('--tag <tag...>', 'only scenarios with one of these tags')
  .option('--skip-tag <tag...>', 'leave out scenarios with any of these tags')
  .option('--json', 'as JSON')
  .action(async (paths: string[], opts: { tag?: string[]; skipTag?: string[]; json?: boolean }) => {
    const rows: { id: string; title: string; tags: string[]; covers: string[]; file: string }[] = [];
    const issues: FileIssue[] = [];
    for (const file of await discoverScenarioFiles(paths)) {
      try {
        for (const { scenario } of await loadScenarioFile(file)) {
          if (opts.tag?.length && !scenario.tags.some((t) => opts.tag!.includes(t))) continue;
          if (opts.skipTag?.length && scenario.tags.some((t) => opts.skipTag!.includes(t))) continue;
          rows.push({ id: scenario.id, title: scenario.title, tags: scenario.tags, covers: scenario.covers, file });
        }
      } catch (error) {
        if (error instanceof FileIssuesError) issues.push(...error.issues);
        else throw error;
      }
    }
    if (opts.json) process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    else for (const r of rows) process.stdout.write(`${r.id}\t${r.title}\t[${r.tags.join(', ')}]\t${r.covers.join('; ')}\t${r.file}\n`);
    if (issues.length) {
      process.stderr.write(`Refused:\n${formatIssues(issues)}\n`);
      process.exitCode = EXIT.refused;
    }
  });

program
  .command('validate')
  .description('check rig files and scenario files (scenarios against a rig) without running anything')
  .argument('<files...>', 'rig files (rigs/*.yaml) or scenario files')
  .option('--rig <file>', 'rig to check scenarios against', DEFAULT_RIG)
  .action(async (files: string[], opts: { rig: string }) => {
    const registry = new DeviceRegistry(deviceKinds);
    let refused = false;
    for (const file of files) {
      const issues: FileIssue[] = [];
      try {
        if (await isRigFile(file)) {
          await loadRigFile(file, registry);
        } else {
          const rig = await loadRigFile(opts.rig, registry);
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
    process.exitCode = refused ? EXIT.refused : EXIT.ok;
  });

program
  .command('schema')
  .description('write JSON Schemas of rig and scenario files, for editor completion')
  .option('--out <dir>', 'directory', 'schemas')
  .action(async (opts: { out: string }) => {
    await mkdir(opts.out, { recursive: true });
    for (const [name, content] of Object.entries(jsonSchemas())) {
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
  .action(async (opts: { rig: string; device: string; out?: string; start: string; baud?: number; card?: 'driver' | 'co-driver'; insert?: string }) => {
    const rigFile = await loadRigFile(opts.rig, new DeviceRegistry(deviceKinds));
    const start = Date.parse(opts.start);
    if (Number.isNaN(start)) throw new InvalidArgumentError(`--start: '${opts.start}' is not an ISO instant`);
    if (opts.insert && !opts.card) throw new InvalidArgumentError('--insert needs --card <slot>');
    const rig = await Rig.start(planFromRig(rigFile, rigFile.registry), { start });
    try {
      if (opts.card) {
        if (opts.insert) rig.host.stimulate(opts.device, 'insertCard', { slot: opts.card, card: opts.insert });
        // DDP_054: the overview, then the card; DDP_050: the card file is the TREP 06 data alone
        const result = await downloadFromRig(rig, opts.device, { baud: opts.baud, card: opts.card });
        const out = opts.out ?? 'card.ddd';
        for (const t of result.transfers) process.stdout.write(`TRTP ${t.trtp.toString(16).toUpperCase()}: ${t.ok ? `${t.message.length} bytes` : `refused, NRC ${t.nrc.toString(16).toUpperCase()} (${t.reason})`}\n`);
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
      const result = await downloadFromRig(rig, opts.device, { baud: opts.baud, transfers: fullDownloadRequests(start, rig.clock.now()) });
      const blocks = result.transfers.flatMap((t) => (t.ok ? [{ trep: t.trep, data: t.message }] : []));
      await writeFile(opts.out ?? 'vu.ddd', writeDdd(blocks));
      for (const t of result.transfers) process.stdout.write(`TRTP ${t.trtp.toString(16).toUpperCase()}: ${t.ok ? `${t.message.length} bytes` : `refused, NRC ${t.nrc.toString(16).toUpperCase()} (${t.reason})`}\n`);
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
  .action(async (opts: { rig: string; trace?: string }) => {
    const rigFile = await loadRigFile(opts.rig, new DeviceRegistry(deviceKinds));
    // A server runs for hours: the trace goes to its file, if asked for, and is not kept in memory.
    const rig = await Rig.start({ ...planFromRig(rigFile, rigFile.registry), clock: 'wall' }, { start: Date.now(), traceFile: opts.trace, keepTrace: false });
    const open = rig.openEnds();
    for (const { device, port, path, peer } of open) process.stdout.write(`${peer} listens for ${device}.${port} on ${path}\n`);
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
  .description('decode a download file (.DDD): a VU\'s (App. 7 DDP_034) into its records, a card\'s (App. 7 §3.4) into its EFs')
  .argument('<file>', '.DDD file')
  .option('--json', 'as JSON (default: one section per TREP or EF)')
  .option('--eur-key <file...>', "gen1 European public keys (144 bytes: KID, n, e; binary or hex) to open a card's gen1 certificates with (default: the rig's test root)")
  .action(async (file: string, opts: { json?: boolean; eurKey?: string[] }) => {
    const bytes = new Uint8Array(await readFile(file));
    const text = (value: unknown) => JSON.stringify(value, (_k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v), 2);
    if (isCardFile(bytes)) {
      const eurPublicKeys = opts.eurKey ? await Promise.all(opts.eurKey.map(readEuropeanKey)) : undefined;
      const efs = decodeCardFile(bytes, eurPublicKeys ? { eurPublicKeys } : {});
      if (opts.json) process.stdout.write(text(efs) + '\n');
      else for (const e of efs) process.stdout.write(`== ${e.tag} ${e.name} (${e.df}), ${e.size} bytes\n${e.error ? `cannot decode: ${e.error}\n` : ''}${e.fields ? text(e.fields) : e.hex}\n`);
      if (efs.some((e) => e.error)) process.exitCode = EXIT.failed;
      return;
    }
    const blocks = decodeDdd(bytes);
    if (opts.json) process.stdout.write(text(blocks) + '\n');
    else for (const b of blocks) process.stdout.write(`== TREP ${b.trep.toString(16).toUpperCase()} ${b.name}\n${b.error ? `cannot decode: ${b.error}` : text(b.content)}\n`);
    if (blocks.some((b) => b.error)) process.exitCode = EXIT.failed;
  });

/** A gen1 European public key file: the 144 bytes themselves, or their hex. */
async function readEuropeanKey(path: string): Promise<Uint8Array> {
  const raw = await readFile(path);
  const text = raw.toString('latin1').trim();
  const bytes = /^[0-9a-fA-F\s]+$/.test(text) ? Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex')) : new Uint8Array(raw);
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

function parseSlot(value: string): 'driver' | 'co-driver' {
  if (value !== 'driver' && value !== 'co-driver') throw new InvalidArgumentError("a card slot is 'driver' or 'co-driver'");
  return value;
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
  process.stderr.write(`${error instanceof FileIssuesError ? error.message : error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = EXIT.refused;
});

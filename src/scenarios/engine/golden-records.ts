import type { CheckRead } from './records-attachment.ts';

/**
 * The determinism oracle (issue 18): what every check of a shipped scenario read, kept as a golden file per
 * scenario, so a change meant to make the rig faster (a pulse line as a rate, seconds in batches) cannot
 * change a verdict, or a record the verdict did not look at, unnoticed. A change that must change records
 * regenerates the files (`npm run golden:update`) and says why in its commit.
 *
 * The rendering is one record per line: a difference points at the record, and a diff of the file reads.
 */
export function renderGoldenRecords(scenario: string, reads: readonly CheckRead[]): string {
  const lines = [`{"scenario": ${json(scenario)}, "reads": [`];
  reads.forEach((read, r) => {
    lines.push(`  {"check": ${json(read.check)}, "at": ${json(read.at)}${read.errors ? `, "errors": ${json(read.errors)}` : ''}, "devices": {`);
    const devices = Object.entries(read.devices);
    devices.forEach(([device, records], d) => {
      lines.push(`    ${json(device)}: [`);
      records.forEach((record, i) => lines.push(`      ${json(record)}${i < records.length - 1 ? ',' : ''}`));
      lines.push(`    ]${d < devices.length - 1 ? ',' : ''}`);
    });
    lines.push(`  }}${r < reads.length - 1 ? ',' : ''}`);
  });
  lines.push(']}');
  return lines.join('\n') + '\n';
}

/** JSON with bytes as upper-case hex and bigints as decimal, as the records attachment writes them. */
function json(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex').toUpperCase() : typeof v === 'bigint' ? v.toString() : v));
}

/**
 * Where two renderings part: undefined when equal, otherwise the first differing line of each (1-based line
 * number), how many lines differ in all, and the check the first difference falls under.
 */
export function goldenDifference(expected: string, actual: string): string | undefined {
  if (expected === actual) return undefined;
  const a = expected.split('\n');
  const b = actual.split('\n');
  let first = -1;
  let differing = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    differing++;
    if (first < 0) first = i;
  }
  let check = '';
  for (let i = first; i >= 0; i--) {
    const m = /^ {2}\{"check": ("(?:[^"\\]|\\.)*")/.exec(b[i] ?? a[i] ?? '');
    if (m) {
      check = ` (under check ${m[1]})`;
      break;
    }
  }
  const cut = (s: string | undefined) => (s === undefined ? '(none)' : s.length > 400 ? `${s.slice(0, 400)}…` : s);
  return [
    `${differing} line(s) differ from the golden records; the first at line ${first + 1}${check}:`,
    `  golden: ${cut(a[first]?.trim())}`,
    `  now:    ${cut(b[first]?.trim())}`,
    `(if the change is meant, regenerate with \`npm run golden:update\` and say why in the commit)`,
  ].join('\n');
}

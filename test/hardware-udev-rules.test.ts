import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * hardware/99-tacho-rig.rules: `udevadm verify` where this host's udevadm has the verb (systemd 254 and
 * later), and always a syntax check of our own: every line a comment or comma-separated KEY op "value"
 * pairs with keys udev knows (udev(7)), each with an operator that key takes; then what the bench needs of
 * the rules: the FTDI latency timer at 1 ms, group dialout and mode 0660 for each chip, names by serial.
 */

const RULES = 'hardware/99-tacho-rig.rules';
const text = readFileSync(RULES, 'utf8');

type Op = '==' | '!=' | '=' | '+=' | '-=' | ':=';
interface Pair {
  key: string;
  /** The {attribute} of ATTR{...}, ENV{...} and the like. */
  attr?: string;
  op: Op;
  value: string;
}

const MATCH: Op[] = ['==', '!='];
const ASSIGN: Op[] = ['=', '+=', '-=', ':='];
/** udev(7): each key and the operators it takes; `attr` when it needs {name}, `attr?` when it may have one. */
const KEYS: Record<string, { ops: Op[]; attr: 'no' | 'yes' | 'optional' }> = {
  ACTION: { ops: MATCH, attr: 'no' },
  DEVPATH: { ops: MATCH, attr: 'no' },
  KERNEL: { ops: MATCH, attr: 'no' },
  KERNELS: { ops: MATCH, attr: 'no' },
  SUBSYSTEM: { ops: MATCH, attr: 'no' },
  SUBSYSTEMS: { ops: MATCH, attr: 'no' },
  DRIVER: { ops: MATCH, attr: 'no' },
  DRIVERS: { ops: MATCH, attr: 'no' },
  ATTRS: { ops: MATCH, attr: 'yes' },
  TAGS: { ops: MATCH, attr: 'no' },
  TEST: { ops: MATCH, attr: 'optional' },
  PROGRAM: { ops: MATCH, attr: 'no' },
  RESULT: { ops: MATCH, attr: 'no' },
  CONST: { ops: MATCH, attr: 'yes' },
  NAME: { ops: [...MATCH, '=', ':='], attr: 'no' },
  SYMLINK: { ops: [...MATCH, ...ASSIGN], attr: 'no' },
  ATTR: { ops: [...MATCH, '=', ':='], attr: 'yes' },
  SYSCTL: { ops: [...MATCH, '=', ':='], attr: 'yes' },
  ENV: { ops: [...MATCH, ...ASSIGN], attr: 'yes' },
  TAG: { ops: [...MATCH, ...ASSIGN], attr: 'no' },
  OWNER: { ops: ['=', ':='], attr: 'no' },
  GROUP: { ops: ['=', ':='], attr: 'no' },
  MODE: { ops: ['=', ':='], attr: 'no' },
  SECLABEL: { ops: ['=', '+=', ':='], attr: 'yes' },
  RUN: { ops: ['=', '+=', ':='], attr: 'optional' },
  IMPORT: { ops: MATCH.concat('='), attr: 'yes' },
  OPTIONS: { ops: ['=', '+=', ':='], attr: 'no' },
  LABEL: { ops: ['='], attr: 'no' },
  GOTO: { ops: ['='], attr: 'no' },
};

const PAIR = /^([A-Z]+)(?:\{([^{}]+)\})?(==|!=|\+=|-=|:=|=)"((?:[^"\\]|\\.)*)"$/;

/** One rule line as its pairs; throws naming the line and what is wrong. */
function parseRule(line: string, where: string): Pair[] {
  const pairs: Pair[] = [];
  // split at commas outside quoted values; udev wants `, ` between pairs
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '"' && line[i - 1] !== '\\') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(current);
      current = '';
      if (line[i + 1] !== ' ') throw new Error(`${where}: a comma between pairs is followed by a space`);
      continue;
    }
    current += c;
  }
  if (quoted) throw new Error(`${where}: a value's quotes are not closed`);
  parts.push(current);
  for (const raw of parts) {
    const part = raw.trim();
    const m = PAIR.exec(part);
    if (!m) throw new Error(`${where}: '${part}' is not KEY=="value", KEY="value" or KEY+="value" with the value in double quotes`);
    const [, key, attr, op, value] = m as unknown as [string, string, string | undefined, Op, string];
    const spec = KEYS[key];
    if (!spec) throw new Error(`${where}: unknown key ${key}`);
    if (spec.attr === 'yes' && attr === undefined) throw new Error(`${where}: ${key} needs {attribute}`);
    if (spec.attr === 'no' && attr !== undefined) throw new Error(`${where}: ${key} takes no {attribute}`);
    if (!spec.ops.includes(op)) throw new Error(`${where}: ${key} takes ${spec.ops.join(' ')}, not ${op}`);
    if (key === 'MODE' && !/^0[0-7]{3}$/.test(value)) throw new Error(`${where}: MODE "${value}" is not an octal mode like 0660`);
    pairs.push({ key, ...(attr === undefined ? {} : { attr }), op, value });
  }
  if (pairs.every((p) => MATCH.includes(p.op)) && !pairs.some((p) => p.key === 'LABEL')) throw new Error(`${where}: a rule that only matches does nothing`);
  return pairs;
}

/** The rules of the file (continuation lines joined), and the commented template rules after `# `. */
function rulesOf(source: string): { active: { line: number; pairs: Pair[] }[]; templates: { line: number; pairs: Pair[] }[] } {
  const active: { line: number; pairs: Pair[] }[] = [];
  const templates: { line: number; pairs: Pair[] }[] = [];
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    const at = i + 1;
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i]!.trim();
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      const rule = trimmed.replace(/^#\s*/, '');
      if (/^[A-Z]+(\{[^}]*\})?(==|!=|\+?=)"/.test(rule)) templates.push({ line: at, pairs: parseRule(rule.replace(/<[^>]+>/g, 'X'), `${RULES}:${at} (template)`) });
      continue;
    }
    active.push({ line: at, pairs: parseRule(trimmed, `${RULES}:${at}`) });
  }
  return { active, templates };
}

/** The udevadm to run: `UDEVADM` names another than the one on the PATH (a newer one unpacked beside). */
const UDEVADM = process.env['UDEVADM'] ?? 'udevadm';

/** `udevadm verify` exists since systemd 254; older ones (Debian 12 has 252) and hosts without udev lack it. */
function udevadmVerify(): { available: true } | { available: false; why: string } {
  const version = spawnSync(UDEVADM, ['--version'], { encoding: 'utf8' });
  if (version.error) return { available: false, why: 'this host has no udevadm' };
  const help = spawnSync(UDEVADM, ['verify', '--help'], { encoding: 'utf8' });
  if (help.status !== 0) return { available: false, why: `this host's udevadm (systemd ${version.stdout.trim()}) has no verify verb, which came with systemd 254` };
  return { available: true };
}

const verify = udevadmVerify();

describe('hardware/99-tacho-rig.rules', () => {
  it.skipIf(!verify.available)(
    `passes udevadm verify${verify.available ? '' : ` (skipped: ${verify.why}; the syntax check below runs instead)`}`,
    () => {
      expect(() => execFileSync(UDEVADM, ['verify', '--resolve-names=never', RULES], { encoding: 'utf8', stdio: 'pipe' })).not.toThrow();
    },
  );

  it('passes our syntax check: comments, or comma-separated KEY op "value" pairs of known keys with the operators they take', () => {
    const { active, templates } = rulesOf(text);
    expect(active.length).toBeGreaterThan(5);
    expect(templates.length).toBe(8); // one per adapter of rigs/bench-vu.yaml
    // every GOTO has its LABEL
    const labels = active.flatMap((r) => r.pairs.filter((p) => p.key === 'LABEL').map((p) => p.value));
    for (const r of active) for (const p of r.pairs.filter((q) => q.key === 'GOTO')) expect(labels, `GOTO at line ${r.line}`).toContain(p.value);
  });

  it('the syntax check refuses what udev would refuse', () => {
    const bad = (rule: string) => () => rulesOf(rule + '\n');
    expect(bad('SUBSYSTEM=="tty",GROUP="dialout"')).toThrow('a comma between pairs is followed by a space');
    expect(bad('SUBSYSTEM=="tty", GROUP=dialout')).toThrow(`'GROUP=dialout' is not KEY=="value"`);
    expect(bad('SUBSYSTEM=="tty", GRUOP="dialout"')).toThrow('unknown key GRUOP');
    expect(bad('SUBSYSTEM=="tty", GROUP=="dialout"')).toThrow('GROUP takes = :=, not ==');
    expect(bad('SUBSYSTEM=="tty", MODE="660"')).toThrow('MODE "660" is not an octal mode');
    expect(bad('SUBSYSTEM=="usb-serial", ATTR="1"')).toThrow('ATTR needs {attribute}');
    expect(bad('SUBSYSTEM=="tty", ENV{ID_SERIAL_SHORT}=="x"')).toThrow('a rule that only matches does nothing');
    expect(bad('SUBSYSTEM=="tty", SYMLINK+="a')).toThrow("a value's quotes are not closed");
  });

  it('sets the FTDI latency timer to 1 ms on the ftdi_sio usb-serial port, and gives each chip group dialout, mode 0660 and a name by serial number', () => {
    const { active } = rulesOf(text);
    const value = (pairs: Pair[], key: string, attr?: string) => pairs.find((p) => p.key === key && p.attr === attr)?.value;
    const latency = active.filter((r) => r.pairs.some((p) => p.key === 'ATTR' && p.attr === 'latency_timer'));
    expect(latency.map((r) => r.pairs)).toStrictEqual([
      [
        { key: 'SUBSYSTEM', op: '==', value: 'usb-serial' },
        { key: 'DRIVER', op: '==', value: 'ftdi_sio' },
        { key: 'ATTR', attr: 'latency_timer', op: '=', value: '1' },
      ],
    ]);
    const chips = ['0403:6001', '0403:6015', '10c4:ea60', '1a86:7523'];
    const matches = (pairs: Pair[], chip: string) => {
      const [vendor, product] = chip.split(':');
      const model = value(pairs, 'ENV', 'ID_MODEL_ID');
      return value(pairs, 'SUBSYSTEM') === 'tty' && value(pairs, 'ENV', 'ID_VENDOR_ID') === vendor && (model === undefined || model.split('|').includes(product!));
    };
    for (const chip of chips) {
      const access = active.filter((r) => matches(r.pairs, chip) && value(r.pairs, 'GROUP') !== undefined);
      expect(access.map((r) => [value(r.pairs, 'GROUP'), value(r.pairs, 'MODE')]), chip).toStrictEqual([['dialout', '0660']]);
      const names = active.filter((r) => matches(r.pairs, chip) && r.pairs.some((p) => p.key === 'SYMLINK' && p.op === '+='));
      expect(names.map((r) => value(r.pairs, 'SYMLINK')), chip).toStrictEqual([chip.startsWith('1a86') ? 'tacho-rig/ch340-$env{ID_PATH_TAG}' : expect.stringMatching(/^tacho-rig\/(ftdi|cp210x)-\$env\{ID_SERIAL_SHORT\}$/)]);
    }
  });
});

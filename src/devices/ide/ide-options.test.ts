import { describe, expect, it } from 'vitest';
import { DeviceRegistry } from '../../harness/devices/registry.ts';
import { planFromRig } from '../../harness/rig/plan.ts';
import { parseRig, RigFileError, type FileIssue } from '../../harness/rig/index.ts';
import { Rig } from '../../harness/rig/rig-runtime.ts';
import { deviceKinds } from '../index.ts';

const registry = new DeviceRegistry(deviceKinds);
const T0 = Date.UTC(2026, 2, 2, 8, 0, 0);
/** One character at 9600 and 115200 baud 8E1 (11 bits). */
const CHAR_9600 = 11_000 / 9600;
const CHAR_115200 = 11_000 / 115_200;
const micro = (ms: number) => Math.round(ms * 1000) / 1000;

/** A VU that answers downloads `answerDelayMs` after each request, and the rig's IDE with these options. */
function rigText(answerDelayMs: number, ideOptions: string): string {
  return [
    'name: slow-vu',
    'clock: virtual',
    'devices:',
    `  vu: { kind: vu, options: { download: { answerDelayMs: ${answerDelayMs} } } }`,
    `  ide: { kind: ide, options: ${ideOptions} }`,
    'links:',
    '  - { id: download, ends: [ide.vu, vu.download], transport: memory, framing: 8E1 }',
    '',
  ].join('\n');
}

function issuesOf(text: string): FileIssue[] {
  try {
    parseRig(text, 'rigs/slow-vu.yaml', registry);
  } catch (error) {
    if (error instanceof RigFileError) return error.issues;
    throw error;
  }
  return [];
}

describe("the IDE's P-timings and retries in the rig file (App. 7 DDP_019, DDP_027)", () => {
  it("defaults to App. 7's and takes windows widened for a slow VU", () => {
    const rig = parseRig(rigText(20, '{ timing: { p2MaxMs: 4000, p1MaxMs: 40, p3MaxMs: 8000, p3MinMs: 200, p4MinMs: 20 }, maxTransmissions: 2 }'), 'rigs/slow-vu.yaml', registry);
    expect(rig.devices.find((d) => d.name === 'ide')!.options).toEqual({
      timing: { p1MaxMs: 40, p2MaxMs: 4000, p3MinMs: 200, p3MaxMs: 8000, p4MinMs: 20, p5MaxMs: 1_200_000 },
      maxTransmissions: 2,
      maxTransferStarts: 3,
      maxSessions: 5,
    });
    expect(parseRig(rigText(20, '{}'), 'rigs/slow-vu.yaml', registry).devices.find((d) => d.name === 'ide')!.options).toEqual({
      timing: { p1MaxMs: 20, p2MaxMs: 1000, p3MinMs: 10, p3MaxMs: 5000, p4MinMs: 5, p5MaxMs: 1_200_000 },
      maxTransmissions: 3,
      maxTransferStarts: 3,
      maxSessions: 5,
    });
  });

  it('refuses, when the rig is loaded, what App. 7 forbids: a narrower window, P3 or P4 out of their range, a fourth transmission', () => {
    const refused = (options: string) => issuesOf(rigText(20, options)).map((i) => `${i.path.join('.')}: ${i.message}`);
    expect(refused('{ timing: { p2MaxMs: 500 } }')).toEqual([expect.stringMatching(/^devices\.ide\.options\.timing\.p2MaxMs: .*1000/)]);
    expect(refused('{ timing: { p1MaxMs: 10 } }')).toEqual([expect.stringMatching(/^devices\.ide\.options\.timing\.p1MaxMs: .*20/)]);
    expect(refused('{ timing: { p3MinMs: 5 } }')).toEqual([expect.stringMatching(/^devices\.ide\.options\.timing\.p3MinMs: .*10/)]);
    expect(refused('{ timing: { p3MinMs: 5000 } }')).toEqual([expect.stringMatching(/^devices\.ide\.options\.timing\.p3MinMs: .*5000/)]);
    expect(refused('{ timing: { p4MinMs: 2 } }')).toEqual([expect.stringMatching(/^devices\.ide\.options\.timing\.p4MinMs: .*5/)]);
    expect(refused('{ timing: { p4MinMs: 25 } }')).toEqual([expect.stringMatching(/^devices\.ide\.options\.timing\.p4MinMs: .*20/)]);
    expect(refused('{ maxTransmissions: 4 }')).toEqual([expect.stringMatching(/^devices\.ide\.options\.maxTransmissions: .*3/)]);
    // P4 max is the VU's to judge (DDP_022), not the IDE's to set
    expect(refused('{ timing: { p4MaxMs: 40 } }')).toEqual(["devices.ide.options.timing.p4MaxMs: unknown key 'p4MaxMs' (did you mean 'p1MaxMs'?)"]);
  });
});

describe('a VU slower than App. 7 allows, downloaded through the rig (records, the IDE stimulus)', () => {
  // 3.5 s after each request: App. 7's P2 max (1 s) passes three times over before it answers.
  async function run(ideOptions: string) {
    const rig = await Rig.start(planFromRig(parseRig(rigText(3500, ideOptions), 'rigs/slow-vu.yaml', registry), registry), { start: T0 });
    try {
      const records = await rig.records('vu').then(
        (r) => ({ ok: true as const, count: r.length }),
        (error: unknown) => ({ ok: false as const, error: String(error) }),
      );
      rig.host.stimulate('ide', 'download', { baud: 9600 });
      await rig.clock.advance(120_000);
      const sessions = await rig.records('ide');
      return { records, sessions, timing: rig.portTiming() };
    } finally {
      await rig.close();
    }
  }

  it("fails with App. 7's P2 max (the control)", async () => {
    const { records, sessions } = await run('{}');
    expect(records).toMatchObject({ ok: false, error: expect.stringMatching(/start communication: no response within P2 max after 3 transmissions/) });
    // The IDE's own session fails alike (its first requests fall in the slow answers to the records' session).
    expect(sessions.map((s) => [s.code, s.fields?.error])).toEqual([['failed', expect.stringMatching(/: no response within P2 max after 3 transmissions$/)]]);
  });

  it('is read whole with P2 max widened to 4 s in the rig file, and the result shows how close it runs', async () => {
    const { records, sessions, timing } = await run('{ timing: { p2MaxMs: 4000 } }');
    expect(records).toMatchObject({ ok: true });
    // The IDE's own session gets as far as the upload, which a VU in operational mode refuses an IDE with no
    // card in (Annex IC 12, DDP_018 NRC 50): every request of it answered in time.
    expect(sessions.map((s) => [s.code, s.fields?.nrc])).toEqual([['refused', 0x50]]);
    // The records' download switches to 115200 after link control (its confirmation has no answer), the
    // stimulus's session stays at 9600.
    expect(timing).toEqual([
      {
        link: 'download',
        requester: 'ide.vu',
        answerer: 'vu.download',
        exchanges: timing[0]!.exchanges,
        unanswered: 1,
        answerMs: { p50: micro(3500 + CHAR_115200), p99: micro(3500 + CHAR_9600), max: micro(3500 + CHAR_9600) },
        window: { name: 'P2 max', ms: 4000, of: 'ide' },
      },
    ]);
    expect(timing[0]!.answerMs).toEqual({ p50: 3500.095, p99: 3501.146, max: 3501.146 });
    expect(timing[0]!.exchanges).toBeGreaterThan(15);
  });
});

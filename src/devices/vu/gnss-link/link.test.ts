import { describe, expect, it } from 'vitest';
import { decodeBlock, encodeBlock } from '../../../protocols/t1/index.ts';
import { EgfBench } from './egf-bench.ts';

/** APDUs on the line, rebuilt from I-block chains: commands in full, certificates and signatures by length. */
function apdus(bench: EgfBench): string[] {
  const out: string[] = [];
  const chain: Record<'vu' | 'egf', number[]> = { vu: [], egf: [] };
  for (const b of bench.blocks) {
    const d = decodeBlock(Uint8Array.from(Buffer.from(b.hex, 'hex')));
    if (!d.ok || d.block.type !== 'I') continue;
    chain[b.from].push(...d.block.inf);
    if (d.block.more) continue;
    const hex = Buffer.from(chain[b.from]).toString('hex').toUpperCase();
    chain[b.from] = [];
    out.push(`${b.from} ${mask(hex)}`);
  }
  return out;
}

/** ECDSA nonces come from OpenSSL: certificates and the VU signature differ from run to run. */
function mask(hex: string): string {
  if (/^002A00BE/.test(hex) || /^00820000/.test(hex)) return `${hex.slice(0, 10)}<${parseInt(hex.slice(8, 10), 16)} bytes>`;
  if (hex.startsWith('7F21')) return `<certificate ${hex.length / 2 - 2} bytes>${hex.slice(-4)}`;
  return hex;
}

describe('VU - EGF link (App. 11 §11, App. 12)', () => {
  it('couples, authenticates and reads records 01..06 under secure messaging: golden transcript', async () => {
    const bench = new EgfBench();
    await bench.start();
    bench.world.vehicle.setSpeed(90);
    await bench.clock.advance(2_000);
    bench.couple();
    await bench.clock.advance(3_000);
    expect(apdus(bench)).toEqual(GOLDEN);
  });
});

const GOLDEN = [
  "vu 00A4000C023F00",
  "egf 9000",
  "vu 00A4020C020002",
  "egf 9000",
  "vu 00B0000008",
  "egf 00000001012608409000",
  "vu 00A4040C06FF445445474D",
  "egf 9000",
  "vu 00A4020C02C100",
  "egf 9000",
  "vu 00B0000000",
  "egf <certificate 205 bytes>9000",
  "vu 00A4020C02C108",
  "egf 9000",
  "vu 00B0000000",
  "egf <certificate 205 bytes>9000",
  "vu 002281B60A8308FD45432001FFFF01",
  "egf 9000",
  "vu 002A00BEC9<201 bytes>",
  "egf 9000",
  "vu 002281B60A83080642202001FFFF01",
  "egf 9000",
  "vu 002A00BEC9<201 bytes>",
  "egf 9000",
  "vu 00A4000C023F00",
  "egf 9000",
  "vu 00A4020C020002",
  "egf 9000",
  "vu 00B0000008",
  "egf 00000001012608409000",
  "vu 00A4040C06FF445445474D",
  "egf 9000",
  "vu 002281A43680082A8648CE3D04030283080001C8F1012606109120470E7E306C9303E710119B3B4E18E5C9225BD84A32F4984BA9BD41557B2A1517",
  "egf 9000",
  "vu 0084000008",
  "egf 27C04E995E0A2E749000",
  "vu 0082000040<64 bytes>",
  "egf 9000",
  "vu 002241A40C800A04007F00070202030202",
  "egf 9000",
  "vu 00860000457C43804104470E7E306C9303E710119B3B4E18E5C9225BD84A32F4984BA9BD41557B2A1517693BB069E6C36E1613FAD10C0E9E63655C639D4607839D0BA59FFB1F0BA690BC00",
  "egf 7C14810848D292E678912DAD8208788B65CBC7903ED19000",
  "vu 0CA4020C0E81022F2F8E088918519DE95B133800",
  "egf 990290008E08C285DB052D3C125F9000",
  "vu 0CB201040D9701558E08EE2830B39C644FAD00",
  "egf 814224474E524D432C3038303030322E30302C412C353035312E3034352C4E2C30303432312E3130322C452C34382E362C302E302C3032303332362C2C2C442C532A3042990290008E0826E01B4719A54F469000",
  "vu 0CB202040D9701558E08D9A2353BEE5E085A00",
  "egf 81372447504753412C412C332C30322C30352C30372C31332C31352C32302C32342C33302C2C2C2C2C312E362C302E392C312E332C312A3232990290008E0832C572FC2724E0379000",
  "vu 0CB203040D9701558E08A0BE78C1D28A2C6100",
  "egf 813324474C4753412C412C332C36352C36362C37322C37342C38312C38322C2C2C2C2C2C2C322E312C312E322C312E372C322A3330990290008E08C8D18B38A91598079000",
  "vu 0CB204040D9701558E08A49F6C6027ECF54300",
  "egf 81352447414753412C412C332C30312C30332C30352C31312C31332C32342C32372C2C2C2C2C2C312E382C312E302C312E352C332A3336990290008E08C036DC5E125FA1A89000",
  "vu 0CB205040D9701558E08ECFC07799A87E10300",
  "egf 811E2447424753412C412C312C2C2C2C2C2C2C2C2C2C2C2C2C2C2C2C342A3134990290008E082350114AB56F66529000",
  "vu 0CB206040D9701558E0882601912EB11FA2A00",
  "egf 812B2447504753412C412C332C33332C33362C2C2C2C2C2C2C2C2C2C2C312E362C302E392C312E332C312A3236990290008E0825AE74EAD01DED199000",
];

async function coupled(options: ConstructorParameters<typeof EgfBench>[0] = {}) {
  const bench = new EgfBench(options);
  await bench.start();
  bench.couple();
  await bench.clock.advance(3_000);
  return bench;
}

describe('VU - EGF link: normal operation and failures', () => {
  it('reports the coupling, the authentication and a validated position, then reads every T (GNS_23)', async () => {
    const bench = await coupled({ timing: { requestPeriodMs: 10_000 } });
    const [c] = bench.of('gnss.coupled');
    expect(c!.egfSerialNumber).toBe('0000000101260840');
    expect(c!.workshop).toEqual({ calibrationMode: true, workshopCardNumber: 'W000000000000100' });
    expect(bench.of('gnss.authenticated')).toHaveLength(1);
    // $GNRMC,080000.00,A,5051.018,N,00421.102,E,0.0,...: 1/1000 minute rounded to 1/10; HDOP the least of the GSAs.
    expect(bench.of('gnss.position')).toEqual([{ position: { time: Date.UTC(2026, 2, 2, 8, 0, 0), latitude: 50510, longitude: 4211, speedKmh: 0, hdop: 0.9 } }]);
    await bench.clock.advance(30_000);
    expect(bench.timeline().filter((l) => l.endsWith('gnss.position')).map((l) => Math.round(Number(l.split(' ')[0]) / 1000))).toEqual([0, 10, 20, 30]);
    expect(bench.of('gnss.authFailed')).toEqual([]);
  });

  it('resumes a stored coupling after a restart with Figure 11 only: no certificates on the line (CSM_211)', async () => {
    const first = await coupled();
    const stored = first.of('gnss.coupled')[0]!.egfCertificate;
    const vuCert = first.credentials.certificate;
    const bench = new EgfBench({ egfCertificate: stored, egf: { coupledVuCertificate: vuCert } });
    await bench.start();
    await bench.clock.advance(1_000);
    expect(bench.of('gnss.authenticated')).toHaveLength(1);
    expect(bench.of('gnss.position')).toHaveLength(1);
    expect(apdus(bench).some((a) => a.includes('002A00BE') || a.includes('certificate'))).toBe(false);
  });

  it('a coupling asked while a request is on the line waits for its answer: one APDU at a time (T=1 is half duplex)', async () => {
    const bench = await coupled({ timing: { requestPeriodMs: 10_000 } });
    await bench.clock.advance(7_000);
    // t = 10 s: the cycle's READ RECORD 01 has just gone out, unanswered yet, when the workshop couples again
    expect(bench.blocks.at(-1)).toMatchObject({ t: 10_000, from: 'vu' });
    bench.couple();
    await bench.clock.advance(3_000);
    // blocks alternate: the VU sends nothing before the EGF has answered its last block
    const turns = bench.blocks.filter((b) => b.t >= 10_000).map((b) => b.from);
    expect(turns.filter((from, i) => i > 0 && from === turns[i - 1])).toEqual([]);
    expect(bench.of('gnss.coupled')).toHaveLength(2);
    expect(bench.of('gnss.authFailed')).toEqual([]);
    // the read in flight is answered and reported, then the coupling runs
    expect(bench.timeline().slice(-4).map((l) => l.split(' ')[1])).toEqual(['gnss.position', 'gnss.coupled', 'gnss.authenticated', 'gnss.position']);
  });

  it('another EGF on the line: T=1 disagrees, the VU resynchronises (ISO/IEC 7816-3 rules 7.4, 6.4) and finds another serial number (CSM_205)', async () => {
    const bench = await coupled({ timing: { requestPeriodMs: 10_000 } });
    bench.replaceEgf({ serialNumber: { serialNumber: 2 } });
    await bench.clock.advance(10_000);
    const cycle = bench.blocks.filter((b) => b.t >= 10_000).map((b) => `${b.from} ${b.hex.slice(0, 8)}`);
    // the VU's N(S) is 1, the new EGF expects 0: asked for it three times, the VU resynchronises and sends again
    expect(cycle.slice(0, 9)).toEqual(['vu 0040130c', 'egf 00820082', 'vu 0040130c', 'egf 00820082', 'vu 0040130c', 'egf 00820082', 'vu 00c000c0', 'egf 00e000e0', 'vu 0000130c']);
    // the new EGF has no session: '6982' in plain to the READ RECORD sent again after the resynchronisation
    // (CSM_192; not counted, recovery.ts), then Figure 11 again: five failures in a row, the fifth reported
    const changed = 'EF.ICC names 0000000201260840, the coupled EGF is 0000000101260840';
    expect(bench.of('gnss.authRetry')).toEqual([
      { reason: 'secure-messaging', detail: 'plain: plain response 6982, after a resynchronisation: not counted', consecutive: 0 },
      ...[1, 2, 3, 4].map((consecutive) => ({ reason: 'egf-changed', detail: changed, consecutive })),
    ]);
    expect(bench.of('gnss.authFailed')).toEqual([{ reason: 'egf-changed', detail: `${changed} (5 in a row)` }]);
    expect(bench.of('gnss.noAnswer')).toEqual([]);
  });

  it('a peer that never agrees is resynchronised three times at most, then the request is unanswered (GNS_28)', async () => {
    const bench = await coupled({ timing: { requestPeriodMs: 10_000 } });
    // every I-block of the EGF's becomes R(0) "other error" on the line: the VU never gets an answer
    bench.mutateEgf = (bytes) => (decodeBlock(bytes).ok && (decodeBlock(bytes) as { block: { type: string } }).block.type === 'I' ? Uint8Array.of(0x00, 0x82, 0x00, 0x82) : bytes);
    await bench.clock.advance(10_000);
    const sent = bench.blocks.filter((b) => b.t >= 10_000 && b.from === 'vu').map((b) => b.hex.slice(0, 8));
    // 4 rounds of the I-block sent three times, with 3 S(RESYNCH) between them; then nothing until the timeout
    expect(sent.filter((h) => h === '00c000c0')).toHaveLength(3);
    expect(sent).toHaveLength(15);
    expect(bench.of('gnss.noAnswer')).toHaveLength(1);
  });

  it("refuses to couple outside calibration mode (CSM_202), sending nothing", async () => {
    const bench = new EgfBench();
    await bench.start();
    bench.couple(false);
    await bench.clock.advance(1_000);
    expect(bench.of('gnss.authFailed')).toEqual([{ reason: 'not-in-calibration', detail: 'coupling needs calibration mode (CSM_202)' }]);
    expect(bench.blocks).toEqual([]);
  });

  it("an EGF that does not know the VU_MA key answers MSE: SET AT '6A88': authentication failure 0x1A", async () => {
    const first = await coupled();
    const bench = new EgfBench({ egfCertificate: first.of('gnss.coupled')[0]!.egfCertificate });
    await bench.start();
    await bench.clock.advance(1_000);
    expect(bench.of('gnss.authRetry').map((r) => r.consecutive)).toEqual([1, 2, 3, 4]);
    expect(bench.of('gnss.authFailed')).toEqual([{ reason: 'not-coupled', detail: 'the EGF does not know the VU_MA key (6A88) (5 in a row)' }]);
    expect(bench.of('gnss.position')).toEqual([]);
  });

  it('an EGF certified under another root is refused at coupling (CSM_206)', async () => {
    const bench = await coupled({ egf: { testPki: { seed: 99 } } });
    const [f] = bench.of('gnss.authFailed');
    expect(f!.reason).toBe('egf-chain');
    expect(f!.detail).toMatch(/^EQT\.CA certificate: signature does not verify/);
    expect(bench.of('gnss.coupled')).toEqual([]);
  });

  it('an expired EGF_MA certificate is reported (0x1B) and positions are still used (CSM_212, GNS_31)', async () => {
    const egf = { testPki: { issuedAt: '2025-01-01T00:00:00Z', validityMs: 366 * 86_400_000 } };
    // Coupled 200 days earlier by the VU clock, when the certificate (and the MSCA above it) was valid.
    const first = await coupled({ egf, vuOffsetMs: -200 * 86_400_000 });
    const stored = first.of('gnss.coupled')[0]!.egfCertificate;
    const bench = new EgfBench({ egfCertificate: stored, egf: { ...egf, coupledVuCertificate: first.credentials.certificate }, vuOffsetMs: 0 });
    await bench.start();
    await bench.clock.advance(1_000);
    // 2026-03-02 is past 2025-01-01 + 366 days.
    expect(bench.of('gnss.certificateExpired')).toEqual([{ expiredAt: Date.UTC(2026, 0, 2) }]);
    expect(bench.of('gnss.authenticated')).toHaveLength(1);
    expect(bench.of('gnss.position')).toHaveLength(1);
  });

  it("a wrong MAC makes the EGF answer '6988' and end the session; the VU re-authenticates at once (CSM_193..195, CSM_215): one failure is no 0x1A", async () => {
    const bench = await coupled({ timing: { requestPeriodMs: 10_000 } });
    let armed = true;
    bench.mutateVu = (bytes) => {
      const d = decodeBlock(bytes);
      if (!armed || !d.ok || d.block.type !== 'I' || d.block.inf[0] !== 0x0c) return bytes;
      armed = false;
      const inf = Uint8Array.from(d.block.inf);
      inf[inf.length - 2]! ^= 0x01; // last MAC byte, before Le
      return encodeBlock({ ...d.block, inf });
    };
    await bench.clock.advance(10_000);
    expect(apdus(bench).filter((a) => a === 'egf 6988')).toHaveLength(1);
    expect(bench.of('gnss.authRetry')).toEqual([{ reason: 'secure-messaging', detail: 'sm-error-status: the peer reports an SM error (6988)', consecutive: 1 }]);
    expect(bench.of('gnss.authFailed')).toEqual([]);
    expect(bench.of('gnss.authenticated')).toHaveLength(2);
    expect(bench.of('gnss.position')).toHaveLength(2);
  });

  it("a tampered EGF answers '6690': reported at each request (GNS_29; the VU's rules keep one 0x19 per episode)", async () => {
    const bench = await coupled({ timing: { requestPeriodMs: 10_000 } });
    bench.egf.send({ type: 'tamper' });
    await bench.clock.advance(30_000);
    // cycles at 10, 20, 30 s: one command each, answered '6690', then nothing more that cycle
    expect(bench.timeline().filter((l) => l.endsWith('gnss.tamper')).map((l) => Math.floor(Number(l.split(' ')[0]) / 1000))).toEqual([10, 20, 30]);
    expect(bench.of('gnss.position')).toHaveLength(1);
    expect(bench.of('gnss.authFailed')).toEqual([]);
  });

  it("an EGF whose EF EGF answers '6400' is a facility fault at each read, and at each renewal's SELECT EF EGF, not an authentication failure (0x37)", async () => {
    const bench = await coupled({ timing: { requestPeriodMs: 10_000 } });
    bench.egf.send({ type: 'fault', on: true });
    await bench.clock.advance(20_000);
    // in the session: READ RECORD 01 answered '6400' under SM
    expect(bench.of('gnss.facilityFault')).toEqual([{ sw: 0x6400 }, { sw: 0x6400 }]);
    const [request, answer] = apdus(bench).slice(-2);
    expect(request).toMatch(/^vu 0CB20104/);
    // the status under secure messaging: DO '99' = '6400', then the MAC, and SW1-SW2 '6400' (App. 11 §10.5)
    expect(answer).toMatch(/^egf 99026400.*6400$/);
    expect(bench.of('gnss.authFailed')).toEqual([]);
    expect(bench.of('gnss.position')).toHaveLength(1);
    bench.egf.send({ type: 'fault', on: false });
    await bench.clock.advance(10_000);
    expect(bench.of('gnss.position')).toHaveLength(2);
  });

  it("a fault found at a new session's SELECT EF EGF drops the session and is found again at the next cycle", async () => {
    const bench = await coupled({ timing: { requestPeriodMs: 10_000 } });
    // a silence longer than the T=1 recovery (12 s of block waiting times, recovery.ts) leaves the request
    // unanswered and makes the VU re-authenticate; the fault is in place by then
    bench.egf.send({ type: 'silence', on: true });
    bench.egf.send({ type: 'fault', on: true });
    await bench.clock.advance(20_000);
    bench.egf.send({ type: 'silence', on: false });
    await bench.clock.advance(10_000);
    expect(bench.of('gnss.authenticated')).toHaveLength(3);
    expect(bench.of('gnss.facilityFault')).toEqual([{ sw: 0x6400 }, { sw: 0x6400 }]);
    expect(bench.of('gnss.authFailed')).toEqual([]);
    bench.egf.send({ type: 'fault', on: false });
    await bench.clock.advance(10_000);
    expect(bench.of('gnss.authenticated')).toHaveLength(4);
    expect(bench.of('gnss.position')).toHaveLength(2);
  });

  it('record 01 as 12 x FF after 3 h without receiver data gives gnss.noData (GNS_30)', async () => {
    const bench = await coupled();
    bench.egf.send({ type: 'receiver', on: false });
    await bench.clock.advance(3 * 3_600_000 + 20_000);
    expect(bench.of('gnss.noData')).toHaveLength(1);
    expect(bench.of('gnss.position')).toHaveLength(1 + 540);
  });

  it('an RMC with status V is no position (GNS_23 step 5)', async () => {
    const bench = await coupled();
    bench.world.gnss.setAvailable(false);
    await bench.clock.advance(20_000);
    expect(bench.of('gnss.noFix')).toEqual([{ time: Date.UTC(2026, 2, 2, 8, 0, 20) }]);
  });

  it('a silent EGF gives gnss.noAnswer, after the T=1 recovery, with the run since its first unanswered request, then resynchronises and re-authenticates (GNS_28)', async () => {
    const bench = await coupled();
    bench.egf.send({ type: 'silence', on: true });
    await bench.clock.advance(21 * 60_000);
    const silent = bench.of('gnss.noAnswer');
    // each cycle's request is unanswered after the T=1 recovery: its block 3 times, 3 resynchronisations of
    // 3 S(RESYNCH) each, a block waiting time of 1 s apiece (recovery.ts): 12 s
    expect(silent).toHaveLength(62);
    expect(silent[0]).toEqual({ consecutive: 1, since: silent[0]!.since, durationMs: 12_000 });
    expect(silent.at(-1)!.durationMs - silent[0]!.durationMs).toBe(61 * 20_000);
    bench.egf.send({ type: 'silence', on: false });
    await bench.clock.advance(20_000);
    const [back] = bench.of('gnss.answering');
    expect(back!.since).toBe(silent[0]!.since);
    // The EGF answers the first block the VU sends again after it is back: 3 s into the 63rd cycle (a
    // retransmission of that cycle's S(RESYNCH)), a T=1 block time later.
    expect(back!.durationMs).toBeGreaterThanOrEqual(62 * 20_000 + 3_000);
    expect(back!.durationMs).toBeLessThan(62 * 20_000 + 3_100);
    expect(bench.of('gnss.authenticated')).toHaveLength(2);
    expect(bench.of('gnss.position').length).toBeGreaterThanOrEqual(2);
  });
});

describe('VU - EGF link: secure messaging session renewal (CSM_193)', () => {
  it('opens a new session before a read would cross the EGF limit of 240 pairs: no 6982, no authFailed, every cycle a position', async () => {
    const bench = await coupled();
    await bench.clock.advance(40 * 60_000);
    // One session: SELECT EF EGF (pair 1) then 39 reads of 6 pairs (235); the 40th read (pairs 236..241) would
    // cross 240, so cycle 40 authenticates again first. 121 cycles: reads 1-39, 40-78, 79-117, 118-121.
    expect(bench.of('gnss.authFailed')).toEqual([]);
    expect(apdus(bench).filter((a) => a.startsWith('egf 69'))).toEqual([]);
    expect(bench.of('gnss.position')).toHaveLength(121);
    expect(bench.of('gnss.authenticated')).toHaveLength(4);
    const cycleOf = (l: string) => Math.floor(Number(l.split(' ')[0]) / 20_000);
    expect(bench.timeline().filter((l) => l.endsWith('gnss.authenticated')).map(cycleOf)).toEqual([0, 39, 78, 117]);
  });

  it('renews against a smaller limit too, when both ends are configured with it', async () => {
    const bench = new EgfBench({ egf: { smSessionLimit: 20 }, smSessionLimit: 20 });
    await bench.start();
    bench.couple();
    await bench.clock.advance(10 * 20_000 + 3_000);
    // 1 + 3 × 6 = 19 pairs: three reads per session; 11 cycles -> sessions at cycles 0, 3, 6, 9.
    expect(bench.of('gnss.authFailed')).toEqual([]);
    expect(bench.of('gnss.position')).toHaveLength(11);
    expect(bench.of('gnss.authenticated')).toHaveLength(4);
  });
});

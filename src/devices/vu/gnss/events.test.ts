import { describe, expect, it } from 'vitest';
import { listRecords } from '../data-memory/event-store.ts';
import { GnssVu, HOUR, MIN, real } from './test-support.ts';

const noAnswer = (durationMs: number) => ({ type: 'gnss.noAnswer' as const, consecutive: Math.ceil(durationMs / 20_000), since: 0, durationMs });

describe('0x0D absence of position information (GNS_30, GNS_34)', () => {
  it("the EGF's no-data answer while moving begins one span; the next valid position ends it", () => {
    const vu = new GnssVu().at(0).fix();
    vu.at(3 * HOUR + 20_000).report({ type: 'gnss.noData' });
    vu.at(3 * HOUR + 40_000).report({ type: 'gnss.noData' });
    expect(vu.stored()).toEqual([[0x0d, real(3 * HOUR + 20_000), null, {}]]);
    vu.at(4 * HOUR).fix();
    expect(vu.stored()).toEqual([[0x0d, real(3 * HOUR + 20_000), real(4 * HOUR), {}]]);
    expect(listRecords(vu.events, real(4 * HOUR)).map((r) => [r.type, r.purpose, r.cardsAtBegin.driver?.cardNumber])).toEqual([
      [0x0d, 0x01, 'DF00000012345601'],
      [0x0d, 0x02, 'DF00000012345601'],
    ]);
  });

  it('none while stationary, none in calibration mode; it begins once the vehicle moves with the outage still on', () => {
    const vu = new GnssVu().at(0).fix();
    vu.moving = false;
    vu.at(3 * HOUR + 20_000).report({ type: 'gnss.noData' });
    vu.moving = true;
    vu.calibrationMode = true;
    vu.at(3 * HOUR + 40_000).report({ type: 'gnss.noData' });
    expect(vu.stored()).toEqual([]);
    vu.calibrationMode = false;
    vu.at(3 * HOUR + 60_000).report({ type: 'gnss.noData' });
    expect(vu.stored()).toEqual([[0x0d, real(3 * HOUR + 60_000), null, {}]]);
  });

  it('internal receiver: after more than 3 h without a fix, not at 3 h (GNS_34)', () => {
    const vu = new GnssVu('internal').at(0).fix();
    for (let t = 20_000; t <= 3 * HOUR + 20_000; t += 20_000) vu.at(t).report({ type: 'gnss.noFix', time: null });
    // The first no-fix report at 20 s starts the count: 3 h later (3 h 20 s) is not "more than 3 h".
    expect(vu.stored()).toEqual([]);
    vu.at(3 * HOUR + 40_000).report({ type: 'gnss.noFix', time: null });
    expect(vu.stored()).toEqual([[0x0d, real(3 * HOUR + 40_000), null, {}]]);
  });

  it('external source: the VU does not count no-fix hours itself (the EGF does, GNS_30)', () => {
    const vu = new GnssVu('external').at(0).fix();
    for (let t = 20_000; t <= 4 * HOUR; t += 20 * MIN) vu.at(t).report({ type: 'gnss.noFix', time: null });
    expect(vu.stored()).toEqual([]);
  });
});

describe('0x0E communication error with the EGF (GNS_28)', () => {
  it('19 min and 20 min of silence: none; 21 min: a span from then, ended when the EGF answers', () => {
    const vu = new GnssVu().at(0).fix();
    vu.at(19 * MIN).report(noAnswer(19 * MIN));
    vu.at(20 * MIN).report(noAnswer(20 * MIN));
    expect(vu.stored()).toEqual([]);
    vu.at(21 * MIN).report(noAnswer(21 * MIN));
    vu.at(22 * MIN).report(noAnswer(22 * MIN));
    expect(vu.stored()).toEqual([[0x0e, real(21 * MIN), null, {}]]);
    vu.at(30 * MIN).report({ type: 'gnss.answering', since: 0, durationMs: 30 * MIN });
    expect(vu.stored()).toEqual([[0x0e, real(21 * MIN), real(30 * MIN), {}]]);
    expect(vu.state.communicationEvent).toBeNull();
  });

  it('none while stationary or in calibration mode', () => {
    const vu = new GnssVu().at(0).fix();
    vu.moving = false;
    vu.at(21 * MIN).report(noAnswer(21 * MIN));
    vu.moving = true;
    vu.calibrationMode = true;
    vu.at(22 * MIN).report(noAnswer(22 * MIN));
    vu.calibrationMode = false;
    vu.at(23 * MIN).report({ type: 'gnss.answering', since: 0, durationMs: 23 * MIN });
    expect(vu.stored()).toEqual([]);
  });

  it('a span whose begin the clock was set back past ends at its begin, not before it', () => {
    const vu = new GnssVu().at(0).fix();
    vu.at(21 * MIN).report(noAnswer(21 * MIN));
    vu.skew(-600);
    vu.at(22 * MIN).report({ type: 'gnss.answering', since: 0, durationMs: 22 * MIN });
    expect(vu.stored()).toEqual([[0x0e, real(21 * MIN), real(21 * MIN), {}]]);
  });
});

describe('0x19, 0x1A, 0x1B, 0x36', () => {
  it('tamper (GNS_29): one 0x19 per episode, however many requests find it; a new episode after normal answers', () => {
    const vu = new GnssVu().at(MIN).report({ type: 'gnss.tamper' });
    vu.at(MIN + 20_000).report({ type: 'gnss.tamper' });
    expect(vu.stored()).toEqual([[0x19, real(MIN), real(MIN), {}]]);
    vu.at(5 * MIN).fix();
    vu.at(6 * MIN).report({ type: 'gnss.tamper' });
    expect(vu.stored()).toEqual([
      [0x19, real(MIN), real(MIN), {}],
      [0x19, real(6 * MIN), real(6 * MIN), {}],
    ]);
  });

  it('Annex IC 85: no 0x19 while in calibration mode; the tamper still found after the mode is left is recorded then', () => {
    const vu = new GnssVu();
    vu.calibrationMode = true;
    vu.at(MIN).report({ type: 'gnss.tamper' });
    vu.at(MIN + 20_000).report({ type: 'gnss.tamper' });
    expect(vu.stored()).toEqual([]);
    vu.calibrationMode = false;
    vu.at(2 * MIN).report({ type: 'gnss.tamper' });
    expect(vu.stored()).toEqual([[0x19, real(2 * MIN), real(2 * MIN), {}]]);
  });

  it('Annex IC 85: no 0x1A while in calibration mode (a coupling refused, a replaced EGF); the run is recorded at its first failure after', () => {
    const vu = new GnssVu();
    vu.calibrationMode = true;
    vu.at(MIN).report({ type: 'gnss.authFailed', reason: 'egf-chain', detail: 'EQT.CA certificate: signature does not verify' });
    vu.at(2 * MIN).report({ type: 'gnss.authFailed', reason: 'egf-changed', detail: 'EF.ICC names another EGF' });
    expect(vu.stored()).toEqual([]);
    vu.calibrationMode = false;
    vu.at(3 * MIN).report({ type: 'gnss.authFailed', reason: 'egf-changed', detail: 'EF.ICC names another EGF' });
    vu.at(4 * MIN).report({ type: 'gnss.authFailed', reason: 'egf-changed', detail: 'EF.ICC names another EGF' });
    expect(vu.stored()).toEqual([[0x1a, real(3 * MIN), real(3 * MIN), {}]]);
  });

  it('Annex IC 85: no 0x1B while in calibration mode; the expired certificate is recorded at the first authentication after', () => {
    const expiredAt = Date.UTC(2026, 0, 2);
    const vu = new GnssVu();
    vu.calibrationMode = true;
    vu.at(0).report({ type: 'gnss.certificateExpired', expiredAt }).fix();
    expect(vu.stored()).toEqual([]);
    vu.calibrationMode = false;
    vu.at(13 * MIN).report({ type: 'gnss.certificateExpired', expiredAt }).fix();
    vu.at(26 * MIN).report({ type: 'gnss.certificateExpired', expiredAt }).fix();
    expect(vu.stored()).toEqual([[0x1b, real(13 * MIN), real(13 * MIN), {}]]);
  });

  it('authentication failure: one 0x1A per run of failures; a successful authentication starts a new run', () => {
    const vu = new GnssVu();
    vu.at(MIN).report({ type: 'gnss.authFailed', reason: 'not-coupled', detail: '6A88' });
    vu.at(2 * MIN).report({ type: 'gnss.authFailed', reason: 'not-coupled', detail: '6A88' });
    vu.at(3 * MIN).report({ type: 'gnss.authenticated' });
    vu.at(4 * MIN).report({ type: 'gnss.authFailed', reason: 'secure-messaging', detail: '6988' });
    expect(vu.stored()).toEqual([
      [0x1a, real(MIN), real(MIN), {}],
      [0x1a, real(4 * MIN), real(4 * MIN), {}],
    ]);
  });

  it('a coupling refused outside calibration mode is no 0x1A', () => {
    const vu = new GnssVu().at(MIN).report({ type: 'gnss.authFailed', reason: 'not-in-calibration', detail: 'CSM_202' });
    expect(vu.stored()).toEqual([]);
  });

  it('certificate expired (GNS_31): one 0x1B per certificate, and positions are still kept', () => {
    const expiredAt = Date.UTC(2026, 0, 2);
    const vu = new GnssVu().at(0).report({ type: 'gnss.certificateExpired', expiredAt }).fix();
    vu.at(15 * MIN).report({ type: 'gnss.certificateExpired', expiredAt }).fix();
    expect(vu.stored()).toEqual([[0x1b, real(0), real(0), {}]]);
    expect(vu.state.lastPosition).toEqual({ gnssTime: vu.rigNow, vuTime: vu.rigNow, latitude: 50510, longitude: 4211, hdop: 0.9 });
  });

  it('internal receiver fault (Annex IC 88, 89): a 0x36 span from the first read that finds it to the first proper read', () => {
    const vu = new GnssVu('internal').at(0).fix();
    vu.at(MIN).report({ type: 'gnss.receiverFault' });
    vu.at(2 * MIN).report({ type: 'gnss.receiverFault' });
    expect(vu.stored()).toEqual([[0x36, real(MIN), null, {}]]);
    vu.at(5 * MIN).report({ type: 'gnss.noFix', time: null });
    expect(vu.stored()).toEqual([[0x36, real(MIN), real(5 * MIN), {}]]);
    expect(vu.state.receiverFaultEvent).toBeNull();
  });

  it('Annex IC 88: no 0x36 while in calibration mode; a fault still there after the mode is left begins then', () => {
    const vu = new GnssVu('internal').at(0).fix();
    vu.calibrationMode = true;
    vu.at(MIN).report({ type: 'gnss.receiverFault' });
    expect(vu.stored()).toEqual([]);
    vu.calibrationMode = false;
    vu.at(2 * MIN).report({ type: 'gnss.receiverFault' });
    vu.at(3 * MIN).fix();
    expect(vu.stored()).toEqual([[0x36, real(2 * MIN), real(3 * MIN), {}]]);
  });

  it('a faulty internal receiver gives no data: more than 3 h of it while moving is also 0x0D (GNS_34)', () => {
    const vu = new GnssVu('internal').at(0).fix();
    for (let t = 20_000; t <= 3 * HOUR + 20_000; t += 20_000) vu.at(t).report({ type: 'gnss.receiverFault' });
    expect(vu.stored()).toEqual([[0x36, real(20_000), null, {}]]);
    vu.at(3 * HOUR + 40_000).report({ type: 'gnss.receiverFault' });
    expect(vu.stored()).toEqual([
      [0x36, real(20_000), null, {}],
      [0x0d, real(3 * HOUR + 40_000), null, {}],
    ]);
  });

  it("EGF fault (Annex IC 88, 89): a 0x37 span from the first '6400' outside calibration mode to the next proper read", () => {
    const vu = new GnssVu().at(0).fix();
    vu.calibrationMode = true;
    vu.at(MIN).report({ type: 'gnss.facilityFault', sw: 0x6400 });
    expect(vu.stored()).toEqual([]);
    vu.calibrationMode = false;
    vu.at(2 * MIN).report({ type: 'gnss.facilityFault', sw: 0x6400 });
    vu.at(3 * MIN).report({ type: 'gnss.facilityFault', sw: 0x6400 });
    expect(vu.stored()).toEqual([[0x37, real(2 * MIN), null, {}]]);
    vu.at(4 * MIN).report({ type: 'gnss.noData' });
    expect(vu.stored()).toEqual([
      [0x37, real(2 * MIN), real(4 * MIN), {}],
      [0x0d, real(4 * MIN), null, {}],
    ]);
  });

  it('an authentication, a silence or a tamper answer does not end a 0x37 span: only records read properly do', () => {
    const vu = new GnssVu().at(0).fix();
    vu.at(MIN).report({ type: 'gnss.facilityFault', sw: 0x6500 });
    vu.at(2 * MIN).report({ type: 'gnss.authenticated' });
    vu.at(3 * MIN).report(noAnswer(MIN));
    vu.at(4 * MIN).report({ type: 'gnss.answering', since: 0, durationMs: MIN });
    expect(vu.stored()).toEqual([[0x37, real(MIN), null, {}]]);
    vu.at(5 * MIN).fix();
    expect(vu.stored()).toEqual([[0x37, real(MIN), real(5 * MIN), {}]]);
  });
});

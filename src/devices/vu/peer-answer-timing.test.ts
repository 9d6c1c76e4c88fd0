import { describe, expect, it } from 'vitest';
import { AnswerMeter, meterLink } from '../../harness/links/index.ts';
import { motionSensorLinkCodec } from '../../protocols/motion-sensor/index.ts';
import { t1PortCodec } from '../gnss/port-codec.ts';
import { EgfBench } from './gnss-link/egf-bench.ts';
import { PairingBench } from './sensor-link/pairing-bench.ts';

// The VU's peers answer at once (the motion sensor, the EGF): on a paced line each answer's first byte lands
// one character (8N1: 10 bits) after the request's last; the meter must see exactly that, every exchange.
const micro = (ms: number) => Math.round(ms * 1000) / 1000;

describe("the VU's peers' answer times, measured on the line", () => {
  it('the motion sensor: one character at 9600 baud after each of the VU\'s requests, pairing and counter checks', async () => {
    const bench = new PairingBench({ sensor: { serialNumber: { serialNumber: 12345, monthYear: '0726' } }, timing: { requestPeriodMs: 10_000 } });
    const meter = new AnswerMeter({ link: 'sensor~vu', requester: 'vu.sensor', answerer: 'sensor.vu', requests: motionSensorLinkCodec(), answers: motionSensorLinkCodec() });
    meterLink(bench.link, meter);
    await bench.start();
    bench.pair({ versions: [1] });
    await bench.clock.advance(31_000);
    const requests = bench.transcript.filter((l) => l.from === 'vu').length;
    const one = micro(10_000 / 9600);
    expect(requests).toBeGreaterThan(6); // the pairing's exchanges and three counter checks
    expect(meter.summary()).toEqual({ link: 'sensor~vu', requester: 'vu.sensor', answerer: 'sensor.vu', exchanges: requests, unanswered: 0, answerMs: { p50: one, p99: one, max: one } });
  });

  it('the EGF: one character at 115200 baud after each of the VU\'s T=1 blocks, coupling and reads', async () => {
    const bench = new EgfBench({ timing: { requestPeriodMs: 10_000 } });
    const meter = new AnswerMeter({ link: 'egf~vu', requester: 'vu.gnss', answerer: 'egf.vu', requests: t1PortCodec, answers: t1PortCodec });
    meterLink(bench.link, meter);
    await bench.start();
    bench.couple();
    await bench.clock.advance(21_000);
    const blocks = bench.blocks.filter((l) => l.from === 'vu').length;
    const one = micro(10_000 / 115_200);
    expect(blocks).toBeGreaterThan(10);
    expect(meter.summary()).toEqual({ link: 'egf~vu', requester: 'vu.gnss', answerer: 'egf.vu', exchanges: blocks, unanswered: 0, answerMs: { p50: one, p99: one, max: one } });
  });
});

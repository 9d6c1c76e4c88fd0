import { AnswerMeter, meterLink, type AnswerWindow, type Link, type PortTiming } from '../links/index.ts';
import type { PortSpec } from '../devices/device-kind.ts';
import type { RigPlan } from './rig-runtime.ts';

/** The meters of a running rig's links, one per asking direction (harness/links/answer-timing.ts). */
export interface PortTimingMeters {
  /** Every metered direction so far, in the order of the rig file's links. */
  summaries(): PortTiming[];
  stop(): void;
}

/**
 * Meters every link whose ports say who asks and who answers (PortSpec.exchange): a port that `requests`
 * is answered by the other end, a port that `answers` answers it. Frames are split by each port's codec
 * (the other end's where a port has none); a link without a codec on either end is not metered. The window
 * is the asking port's `answerWindow`, from its device's options (for an external device, the options the
 * rig file gives it: what the bench knows of the device under test).
 */
export function meterPorts(plan: RigPlan, links: Iterable<Link>): PortTimingMeters {
  const deviceOf = new Map(plan.devices.map((d) => [d.name, d]));
  const specOf = (port: string): PortSpec | undefined => {
    const [device, name] = port.split('.') as [string, string];
    return deviceOf.get(device)?.kind.ports[name];
  };
  const meters: AnswerMeter[] = [];
  const stops: (() => void)[] = [];
  for (const link of links) {
    const ends = [link.a.name, link.b.name] as const;
    const directions = new Map<string, [string, string]>();
    for (const [i, port] of ends.entries()) {
      const other = ends[1 - i]!;
      const role = specOf(port)?.exchange?.role;
      if (role === 'requests') directions.set(`${port}>${other}`, [port, other]);
      if (role === 'answers') directions.set(`${other}>${port}`, [other, port]);
    }
    for (const [requester, answerer] of directions.values()) {
      const asking = specOf(requester);
      const answering = specOf(answerer);
      const requests = asking?.codec ?? answering?.codec;
      const answers = answering?.codec ?? asking?.codec;
      if (!requests || !answers) continue;
      const meter = new AnswerMeter({ link: link.id, requester, answerer, requests, answers, ...windowOf(requester, asking, deviceOf) });
      meters.push(meter);
      stops.push(meterLink(link, meter));
    }
  }
  return {
    summaries: () => meters.map((m) => m.summary()),
    stop: () => {
      for (const stop of stops.splice(0)) stop();
    },
  };
}

function windowOf(port: string, spec: PortSpec | undefined, deviceOf: Map<string, RigPlan['devices'][number]>): { window?: AnswerWindow } {
  const exchange = spec?.exchange;
  if (exchange?.role !== 'requests' || !exchange.answerWindow) return {};
  const device = port.split('.')[0]!;
  return { window: { ...exchange.answerWindow(deviceOf.get(device)?.options), of: device } };
}

import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../crypto/bytes.ts';
import { TestPki } from '../../../crypto/pki/test-pki.ts';
import { decodeTachographPayload, decodeVuLinkFrame, encodeVuLinkFrame, processDsrcMessage, type TachographPayload } from '../../../protocols/dsrc/index.ts';
import { EXAMPLE_PAYLOAD } from '../../../protocols/dsrc/rtm-example.ts';
import { createCardSlots, slotCards } from '../cards/card-slots.ts';
import { createEventMemory, type EventMemory } from '../data-memory/event-store.ts';
import { afterRestart, createVuDsrcState, dsrcDue, dsrcNoAnswer, dsrcReceive, type DsrcStep, type VuDsrcState } from './remote-communication.ts';
import { iso3166Of, sensorFaultCode } from './rtm-payload.ts';

const VU_ID = '0000000101260640';
const keys = { ...new TestPki().vuDsrcKeys(fromHex(VU_ID), 1), vuId: VU_ID };
const card = { masterKeys: [new TestPki().dsrcMasterKey(1)], validityBegin: 0, expiryDate: 0xffffffff };
const cards = slotCards(createCardSlots());
const payload = (): TachographPayload => EXAMPLE_PAYLOAD;

/** A small driver of the pure steps: the VU's side, with time in TimeReal seconds. */
function run() {
  let state: VuDsrcState = createVuDsrcState();
  let events: EventMemory = createEventMemory();
  let now = 1772431200;
  const apply = (r: DsrcStep) => {
    state = r.state;
    events = r.events;
    return r;
  };
  return {
    get state() {
      return state;
    },
    get events() {
      return events.records.map((e) => ({ type: e.type, begin: e.begin - 1772431200, end: e.end === null ? null : e.end - 1772431200 }));
    },
    at: (t: number) => (now = 1772431200 + t),
    due: () => apply(dsrcDue(state, { now, cards, events }, payload, keys)),
    answer: (m: Parameters<typeof encodeVuLinkFrame>[0]) => apply(dsrcReceive(state, { now, cards, events }, encodeVuLinkFrame(m))),
    noAnswer: () => apply(dsrcNoAnswer(state, { now, cards, events })),
  };
}

describe('the VU remote communication function (DSC_72-77, CSM_225)', () => {
  it('initialises the link, then sends the first set at once with counter 0, then +1 per set', () => {
    const vu = run();
    const init = vu.due();
    expect(decodeVuLinkFrame(init.tx[0]!)).toEqual({ command: 'initRequest', linkId: 1 });
    const up = vu.answer({ command: 'initResponse', linkId: 1, success: true });
    expect(up.answered && up.sendNow).toBe(true);
    const counters: number[] = [];
    for (let i = 0; i < 3; i++) {
      vu.at(60 * i);
      const sent = decodeVuLinkFrame(vu.due().tx[0]!);
      if (sent.command !== 'sendData') throw new Error(sent.command);
      const opened = processDsrcMessage(sent.data, card);
      if (!('payload' in opened)) throw new Error(`card refused: ${opened.sw.toString(16)}`);
      expect(decodeTachographPayload(opened.payload)).toEqual(EXAMPLE_PAYLOAD);
      expect(toHex(opened.security.vuId)).toBe(VU_ID);
      expect(opened.security.timeReal).toBe(1772431200 + 60 * i);
      counters.push(opened.security.counter);
      vu.answer({ command: 'dataAck', linkId: 1, transactionId: sent.transactionId, ack: 'ok' });
    }
    expect(counters).toEqual([0, 1, 2]);
    expect(vu.events).toEqual([]);
  });

  it('a set not acknowledged begins 0x0C at once; more than three failures in a row begin 0x38; an Ok ends both', () => {
    const vu = run();
    vu.due();
    vu.answer({ command: 'initResponse', linkId: 1, success: true });
    vu.at(60);
    vu.due();
    vu.at(62);
    vu.noAnswer();
    expect(vu.events).toEqual([{ type: 0x0c, begin: 62, end: null }]);
    expect(vu.state.linked).toBe(false);
    for (const t of [120, 180]) {
      vu.at(t);
      vu.due();
      vu.at(t + 2);
      vu.noAnswer();
    }
    expect(vu.events).toEqual([{ type: 0x0c, begin: 62, end: null }]);
    vu.at(240);
    vu.due();
    vu.at(242);
    vu.noAnswer();
    expect(vu.events).toEqual([
      { type: 0x0c, begin: 62, end: null },
      { type: 0x38, begin: 242, end: null },
    ]);
    vu.at(300);
    vu.due();
    vu.answer({ command: 'initResponse', linkId: 1, success: true });
    const sent = decodeVuLinkFrame(vu.due().tx[0]!);
    if (sent.command !== 'sendData') throw new Error(sent.command);
    vu.answer({ command: 'dataAck', linkId: 1, transactionId: sent.transactionId, ack: 'ok' });
    expect(vu.events).toEqual([
      { type: 0x0c, begin: 62, end: 300 },
      { type: 0x38, begin: 242, end: 300 },
    ]);
  });

  it('DSC_74: NoK answers begin 0x0C only when there are more than three in a row', () => {
    const vu = run();
    vu.due();
    vu.answer({ command: 'initResponse', linkId: 1, success: true });
    for (let i = 1; i <= 4; i++) {
      vu.at(60 * i);
      const sent = decodeVuLinkFrame(vu.due().tx[0]!);
      if (sent.command !== 'sendData') throw new Error(sent.command);
      vu.answer({ command: 'dataAck', linkId: 1, transactionId: sent.transactionId, ack: 'nok' });
      if (i === 3) expect(vu.events).toEqual([]);
    }
    expect(vu.events).toEqual([
      { type: 0x0c, begin: 240, end: null },
      { type: 0x38, begin: 240, end: null },
    ]);
  });

  it('CSM_225, DSC_76: a restart drops the link but keeps the counter, so no counter value is used twice', () => {
    const vu = run();
    vu.due();
    vu.answer({ command: 'initResponse', linkId: 1, success: true });
    vu.due();
    const restarted = afterRestart(vu.state);
    expect(restarted).toMatchObject({ counter: 0, linked: false, pending: null, held: [] });
    const again = dsrcDue(restarted, { now: 0, cards, events: createEventMemory() }, payload, keys);
    expect(decodeVuLinkFrame(again.tx[0]!).command).toBe('initRequest');
    const data = dsrcDue({ ...again.state, linked: true, pending: null }, { now: 0, cards, events: createEventMemory() }, payload, keys);
    expect(data.state.counter).toBe(1);
  });

  it('ignores an acknowledgement of another transaction, and garbled bytes', () => {
    const vu = run();
    vu.due();
    vu.answer({ command: 'initResponse', linkId: 1, success: true });
    const sent = decodeVuLinkFrame(vu.due().tx[0]!);
    if (sent.command !== 'sendData') throw new Error(sent.command);
    expect(vu.answer({ command: 'dataAck', linkId: 1, transactionId: sent.transactionId + 1, ack: 'ok' }).answered).toBe(false);
    expect(vu.state.pending).toEqual({ kind: 'data', transactionId: sent.transactionId });
    const garbled = encodeVuLinkFrame({ command: 'dataAck', linkId: 1, transactionId: sent.transactionId, ack: 'ok' });
    garbled[5]! ^= 0x40;
    expect(dsrcReceive(vu.state, { now: 0, cards, events: createEventMemory() }, garbled).answered).toBe(false);
  });
});

describe('RTM payload rules (Table 14.3)', () => {
  it('RTM12: the sensor-fault code 0..7', () => {
    expect([
      sensorFaultCode(false, false, false),
      sensorFaultCode(true, false, false),
      sensorFaultCode(false, true, false),
      sensorFaultCode(false, false, true),
      sensorFaultCode(true, true, false),
      sensorFaultCode(true, false, true),
      sensorFaultCode(false, true, true),
      sensorFaultCode(true, true, true),
    ]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('RTM1: NationNumeric to the ISO 3166-1 numeric country code', () => {
    expect([iso3166Of(0x06), iso3166Of(0x0d), iso3166Of(0x11), iso3166Of(0xfd)]).toEqual([56, 276, 250, 0]);
  });
});

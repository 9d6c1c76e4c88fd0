import { describe, expect, it } from 'vitest';
import { encryptZeroIv, fromHex, TestMsca, toHex } from '../../crypto/index.ts';
import {
  FILE,
  INS,
  NEGATIVE_REASON,
  decodeSecurityEventsFile,
  openCounterReply,
  openFileReply,
  openPairingInfoReply,
  sealCounterRequest,
  sealFileRequest,
  sealPairingInfoRequest,
  sealSerialNumber,
  sealSessionKey,
  type LinkFrame,
} from '../../protocols/motion-sensor/index.ts';
import { initialSecurityState, recordSensorEvent, respond, respondToMalformed } from './responder.ts';

const NS = fromHex('0000303907260710');
const msca = new TestMsca(7);
const KP = new Uint8Array(16).fill(0x42);
const material = msca.issueSensor(NS, [1, 2, 3].map((version) => ({ version, kp: KP })));
const fresh = () => initialSecurityState({ ns: material.ns, approvalNumber: 'e1-0042', generation: 2, entries: material.entries });
const req = (instruction: number, payload: Uint8Array): LinkFrame => ({ direction: 'request', instruction, payload });
const INFO = fromHex('69a54380' + '000001c8f1250610' + '0000303907260710' + '02000000');

function pairWithGeneration(version: number) {
  const g = msca.generation(version, 128);
  let state = respond(fresh(), req(INS.SERIAL, new Uint8Array(0)), 0).state;
  const r41 = respond(state, req(INS.PAIRING_KEY, sealSerialNumber(g.kid, NS)), 0);
  state = r41.state;
  const ks = new Uint8Array(16).fill(0x33);
  const r42 = respond(state, req(INS.SESSION_KEY, sealSessionKey(KP, ks)), 0);
  const r43 = respond(r42.state, req(INS.PAIRING_INFO, sealPairingInfoRequest(KP, NS, INFO)), 0);
  return { r41, r42, r43, ks };
}

describe('sensor responder', () => {
  it('answers the serial number in plain', () => {
    expect(respond(fresh(), req(INS.SERIAL, new Uint8Array(0)), 0).reply).toEqual({ direction: 'reply', instruction: INS.SERIAL, payload: NS });
  });

  it('returns KP encrypted under the KM generation the VU proved (CSM_217 step 5 example: generation 2 of 1-3)', () => {
    const { r41, r42, r43, ks } = pairWithGeneration(2);
    expect(r41.reply).toEqual({ direction: 'reply', instruction: INS.PAIRING_KEY, payload: fromHex(material.entries[1]!.encKp) });
    expect(toHex(r41.reply!.payload)).toBe(toHex(encryptZeroIv(msca.generation(2, 128).km, KP)));
    expect(r42.reply).toEqual({ direction: 'reply', instruction: INS.SESSION_KEY, payload: new Uint8Array(0) });
    expect(r43.reply!.instruction).toBe(INS.PAIRING_INFO_REPLY);
    expect(openPairingInfoReply(ks, r43.reply!.payload)).toEqual({ ok: true, value: INFO });
    expect(r43.state.ks).toBe(toHex(ks));
    expect(r43.state.pairingInfo).toBe(toHex(INFO));
  });

  it("refuses a VU whose KID generation it does not hold, each time, and counts '21'H at the third in a row", () => {
    const wrong = req(INS.PAIRING_KEY, sealSerialNumber(msca.generation(4, 128).kid, NS));
    const r1 = respond(fresh(), wrong, 0);
    expect(r1.reply).toEqual({ direction: 'reply', instruction: INS.NEGATIVE, payload: Uint8Array.of(INS.PAIRING_KEY, NEGATIVE_REASON.VU_NOT_AUTHENTICATED) });
    const r2 = respond(r1.state, wrong, 0);
    const r3 = respond(r2.state, wrong, 0);
    expect([r1.events, r2.events, r3.events]).toEqual([[], [], [0x21]]);
    expect([r1.state.eventCounts, r2.state.eventCounts, r3.state.eventCounts]).toEqual([[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [1, 0, 0, 0, 0]]);
    expect(r3.reply).toEqual(r1.reply);
  });

  it("a request it authenticates between two that fail starts the count afresh (AUTH_FAILURES_FOR_EVENT)", () => {
    const wrong = req(INS.PAIRING_KEY, sealSerialNumber(msca.generation(4, 128).kid, NS));
    const right = req(INS.PAIRING_KEY, sealSerialNumber(msca.generation(1, 128).kid, NS));
    let state = fresh();
    const events: number[] = [];
    for (const r of [wrong, wrong, right, wrong, wrong, INS.SERIAL, wrong]) {
      const out = respond(state, typeof r === 'number' ? req(r, new Uint8Array(0)) : r, 0);
      state = out.state;
      events.push(...out.events);
    }
    // the plain serial request authenticates nothing: the last three failures are in a row
    expect(events).toEqual([0x21]);
    expect(state.eventCounts).toEqual([1, 0, 0, 0, 0]);
  });

  it('keeps the pairing sequence', () => {
    expect(respond(fresh(), req(INS.SESSION_KEY, new Uint8Array(16)), 0).reply!.payload).toEqual(Uint8Array.of(INS.SESSION_KEY, NEGATIVE_REASON.SEQUENCE));
    expect(respond(fresh(), req(INS.PAIRING_INFO, new Uint8Array(32)), 0).reply!.payload).toEqual(Uint8Array.of(INS.PAIRING_INFO, NEGATIVE_REASON.SEQUENCE));
    expect(respond(fresh(), req(INS.COUNTER_REQUEST, new Uint8Array(16)), 0).reply!.payload).toEqual(Uint8Array.of(INS.COUNTER_REQUEST, NEGATIVE_REASON.NOT_PAIRED));
  });

  it('a first-generation sensor gives its serial number but refuses every AES instruction (CSM_222)', () => {
    const gen1 = initialSecurityState({ ns: material.ns, approvalNumber: 'e1-0001', generation: 1, entries: [] });
    expect(respond(gen1, req(INS.SERIAL, new Uint8Array(0)), 0).reply!.payload).toEqual(NS);
    expect(respond(gen1, req(INS.PAIRING_KEY, new Uint8Array(16)), 0).reply!.payload).toEqual(Uint8Array.of(INS.PAIRING_KEY, NEGATIVE_REASON.AES_NOT_SUPPORTED));
  });

  it('once paired, answers the counter and files under KS, and refuses a request under another key', () => {
    const { r43, ks } = pairWithGeneration(1);
    const challenge = fromHex('0102030405060708');
    const counter = respond(r43.state, req(INS.COUNTER_REQUEST, sealCounterRequest(ks, challenge)), 720_000);
    expect(counter.reply!.instruction).toBe(INS.COUNTER);
    expect(openCounterReply(ks, counter.reply!.payload, challenge)).toEqual({ ok: true, value: 720_000 });

    const withEvents = recordSensorEvent(recordSensorEvent(r43.state, 0x24), 0x24);
    const file = respond(withEvents, req(INS.READ_FILE, sealFileRequest(ks, fromHex('a1a2a3a4a5a6a7'), FILE.SECURITY_EVENTS)), 0);
    const data = openFileReply(ks, file.reply!.payload, fromHex('a1a2a3a4a5a6a703'), 8);
    expect(data.ok && decodeSecurityEventsFile(data.value)).toEqual([0, 0, 0, 2, 0]);

    const other = new Uint8Array(16).fill(0x44);
    const wrong = respond(r43.state, req(INS.COUNTER_REQUEST, sealCounterRequest(other, challenge)), 0);
    expect(wrong.reply!.payload).toEqual(Uint8Array.of(INS.COUNTER_REQUEST, NEGATIVE_REASON.INTEGRITY));
    expect(wrong.state.authFailures).toBe(1);
    expect(wrong.events).toEqual([]);
    const unknown = respond(r43.state, req(INS.READ_FILE, sealFileRequest(ks, new Uint8Array(7), 9)), 0);
    expect(unknown.reply!.payload).toEqual(Uint8Array.of(INS.READ_FILE, NEGATIVE_REASON.UNKNOWN_FILE));
  });

  it('answers a checksum-valid frame with a wrong instruction or length negatively, and a corrupted one not at all', () => {
    expect(respondToMalformed({ code: 'unknown-instruction', message: '', hex: '' }, fromHex('a599003e'))).toEqual({ direction: 'reply', instruction: INS.NEGATIVE, payload: Uint8Array.of(0x99, NEGATIVE_REASON.UNKNOWN_INSTRUCTION) });
    expect(respondToMalformed({ code: 'bad-length', message: '', hex: '' }, fromHex('a5410100e7'))).toEqual({ direction: 'reply', instruction: INS.NEGATIVE, payload: Uint8Array.of(0x41, NEGATIVE_REASON.MALFORMED) });
    expect(respondToMalformed({ code: 'bad-checksum', message: '', hex: '' }, fromHex('a54000e6'))).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { createRng } from '../../crypto/random.ts';
import { isGuid, newGuid } from './guid.ts';
import { PeerMessageSchema, SealMessageSchema, type SealMessage } from './messages.ts';
import { isUtcIso } from './utc-time.ts';
import { decodeDocument, encodeDocument, MAX_MESSAGE_BYTES, MAX_NESTING, nestingDepth } from './wire-format.ts';

const message: SealMessage = {
  v: 1,
  id: '3f2b8c1e-9d4a-4e6f-8a1b-2c3d4e5f6a7b',
  type: 'position',
  sealId: 'RU-0001',
  homeState: 'RU',
  seq: 0,
  createdAt: '2026-03-02T08:00:00.000Z',
  custody: 'tracking',
  consignment: 'EAEU-2026-000117',
  fix: { lat: 55.75, lon: 37.62, speedKmh: 80, time: '2026-03-02T07:59:59.000Z', status: 'current' },
  power: { batteryPercent: 99.9 },
};
const bytes = (text: string) => new TextEncoder().encode(text);
const decode = (text: string | Uint8Array) => decodeDocument(typeof text === 'string' ? bytes(text) : text, SealMessageSchema);

describe('GUIDs', () => {
  it('are version 4 with the RFC variant, reproducible from the seed', () => {
    const a = newGuid(createRng(1, 'x'));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newGuid(createRng(1, 'x'))).toBe(a);
    expect(isGuid('not-a-guid')).toBe(false);
  });
});

describe('UTC times', () => {
  it('accepts Z and +00:00 only, and real dates only', () => {
    expect(isUtcIso('2026-03-02T08:00:00Z')).toBe(true);
    expect(isUtcIso('2026-03-02T08:00:00.123+00:00')).toBe(true);
    expect(isUtcIso('2026-03-02T11:00:00+03:00')).toBe(false);
    expect(isUtcIso('2026-03-02T08:00:00')).toBe(false);
    expect(isUtcIso('2026-03-02T08:00:00-00:00')).toBe(false);
    expect(isUtcIso('2026-02-30T08:00:00Z')).toBe(false);
  });
});

describe('documents on the wire', () => {
  it('round-trips a position report as UTF-8 JSON without BOM', () => {
    const encoded = encodeDocument(message);
    expect([...encoded.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(decode(encoded)).toEqual({ ok: true, value: message, text: JSON.stringify(message) });
  });

  it('refuses a BOM, bad UTF-8, malformed JSON, two documents, no GUID, a non-UTC time, a bad field, each with its reason', () => {
    const text = JSON.stringify(message);
    expect(decode(Uint8Array.from([0xef, 0xbb, 0xbf, ...bytes(text)]))).toEqual({
      ok: false,
      code: 'bom',
      reason: 'the message starts with a UTF-8 byte order mark (EF BB BF): UTF-8 without BOM is required',
    });
    expect(decode(Uint8Array.from([...bytes(text.slice(0, -1)), 0xc3, 0x28, 0x7d]))).toEqual({ ok: false, code: 'utf8', reason: 'the message is not valid UTF-8' });
    expect(decode(text.slice(0, -1))).toMatchObject({ ok: false, code: 'json', reason: expect.stringMatching(/^malformed JSON: /) });
    expect(decode(`[${text},${text}]`)).toEqual({ ok: false, code: 'not-a-document', reason: 'a message is one JSON object, got an array' });
    const { id: _id, ...noId } = message;
    expect(decode(JSON.stringify(noId))).toEqual({ ok: false, code: 'guid', reason: 'the message has no GUID (field id)' });
    expect(decode(JSON.stringify({ ...message, id: '1234' }))).toEqual({ ok: false, code: 'guid', reason: 'id "1234" is not a GUID' });
    expect(decode(JSON.stringify({ ...message, createdAt: '2026-03-02T11:00:00+03:00' }))).toEqual({
      ok: false,
      code: 'utc',
      reason: "createdAt: '2026-03-02T11:00:00+03:00' is not UTC: the offset must be Z or +00:00",
      id: message.id,
    });
    expect(decode(JSON.stringify({ ...message, fix: { ...message.fix, time: '2026-03-02T07:59:59' } }))).toEqual({
      ok: false,
      code: 'utc',
      reason: "fix.time: '2026-03-02T07:59:59' has no zone: times must be UTC (Z)",
      id: message.id,
    });
    expect(decode(JSON.stringify({ ...message, seq: -1 }))).toMatchObject({ ok: false, code: 'schema', reason: expect.stringMatching(/^seq: /), id: message.id });
  });

  it('validates operator-to-operator envelopes with the seal document inside', () => {
    const forward = { v: 1, id: 'a1b2c3d4-0000-4000-8000-000000000001', type: 'forward', from: 'RU', to: 'KZ', sentAt: '2026-03-02T08:00:00.000Z', document: message };
    expect(decodeDocument(encodeDocument(forward), PeerMessageSchema)).toMatchObject({ ok: true });
    const bad = { ...forward, document: { ...message, fix: { ...message.fix!, time: '2026-03-02 07:59:59' } } };
    expect(decodeDocument(encodeDocument(bad), PeerMessageSchema)).toMatchObject({ ok: false, code: 'utc', reason: expect.stringMatching(/^document\.fix\.time: /) });
  });

  it('refuses 10 kB of JSON nested 5 000 deep as too deep, without overflowing the stack (it did before)', () => {
    const arrays = `{"id":"${message.id}","a":${'['.repeat(5000)}${']'.repeat(5000)}}`;
    const objects = `{"id":"${message.id}","a":${'{"a":'.repeat(1000)}1${'}'.repeat(1000)}}`;
    expect(arrays.length).toBeGreaterThan(10_000);
    for (const [text, schema] of [
      [arrays, SealMessageSchema],
      [arrays, PeerMessageSchema],
      [objects, SealMessageSchema],
    ] as [string, z.ZodType<unknown>][]) {
      expect(decodeDocument(bytes(text), schema)).toEqual({ ok: false, code: 'too-deep', reason: 'objects and arrays nested more than 16 deep (the limit is 16)' });
    }
  });

  it('takes nesting up to the limit to JSON.parse, and counts only brackets outside strings', () => {
    const deepest = `{"id":"${message.id}","a":${'['.repeat(MAX_NESTING - 1)}${']'.repeat(MAX_NESTING - 1)}}`;
    expect(nestingDepth(deepest)).toBe(MAX_NESTING);
    expect(decode(deepest)).toMatchObject({ ok: false, code: 'schema' });
    expect(decode(deepest.replace('[', '[['))).toMatchObject({ ok: false, code: 'too-deep' });
    expect(nestingDepth('{"a":"[[[[{{{{\\","b":"\\\"[["}')).toBe(1);
    expect(nestingDepth('}}]]{')).toBe(1);
    expect(nestingDepth('['.repeat(1_000_000), 16)).toBe(17);
  });

  it(`refuses a message over ${MAX_MESSAGE_BYTES} bytes before decoding it`, () => {
    const big = JSON.stringify({ ...message, consignment: 'x'.repeat(MAX_MESSAGE_BYTES) });
    expect(decode(big)).toEqual({ ok: false, code: 'too-large', reason: `the message is ${big.length} bytes, more than the 65536 allowed` });
    expect(decode(JSON.stringify({ ...message, consignment: 'x'.repeat(MAX_MESSAGE_BYTES - 400) }))).toMatchObject({ ok: true });
  });
});

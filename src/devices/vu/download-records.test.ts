import { describe, expect, it } from 'vitest';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import type { DownloadResult } from '../../harness/download/index.ts';
import { encodeTrep23, encodeTrep24, type DownloadedEventFault, type DownloadSigner } from '../../protocols/app7-records/index.ts';
import { beginSpan, createEventMemory, endSpan, listRecords, noteCalibration, recordInstant } from './data-memory/event-store.ts';
import { occurrences, recordsFromDownload } from './download-records.ts';

const vu = TestPki.of().vu({ serialNumber: 1, monthYear: '0126', type: 6, manufacturerCode: 0x40 });
const signer: DownloadSigner = { vuSignKey: vu.vuSign.key, mscaCertificate: vu.mscaCertificate, vuCertificate: vu.vuSign.certificate };
/** 2026-03-02T08:00:00Z, TimeReal. */
const AT = 1772438400;
const anna = { cardType: 'driver' as const, issuingMemberState: 0x06, cardNumber: 'B000000012345601', generation: 2 as const };
const cards = { driver: anna, codriver: null };

/** The records a download of `records` (as the VU lists them) gives the scenarios, through TREP 23's bytes. */
function throughDownload(records: DownloadedEventFault[]) {
  const message = encodeTrep23({ records, overSpeedingControl: { lastControl: 0, firstOverSpeedSince: 0, numberOfOverSpeedSince: 0 }, timeAdjustments: [] }, signer);
  const result: DownloadResult = { transfers: [{ trtp: 0x23, ok: true, trep: 0x23, message, subMessages: 0 }], retransmissions: 0, lateRequests: 0, staleAnswers: 0, restartedTransfers: 0, sessions: 1, stopAnswered: true, baud: 9600, startedAt: 0, endedAt: 0 };
  return recordsFromDownload(result).filter((r) => r.kind === 'event' || r.kind === 'fault');
}

const listed = (memory: ReturnType<typeof createEventMemory>, now: number) => listRecords(memory, now).map(({ id: _id, ...r }) => r);

describe('occurrences read from a download (App. 7 TREP 23: one record per occurrence and purpose)', () => {
  it('keeps two case openings stamped in the same second as two occurrences', () => {
    let memory = createEventMemory();
    memory = recordInstant(memory, { type: 0x17, at: AT, cards });
    memory = recordInstant(memory, { type: 0x17, at: AT, cards });
    // Annex IC 117 "security breach attempt": the 10 most recent, each listed once under purpose 00
    expect(listed(memory, AT).map((r) => [r.type, r.purpose, r.begin])).toEqual([
      [0x17, 0, AT],
      [0x17, 0, AT],
    ]);
    const records = throughDownload(listed(memory, AT));
    expect(records.map((r) => [r.kind, r.code, r.at, r.end, (r.fields as { purposes: number[] }).purposes])).toEqual([
      ['event', 0x17, AT * 1000, AT * 1000, [0]],
      ['event', 0x17, AT * 1000, AT * 1000, [0]],
    ]);
  });

  it('gives one occurrence listed under several purposes once, with all its purposes', () => {
    let memory = noteCalibration(createEventMemory(), AT - 60);
    const opened = beginSpan(memory, { type: 0x07, at: AT, cards });
    memory = endSpan(opened.memory, { id: opened.id, at: AT + 70, cards, data: { maxSpeed: 104, averageSpeed: 97 } });
    // the most serious of its day (04), of the year (05), and the first after the calibration (06)
    expect(listed(memory, AT + 70).map((r) => r.purpose)).toEqual([4, 5, 6]);
    const records = throughDownload(listed(memory, AT + 70));
    expect(records).toEqual([
      {
        kind: 'event',
        code: 0x07,
        at: AT * 1000,
        end: (AT + 70) * 1000,
        fields: { name: 'over speeding', purposes: [4, 5, 6], similarEvents: 1, cardsAtBegin: cards, cardsAtEnd: null, ongoing: false, maxSpeed: 104, averageSpeed: 97 },
      },
    ]);
  });

  it('counts identical occurrences by the purpose that lists the content most often', () => {
    const base: DownloadedEventFault = { type: 0x0d, category: 'event', purpose: 1, begin: AT, end: AT + 600, cardsAtBegin: cards, cardsAtEnd: cards, similarEvents: 2, data: {} };
    // two absences of position with the same times: both listed under 00 (say), one of them also under 02
    const records = occurrences([
      { ...base, purpose: 0 },
      { ...base, purpose: 0 },
      { ...base, purpose: 2 },
    ]);
    expect(records.map((r) => (r.fields as { purposes: number[] }).purposes)).toEqual([[0, 2], [0]]);
    // a record differing in anything but the purpose is another occurrence
    expect(occurrences([base, { ...base, end: AT + 601 }, { ...base, purpose: 2 }]).map((r) => [r.end, (r.fields as { purposes: number[] }).purposes])).toEqual([
      [(AT + 600) * 1000, [1, 2]],
      [(AT + 601) * 1000, [1]],
    ]);
  });
});

describe('detailed speed read from a download (TREP 24)', () => {
  it('gives each VuDetailedSpeedBlock as one detailedSpeed record at its minute, with its 60 speeds', () => {
    const speeds = Array.from({ length: 60 }, (_, i) => 40 + i);
    const message = encodeTrep24([{ begin: AT, speeds }, { begin: AT + 120, speeds: new Array<number>(60).fill(80) }], signer);
    const result: DownloadResult = { transfers: [{ trtp: 0x24, ok: true, trep: 0x24, message, subMessages: 0 }], retransmissions: 0, lateRequests: 0, staleAnswers: 0, restartedTransfers: 0, sessions: 1, stopAnswered: true, baud: 9600, startedAt: 0, endedAt: 0 };
    expect(recordsFromDownload(result)).toEqual([
      { kind: 'detailedSpeed', at: AT * 1000, fields: { speeds } },
      { kind: 'detailedSpeed', at: (AT + 120) * 1000, fields: { speeds: new Array<number>(60).fill(80) } },
    ]);
  });
});

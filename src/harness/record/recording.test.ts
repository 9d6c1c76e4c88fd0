import { describe, expect, it } from 'vitest';
import { parseRecording, RecordingError, recordingFileName, recordingLine, type RecordingHeader } from './recording.ts';

const header: RecordingHeader = {
  format: 'tacho-rig-recording',
  version: 1,
  rig: 'bench-vu',
  scenario: 'time-conflict',
  seed: 1,
  clock: 'wall',
  start: Date.UTC(2026, 2, 2, 8),
  startIso: '2026-03-02T08:00:00.000Z',
  dut: ['vu'],
  devices: [
    { name: 'vu', kind: 'vu', mode: 'external', options: { cards: {} } },
    { name: 'ide', kind: 'ide', mode: 'emulated' },
  ],
  links: [
    {
      id: 'ide.vu~vu.download',
      ends: ['ide.vu', 'vu.download'],
      dut: 'vu.download',
      peer: 'ide.vu',
      transport: 'serial',
      framing: { dataBits: 8, parity: 'even', stopBits: 1 },
      baud: { dut: 9600, peer: 9600 },
      codec: 'app7-download',
    },
  ],
  unrecorded: [],
};

const file = (...lines: unknown[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

describe('a recording file', () => {
  it('reads the header, the entries in file order and the end', () => {
    const r = parseRecording(
      file(
        header,
        { t: 0, link: 'ide.vu~vu.download', event: 'connected', detail: 'serial' },
        { t: 25.5, link: 'ide.vu~vu.download', dir: 'to-dut', hex: '81eef081e0' },
        { t: 61.25, link: 'ide.vu~vu.download', dir: 'from-dut', hex: '80f0ee03c1ea8f9b' },
        { t: 80, link: 'ide.vu~vu.download', event: 'baud', end: 'vu.download', baud: 115200 },
        { t: 1000, end: true },
      ),
      'r.jsonl',
    );
    expect(r.header).toEqual(header);
    expect(r.entries).toEqual([
      { t: 0, link: 'ide.vu~vu.download', event: 'connected', detail: 'serial' },
      { t: 25.5, link: 'ide.vu~vu.download', dir: 'to-dut', hex: '81eef081e0' },
      { t: 61.25, link: 'ide.vu~vu.download', dir: 'from-dut', hex: '80f0ee03c1ea8f9b' },
      { t: 80, link: 'ide.vu~vu.download', event: 'baud', end: 'vu.download', baud: 115200 },
    ]);
    expect(r.end).toBe(1000);
  });

  it('has no end when the file was cut short', () => {
    expect(parseRecording(file(header, { t: 1, link: 'ide.vu~vu.download', dir: 'to-dut', hex: '00' }), 'r').end).toBeUndefined();
  });

  it.each([
    ['an empty file', '', 'r.jsonl:1: empty: no header'],
    ['another format', file({ ...header, format: 'pcap' }), 'r.jsonl:1: not a tacho-rig-recording version 1 header: format: Invalid input: expected "tacho-rig-recording"'],
    ['a later version', file({ ...header, version: 2 }), 'r.jsonl:1: not a tacho-rig-recording version 1 header: version: Invalid input: expected 1'],
    ['a line that is not JSON', file(header, '{"t": 1,'), 'r.jsonl:2: not JSON'],
    ['upper-case hex', file(header, { t: 1, link: 'ide.vu~vu.download', dir: 'to-dut', hex: '8A' }), 'r.jsonl:2: hex: lower-case hex, an even number of digits'],
    ['an odd number of digits', file(header, { t: 1, link: 'ide.vu~vu.download', dir: 'to-dut', hex: '8a0' }), 'r.jsonl:2: hex: lower-case hex, an even number of digits'],
    ['a direction neither way', file(header, { t: 1, link: 'ide.vu~vu.download', dir: 'both', hex: '00' }), 'r.jsonl:2: dir:'],
    ['a link not in the header', file(header, { t: 1, link: 'egf.vu~vu.gnss', dir: 'to-dut', hex: '00' }), "r.jsonl:2: link 'egf.vu~vu.gnss' is not in the header's links (ide.vu~vu.download)"],
    ['an entry after the end', file(header, { t: 5, end: true }, { t: 6, link: 'ide.vu~vu.download', dir: 'to-dut', hex: '00' }), 'r.jsonl:3: an entry after the end'],
  ])('refuses %s, naming the line', (_what, text, message) => {
    expect(() => parseRecording(text, 'r.jsonl')).toThrow(RecordingError);
    expect(() => parseRecording(text, 'r.jsonl')).toThrow(message);
  });

  it('writes times to the µs and nothing else rounded', () => {
    expect(recordingLine({ t: 600045.72916666, link: 'l', dir: 'from-dut', hex: '80' })).toBe('{"t":600045.729,"link":"l","dir":"from-dut","hex":"80"}\n');
    expect(recordingLine({ t: 1.0005, end: true })).toBe('{"t":1.001,"end":true}\n');
  });

  it('is named after the scenario', () => {
    expect(recordingFileName('time-conflict')).toBe('time-conflict.recording.jsonl');
  });
});

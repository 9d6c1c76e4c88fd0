import { describe, expect, it } from 'vitest';
import { goldenDifference, renderGoldenRecords } from './golden-records.ts';
import type { CheckRead } from './records-attachment.ts';

const reads: CheckRead[] = [
  { check: 'mid', at: '2026-03-02T06:01:00.000Z', devices: { vu: [{ kind: 'event', code: 9, at: 1_000, fields: { ongoing: false } }] } },
  { check: 'end', at: '2026-03-02T06:02:00.000Z', devices: { vu: [{ kind: 'event', code: 9, at: 1_000 }, { kind: 'detailedSpeed', at: 2_000, fields: { speeds: [60, 61], raw: Uint8Array.of(0xab, 1) } }] } },
];

describe('golden records', () => {
  it('renders one record per line, bytes as upper-case hex', () => {
    expect(renderGoldenRecords('s', reads).split('\n')).toEqual([
      '{"scenario": "s", "reads": [',
      '  {"check": "mid", "at": "2026-03-02T06:01:00.000Z", "devices": {',
      '    "vu": [',
      '      {"kind":"event","code":9,"at":1000,"fields":{"ongoing":false}}',
      '    ]',
      '  }},',
      '  {"check": "end", "at": "2026-03-02T06:02:00.000Z", "devices": {',
      '    "vu": [',
      '      {"kind":"event","code":9,"at":1000},',
      '      {"kind":"detailedSpeed","at":2000,"fields":{"speeds":[60,61],"raw":"AB01"}}',
      '    ]',
      '  }}',
      ']}',
      '',
    ]);
  });

  it('is silent on equal records and names the first differing record and its check otherwise', () => {
    const kept = renderGoldenRecords('s', reads);
    expect(goldenDifference(kept, renderGoldenRecords('s', structuredClone(reads)))).toBeUndefined();
    const changed = structuredClone(reads);
    changed[1]!.devices.vu![1]!.fields!.speeds = [60, 62];
    expect(goldenDifference(kept, renderGoldenRecords('s', changed))).toBe(
      [
        '1 line(s) differ from the golden records; the first at line 10 (under check "end"):',
        '  golden: {"kind":"detailedSpeed","at":2000,"fields":{"speeds":[60,61],"raw":"AB01"}}',
        '  now:    {"kind":"detailedSpeed","at":2000,"fields":{"speeds":[60,62],"raw":"AB01"}}',
        '(if the change is meant, regenerate with `npm run golden:update` and say why in the commit)',
      ].join('\n'),
    );
  });

  it('counts a record more or less as a difference', () => {
    const fewer = structuredClone(reads);
    fewer[1]!.devices.vu!.pop();
    expect(goldenDifference(renderGoldenRecords('s', reads), renderGoldenRecords('s', fewer))).toMatch(/^\d+ line\(s\) differ from the golden records; the first at line 9 \(under check "end"\)/);
  });
});

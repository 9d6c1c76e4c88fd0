import { describe, expect, it } from 'vitest';
import { REQUIREMENTS } from './catalogue.ts';
import { renderTraceability, traceabilityMatrix } from './matrix.ts';

const scenarios = [
  { id: 'over-speeding', covers: ['Annex IC 3.9 over speeding', 'EventFaultType 0x07', 'Annex IC 117'] },
  { id: 'power-interruption', covers: ['Annex IC 79', 'Annex IC 3.9 0x08'] },
  { id: 'over-speeding-control', covers: ['Annex IC 117'] },
];

describe('the traceability matrix', () => {
  it('lists every requirement of the catalogue with its scenarios and their last outcome, one spelling or another', () => {
    const m = traceabilityMatrix(scenarios, new Map([['over-speeding', 'fail' as const], ['power-interruption', 'pass' as const]]));
    expect(m.rows.length).toBe(REQUIREMENTS.length);
    const row = (id: string) => m.rows.find((r) => r.requirement.id === id)!.scenarios;
    expect(row('EventFaultType 0x07')).toEqual([{ id: 'over-speeding', outcome: 'fail' }]);
    expect(row('Annex IC 117')).toEqual([{ id: 'over-speeding', outcome: 'fail' }, { id: 'over-speeding-control' }]);
    expect(row('Annex IC 79')).toEqual([{ id: 'power-interruption', outcome: 'pass' }]);
    expect(row('GNS_31')).toEqual([]);
    // 0x07, 117, 79, 0x08: four covered; only 79 and 0x08 passed in the last run
    expect([m.covered, m.passing]).toEqual([4, 2]);
  });

  it('puts a scenario covering a range of ids on the row of each', () => {
    const m = traceabilityMatrix([{ id: 'roadside', covers: ['CSM_226-228'] }]);
    expect(m.rows.filter((r) => r.scenarios.length > 0).map((r) => r.requirement.id)).toEqual(['CSM_226', 'CSM_227', 'CSM_228']);
  });

  it('prints a line a requirement, and the totals', () => {
    const text = renderTraceability(traceabilityMatrix(scenarios, new Map([['power-interruption', 'pass' as const]])), { coveredOnly: true });
    expect(text.split('\n').map((l) => l.split('\t').slice(0, 2).join('\t'))).toEqual([
      'Annex IC 79\tpower-interruption (pass)',
      'Annex IC 117\tover-speeding (not run), over-speeding-control (not run)',
      'EventFaultType 0x07\tover-speeding (not run)',
      'EventFaultType 0x08\tpower-interruption (pass)',
      `4 of ${REQUIREMENTS.length} requirements have a scenario; 2 of them passed in the last run`,
    ]);
  });
});

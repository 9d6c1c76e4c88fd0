import { describe, expect, it } from 'vitest';
import { discoverScenarioFiles, loadScenarioFile } from '../engine/loader.ts';
import { REQUIREMENTS, resolveRequirement } from './catalogue.ts';

const id = (text: string) => {
  const r = resolveRequirement(text);
  return 'error' in r ? r.error : r.requirement.id;
};

describe('the requirement catalogue', () => {
  it('holds each id once', () => {
    const ids = REQUIREMENTS.map((r) => r.id.toLowerCase());
    expect(ids.length).toBe(new Set(ids).size);
  });

  it('reads the ways the scenarios write an id', () => {
    expect(id('Annex IC 79')).toBe('Annex IC 79');
    expect(id('GNS_31')).toBe('GNS_31');
    expect(id('App. 7 DDP_018')).toBe('DDP_018');
    expect(id('App. 11 CSM_157')).toBe('CSM_157');
    // Annex IC 3.9's table, by code or by name
    expect(id('Annex IC 3.9 0x09')).toBe('EventFaultType 0x09');
    expect(id('Annex IC 3.9 over speeding')).toBe('EventFaultType 0x07');
    expect(id('Annex IC 3.9 motion data error')).toBe('EventFaultType 0x09');
    // App. 1 writes codes in hex ('34'H): 34 is the downloading fault, 0x34
    expect(id('App. 1 EventFaultType 34')).toBe('EventFaultType 0x34');
    expect(id('App. 1 EventFaultType 0x1A')).toBe('EventFaultType 0x1A');
    expect(id('EAEU seal event 03')).toBe('EAEU seal event 03');
    expect(REQUIREMENTS.find((r) => r.id === 'EventFaultType 0x34')!.title).toBe('fault: downloading fault');
    expect(REQUIREMENTS.find((r) => r.id === 'Annex IC 79')!.title).toBe(
      'This event shall be triggered, while not in calibration or control mode, in case of any interruption …',
    );
  });

  it('refuses a misspelt id, suggesting the nearest', () => {
    expect(id('Annex IC 3.9 over speding')).toBe("'Annex IC 3.9 over speding' is no requirement of the catalogue (src/scenarios/requirements/); did you mean 'Annex IC 3.9 over speeding'?");
    expect(id('GNS_311')).toBe("'GNS_311' is no requirement of the catalogue (src/scenarios/requirements/); did you mean 'GNS_31'?");
    expect(id('Anex IC 79')).toBe("'Anex IC 79' is no requirement of the catalogue (src/scenarios/requirements/); did you mean 'Annex IC 79'?");
    expect(id('Annex IC 3.9 0x99')).toBe("'Annex IC 3.9 0x99' is no requirement of the catalogue (src/scenarios/requirements/); did you mean 'EventFaultType 0x09'?");
    expect(id('speed')).toBe("'speed' is no requirement of the catalogue (src/scenarios/requirements/)");
  });

  it("knows every requirement the shipped scenarios cover", async () => {
    const unknown: string[] = [];
    for (const file of await discoverScenarioFiles(['src/scenarios', 'test/scenarios'])) {
      for (const { scenario } of await loadScenarioFile(file)) for (const c of scenario.covers) if ('error' in resolveRequirement(c)) unknown.push(`${scenario.id}: ${c}`);
    }
    expect(unknown).toEqual([]);
  });
});

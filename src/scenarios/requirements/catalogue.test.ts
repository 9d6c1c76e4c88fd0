import { describe, expect, it } from 'vitest';
import { discoverScenarioFiles, loadScenarioFile } from '../engine/loader.ts';
import { REQUIREMENTS, resolveRequirement } from './catalogue.ts';

const id = (text: string) => {
  const r = resolveRequirement(text);
  return 'error' in r ? r.error : r.requirements.map((x) => x.id).join(', ');
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
    expect(id('DSC_74')).toBe('DSC_74');
    expect(id('App. 2 TCS_138')).toBe('TCS_138');
    expect(id('Table 14.3 RTM9')).toBe('Table 14.3 RTM9');
    // a range names each id of it
    expect(id('CSM_223-229')).toBe('CSM_223, CSM_224, CSM_225, CSM_226, CSM_227, CSM_228, CSM_229');
    expect(id('DSC_44-52')).toBe('DSC_44, DSC_45, DSC_46, DSC_47, DSC_48, DSC_49, DSC_50, DSC_51, DSC_52');
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
    expect(id('CSM_233-236')).toBe("'CSM_233-236': CSM_235, CSM_236 are no requirement of the catalogue (src/scenarios/requirements/)");
    expect(id('CSM_223-999')).toBe("'CSM_223-999': CSM_235, CSM_236, CSM_237, CSM_238, CSM_239 and 760 more are no requirement of the catalogue (src/scenarios/requirements/)");
    expect(id('DSC_52-44')).toBe("'DSC_52-44': a range of ids runs from the lower to the higher");
  });

  it("knows every requirement the shipped scenarios cover", async () => {
    const unknown: string[] = [];
    for (const file of await discoverScenarioFiles(['src/scenarios', 'test/scenarios'])) {
      for (const { scenario } of await loadScenarioFile(file)) for (const c of scenario.covers) if ('error' in resolveRequirement(c)) unknown.push(`${scenario.id}: ${c}`);
    }
    expect(unknown).toEqual([]);
  });
});

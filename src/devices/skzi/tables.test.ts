import { describe, expect, it } from 'vitest';
import { firmwareMeetsGate } from './firmware.ts';
import { modelOfRegNo, modelsOfFactoryNo, NKM_MODEL_TABLE, NKM_MODELS, nkmNumberProblem } from './models.ts';
import { nkmTachographOptions } from './options.ts';
import { DISPLAY, LCD_LINES } from './texts.ts';

describe('6.38 model table', () => {
  it('each model accepts its own examples and no other model takes its registration number', () => {
    for (const model of NKM_MODELS) {
      const info = NKM_MODEL_TABLE[model];
      expect(info.factoryNoExample).toHaveLength(16);
      expect(nkmNumberProblem(model, info.factoryNoExample, info.regNoExample)).toBeUndefined();
      expect(modelOfRegNo(info.regNoExample)).toBe(model);
      expect(modelsOfFactoryNo(info.factoryNoExample)).toContain(model);
    }
  });
  it('the markers tell the 2.11 makers apart; the 5.3 screen example is a 2.11 number', () => {
    expect(modelsOfFactoryNo('20E3E00012345679')).toEqual(['НКМ-2.11 ИН']);
    expect(modelsOfFactoryNo('20E3T00012345680')).toEqual(['НКМ-2.11 АВ']);
    expect(modelsOfFactoryNo('20A3S00001234567')).toEqual(['НКМ-2.11']);
    expect(modelsOfFactoryNo('19A3A00012345678')).toEqual(['НКМ-1', 'НКМ-2', 'НКМ-К', 'НКМ-2.10']);
  });
  it('only НКМ-1 and НКМ-2 are banned (6.20); re-registration from 2.11 (5.7)', () => {
    expect(NKM_MODELS.filter((m) => NKM_MODEL_TABLE[m].banned)).toEqual(['НКМ-1', 'НКМ-2']);
    expect(NKM_MODELS.filter((m) => NKM_MODEL_TABLE[m].reRegistration)).toEqual(['НКМ-2.11', 'НКМ-2.11 ИН', 'НКМ-2.11 АВ']);
  });
  it('a rig file with numbers of another model is refused', () => {
    const parsed = nkmTachographOptions.safeParse({ nkm: { model: 'НКМ-2.10', factoryNo: '20E3S00012345678', regNo: '20E 799B 012345678' } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('factory number 20E3S00012345678 is not a НКМ-2.10 one (6.38, e.g. 19A3A00012345678)');
  });
});

describe('chapter 4 firmware gates', () => {
  it.each([
    ['SM10042.00.00-13', 1176, 314, true],
    ['SM10042.00.00-13', 1175, 314, false],
    ['SM10042.00.00-13', 1176, 313, false],
    ['SM100.42.00.00.14', 1374, 314, true],
    ['SM100.42.00.00.14', 1373, 400, false],
    ['SM100.42.00.00.14', 1374, 313, false],
    ['SM100.42.00.00.15', 1374, 0, true],
    ['SM100.42.00.00.15', 1373, 999, false],
  ] as const)('%s main v.%i extra v.%i: %s', (model, main, extra, ok) => {
    expect(firmwareMeetsGate(model, { main, extra })).toBe(ok);
  });
});

describe('display texts', () => {
  it('the LCD lines fit the 27-character line the 5.3 screen shows', () => {
    for (const lines of Object.values(LCD_LINES)) for (const line of lines) expect(line.length).toBeLessThanOrEqual(27);
    expect(LCD_LINES[DISPLAY.step1]).toEqual(['Внимание! В СКЗИ не загруж.', 'сертификат. Выполните ШАГ1']);
  });
});

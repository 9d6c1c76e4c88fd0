/**
 * The СКЗИ block models and their number formats, from the seed's table in 6.38 («Как определить версию блока
 * СКЗИ»). The model-distinguishing parts (underlined in the seed) are the marker in the factory number
 * («3A», «3S», «3E», «3T») and the code in the registration number («740», «799», «740K», «799A»..«799D»).
 *
 * Choice (the seed gives one example per model, not a grammar): a factory number is 16 characters: two digits,
 * one Latin capital letter, the model's two-character marker, then 11 digits (the 5.3 screen's example
 * «20A3S00001234567» fits the НКМ-2.11 marker with another letter: the letter is not fixed per model).
 * A registration number keeps its example's separators and digit counts, the leading «NNL» free.
 */
export const NKM_MODELS = ['НКМ-1', 'НКМ-2', 'НКМ-К', 'НКМ-2.10', 'НКМ-2.11', 'НКМ-2.11 ИН', 'НКМ-2.11 АВ'] as const;
export type NkmModel = (typeof NKM_MODELS)[number];

export interface NkmModelInfo {
  /** 6.38 «№ в перечне». */
  listNo: number;
  model: NkmModel;
  /** 6.38 «Версия ПО». */
  swVersion: string;
  /** 6.38: the examples, verbatim. */
  factoryNoExample: string;
  regNoExample: string;
  maker: string;
  factoryNo: RegExp;
  regNo: RegExp;
  /** 6.20: НКМ-1 and НКМ-2 are banned from use («Невозможно произвести активизацию»). */
  banned: boolean;
  /** 5.7: «Регистрация авто в НКМ» works with «НКМ-2.11» and newer. */
  reRegistration: boolean;
}

const factory = (marker: string) => new RegExp(`^\\d{2}[A-Z]${marker}\\d{11}$`);

export const NKM_MODEL_TABLE: Readonly<Record<NkmModel, NkmModelInfo>> = {
  'НКМ-1': { listNo: 1, model: 'НКМ-1', swVersion: '1.0', factoryNoExample: '14A3A00012345678', regNoExample: '14A-740-12345678', maker: 'ООО "СПЕЦПРОЕКТ-2"', factoryNo: factory('3A'), regNo: /^\d{2}[A-Z]-740-\d{8}$/, banned: true, reRegistration: false },
  'НКМ-2': { listNo: 2, model: 'НКМ-2', swVersion: '2.08', factoryNoExample: '16A3A00012345678', regNoExample: '16A-799-12345678', maker: 'ООО "СПЕЦПРОЕКТ-2"', factoryNo: factory('3A'), regNo: /^\d{2}[A-Z]-799-\d{8}$/, banned: true, reRegistration: false },
  'НКМ-К': { listNo: 3, model: 'НКМ-К', swVersion: '2.09', factoryNoExample: '15A3A00001234567', regNoExample: '15A-740K-1234567', maker: 'ООО "СПЕЦПРОЕКТ-2"', factoryNo: factory('3A'), regNo: /^\d{2}[A-Z]-740K-\d{7}$/, banned: false, reRegistration: false },
  'НКМ-2.10': { listNo: 4, model: 'НКМ-2.10', swVersion: '2.10', factoryNoExample: '19A3A00012345678', regNoExample: '19A 799A 012345678', maker: 'ООО "СПЕЦПРОЕКТ-2"', factoryNo: factory('3A'), regNo: /^\d{2}[A-Z] 799A \d{9}$/, banned: false, reRegistration: false },
  'НКМ-2.11': { listNo: 5, model: 'НКМ-2.11', swVersion: '2.11', factoryNoExample: '20E3S00012345678', regNoExample: '20E 799B 012345678', maker: 'ООО "СПЕЦПРОЕКТ-2"', factoryNo: factory('3S'), regNo: /^\d{2}[A-Z] 799B \d{9}$/, banned: false, reRegistration: true },
  'НКМ-2.11 ИН': { listNo: 6, model: 'НКМ-2.11 ИН', swVersion: '2.11I', factoryNoExample: '20E3E00012345679', regNoExample: '20E 799C 012345678', maker: 'ООО "ИНВЕНТА"', factoryNo: factory('3E'), regNo: /^\d{2}[A-Z] 799C \d{9}$/, banned: false, reRegistration: true },
  'НКМ-2.11 АВ': { listNo: 7, model: 'НКМ-2.11 АВ', swVersion: '2.11A', factoryNoExample: '20E3T00012345680', regNoExample: '20E 799D 012345678', maker: 'АО "Концерн "Автоматика"', factoryNo: factory('3T'), regNo: /^\d{2}[A-Z] 799D \d{9}$/, banned: false, reRegistration: true },
};

/** Why a block's numbers do not fit its model (6.38), or undefined when they do. */
export function nkmNumberProblem(model: NkmModel, factoryNo: string, regNo: string): string | undefined {
  const info = NKM_MODEL_TABLE[model];
  if (!info.factoryNo.test(factoryNo)) return `factory number ${factoryNo} is not a ${model} one (6.38, e.g. ${info.factoryNoExample})`;
  if (!info.regNo.test(regNo)) return `registration number ${regNo} is not a ${model} one (6.38, e.g. ${info.regNoExample})`;
  return undefined;
}

/**
 * The models a factory number can belong to, by its marker (6.38): «3A» is shared by the four older models,
 * so the registration number tells them apart.
 */
export function modelsOfFactoryNo(factoryNo: string): NkmModel[] {
  return NKM_MODELS.filter((m) => NKM_MODEL_TABLE[m].factoryNo.test(factoryNo));
}

export function modelOfRegNo(regNo: string): NkmModel | undefined {
  return NKM_MODELS.find((m) => NKM_MODEL_TABLE[m].regNo.test(regNo));
}

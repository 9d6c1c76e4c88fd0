/**
 * Chapter 4 («Подготовка тахографа»), item 3: the lowest firmware a ШТРИХ-ТахоRUS needs for activation, by
 * model. Below it the tachograph answers request processing with «Неверное состояние НКМ» (6.6) or «Неверные
 * вх.данные НКМ!» (6.9); which one is the rig's option (README "СКЗИ activation").
 */
export const TACHOGRAPH_MODELS = ['SM10042.00.00-13', 'SM100.42.00.00.14', 'SM100.42.00.00.15'] as const;
export type TachographModel = (typeof TACHOGRAPH_MODELS)[number];

export interface FirmwareVersions {
  /** «Основная плата» version, e.g. 1176 for v.1176. */
  main: number;
  /** «Дополнительная плата» version, e.g. 314. */
  extra: number;
}

/** Chapter 4 item 3; the .15 model has no additional-board gate. */
export const FIRMWARE_GATES: Readonly<Record<TachographModel, { main: number; extra?: number; caseKind: string }>> = {
  'SM10042.00.00-13': { main: 1176, extra: 314, caseKind: 'металлический корпус' },
  'SM100.42.00.00.14': { main: 1374, extra: 314, caseKind: 'пластиковый корпус' },
  'SM100.42.00.00.15': { main: 1374, caseKind: 'пластиковый корпус' },
};

/** Whether the firmware meets chapter 4's minimum for the model. */
export function firmwareMeetsGate(model: TachographModel, firmware: FirmwareVersions): boolean {
  const gate = FIRMWARE_GATES[model];
  return firmware.main >= gate.main && (gate.extra === undefined || firmware.extra >= gate.extra);
}

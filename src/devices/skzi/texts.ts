/**
 * Every text of the СКЗИ (НКМ) activation as data, quoted exactly from the seed «ШТРИХ-ТахоRUS: Инструкция по
 * активизации блоков СКЗИ тахографа» (версия документации 9), each with the seed's section number. Display and
 * printout code, the data centre's error mapping and the tests take the strings from here, never retype them.
 *
 * Where the seed's extraction garbled a screen (the LCD photos in 5.3 and 5.4 came out as OCR with «HKM» in
 * Latin letters, «СЕРТИФИКС ат», «Внимс иние»), the text is reconstructed from the full sentence the body text
 * quotes (6.25, 6.28); see README "СКЗИ activation".
 */

/** The tachograph's СКЗИ status window and transient screens (5.3, 5.4, 5.5, 6.25, 6.28). */
export const DISPLAY = {
  /** 5.3: line 1 of the status window, «НКМ» and the block's 16-character factory number. */
  header: (factoryNo: string) => `НКМ ${factoryNo}`,
  /** 5.3 / 6.25: before STEP 1. */
  step1: 'Внимание! В СКЗИ не загружен сертификат. Выполните ШАГ1',
  /** 6.25, 6.35: after STEP 1 (the 5.4 screen photo is lost). */
  step2: 'Внимание! В СКЗИ не загружен сертификат. Выполните ШАГ2',
  /** 5.4 (LCD), 6.28 (heading «Активируйте машину в блоке СКЗИ»): after STEP 2. */
  activateVehicle: 'Внимание! Активируйте машину в блоке СКЗИ',
  /** 5.3: the request is being signed by the block. */
  preparing: 'Подготовка...',
  /** 5.4: the qualified certificate of the block's keys is being written. */
  loading: 'Загрузка...',
} as const;

/**
 * 5.3: the LCD's lines of the status window, as the surviving screen shows them (line 2 shortened to «загруж.»:
 * a line of about 27 characters). Only the screens the seed shows as LCD lines are here; the others are shown
 * in their full form.
 */
export const LCD_LINES: Readonly<Record<string, readonly string[]>> = {
  [DISPLAY.step1]: ['Внимание! В СКЗИ не загруж.', 'сертификат. Выполните ШАГ1'],
  // 5.4: «Внимание! Активируйте» / «машину в блоке СКЗИ»
  [DISPLAY.activateVehicle]: ['Внимание! Активируйте', 'машину в блоке СКЗИ'],
};

/** The questions the tachograph asks, answered «Да»/«Нет» and OK (5.3, 5.4, 6.36). */
export const PROMPT = {
  /** 5.3, 5.4: after the workshop card and its PIN. */
  useSkzi: 'Использовать СКЗИ',
  /** 5.4, named in 6.36: confirming it makes «Сброс на ШАГ1» impossible for good. */
  loadCertificate: 'Загрузить сертификат',
  yes: 'Да',
  no: 'Нет',
} as const;

/** Menu «Настройки» and its items (6.25, 6.35, 6.36, 5.7, 6.13, 6.47). */
export const MENU = {
  settings: 'Настройки',
  /** 6.25, 6.35, 6.36. */
  resetToStep1: 'Сброс на ШАГ1',
  /** 5.7: only on «НКМ-2.11» and newer. */
  registerVehicle: 'Регистрация авто в НКМ',
  /** 6.13 («Настройки – Внутренние тесты»; 6.47 says «Внутренний тест»: the 6.13 form is used). */
  internalTests: 'Внутренние тесты',
} as const;
export type MenuItem = (typeof MENU)['resetToStep1' | 'registerVehicle' | 'internalTests'];

/** Printouts (4, 6.13, 6.38, 6.41, 6.47). */
export const PRINTOUT = {
  /** 4, 6.38: the «Технические данные» printout, section «Полный номер тахографа», fields «Номер 1», «Номер 2». */
  technicalData: 'Технические данные',
  fullTachographNumber: 'Полный номер тахографа',
  number1: 'Номер 1',
  number2: 'Номер 2',
  /** 6.13 («тест НКМ»), 6.38 («Тест НКМ»): shows the block's software version. */
  nkmTest: 'Тест НКМ',
} as const;
export type PrintoutName = (typeof PRINTOUT)['technicalData' | 'nkmTest'];

/** The tachograph's error messages (6.6, 6.7, 6.8, 6.9, 6.26 note). */
export const TACHO_ERROR = {
  /** 6.6: outdated firmware or no request on the card (request processing); another block's or no certificate (certificate load). */
  invalidState: 'Неверное состояние НКМ',
  /** 6.7: the card holds another block's certificate; a failure of the СКЗИ module (power-cycle and repeat). */
  desync: 'Рассинхронизация элементов НКМ',
  /** 6.8: a fault in the tachograph's serial number; starting activation with it is forbidden. */
  tachographNumber: 'Ошибка номера тахографа',
  /** 6.9: while the tachograph processes the activation request; update the firmware. */
  badInput: 'Неверные вх.данные НКМ!',
  /** 6.26 note: the tachograph needs repair. */
  integrity: 'Нарушение целостности',
} as const;
export type TachoError = (typeof TACHO_ERROR)[keyof typeof TACHO_ERROR];

/** «Ошибки обработки запроса»: the data centre's processing errors (6.10–6.21), exact. */
export const PROCESSING_ERROR = {
  /** 6.11 */
  vehicleLinkedToOtherTachograph: 'Транспортное средство связано с другим тахографом',
  /** 6.12 */
  cardNotListedOrBlocked: 'Использованная карта отсутствует в перечне или заблокирована',
  /** 6.13 */
  tachographNotListed: 'Тахограф отсутствует в перечне',
  /** 6.14 */
  skziHasNoLink: 'Отсутствует связь у СКЗИ',
  /** 6.15 */
  vehicleRecordBlocked: 'Запись транспортного средства заблокирована',
  /** 6.16 */
  tachographHasNoLink: 'Отсутствует связь у тахографа',
  /** 6.17 */
  tachographLinkedToOtherSkzi: 'Тахограф связан с другим СКЗИ',
  /** 6.18 */
  tachographRecordBlocked: 'Запись тахографа заблокирована',
  /** 6.19 (lower case as in the seed) */
  vehicleNotListed: 'отсутствие ТС в перечнях',
  /** 6.20: a block banned from use, e.g. НКМ-1 or НКМ-2. */
  activationImpossible: 'Невозможно произвести активизацию',
  /** 6.21 (the body's form; the table of contents says «Введён некорректный ГРЗ»). */
  plateMissingOrIncorrect: 'Отсутствует или введён некорректный ГРЗ',
} as const;
export type ProcessingError = (typeof PROCESSING_ERROR)[keyof typeof PROCESSING_ERROR];

/** АРМ messages and revocation errors (6.22–6.25, 6.43, 6.44), exact (6.22's «отсутствую» is the seed's). */
export const ARM_MESSAGE = {
  /** 6.22: at revocation, the block's, VIN's or plate's data are not in the database (already revoked). */
  notInDatabase: 'Данные по СКЗИ/VIN/ гос.номер отсутствую в базе данных',
  /** 6.23: when creating a request for a vehicle with a valid activation, or sending a signed request again. */
  alreadyRegistered: 'Внимание! Введённый VIN/ гос.номер/ПТС уже зарегистрирован в системе',
  /**
   * 6.3 / 6.4 (the FAQ headings «Не происходит подключение к серверу, VPN не установлен» / «…, VPN установлен»):
   * the seed gives no АРМ message for a server that does not answer; the rig's АРМА shows the headings' common
   * part when the data centre is unreachable, times out or answers 5xx (README "СКЗИ", the outage choice).
   */
  serverUnreachable: 'Не происходит подключение к серверу',
  /** 6.24 */
  sessionExpired: 'Ошибка сохранения запроса: время сессии истекло',
  /**
   * 6.24 item 3: the prompt after logging in again; «***» in the seed are the request's data (the rig fills
   * them: the request id and its creation date, the vehicle's ПТС, VIN and plate, the owner's name).
   */
  unfinishedStage1: (p: { requestId: string; date: string; pts: string; vin: string; vrn: string; owner: string }) =>
    `У Вас есть незавершенный этап 1 активизации (заявление ${p.requestId} / ${p.date}) для транспортного средства ${p.pts} VIN: ${p.vin} ГРЗ: ${p.vrn}, принадлежащего владельцу ${p.owner}. Если Вы выполнили Этап 1 активизации на тахографе, обязательно завершите, отправив его.`,
  /** 6.24 item 4: the button. */
  continueRequest: 'Продолжить запрос',
  /** 6.25: the signed request read back from the card is not signed. */
  notSigned: 'Данные не подписаны, попробуйте подписать данные или начать новый запрос',
  /** 6.43 */
  revocationAwaitingReceipt: 'Отзыв активации в состоянии ожидания расписки о получении сертификата невозможен',
  /** 6.44, with the revocation number in the registry in place of «*******». */
  revocationNotInRegistry: (revocationNo: string) =>
    `Отработка ошибки недоступна. СКЗИ не найден в перечне ФБУ «Росавтотранс». Номер отзыва в перечне - ${revocationNo}`,
} as const;

/** Request states in the АРМ (5.3, 6.10, 6.42): the sections a request is listed in. */
export const ARM_SECTION = {
  sent: 'Отправлено в центр обработки',
  errors: 'Ошибки обработки запроса',
  awaitingReceipt: 'Ожидание расписки заявителя',
} as const;

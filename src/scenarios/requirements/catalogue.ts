import { showCode } from '../../harness/devices/record-kinds.ts';
import { CARD_ONLY_CODES } from '../../devices/vu/data-memory/applicable-codes.ts';
import { EVENT_FAULT_TYPES } from '../../devices/vu/data-memory/event-fault-types.ts';
import { REGULATION_REQUIREMENTS } from './regulation-ids.ts';

/** One requirement a scenario may name in `covers`. */
export interface Requirement {
  /** The canonical id: `Annex IC 79`, `GNS_31`, `DDP_018`, `CSM_217`, `EventFaultType 0x07`, `EAEU seal event 03`, ... */
  id: string;
  /** Where it comes from: `Annex IC`, `App. 7`, `App. 1`, `EEC Decision 141`, `rig` (the rig's own backbone), ... */
  source: string;
  title: string;
}

/** Items of App. 1 and of appendices cited as a whole that scenarios name; their titles are App. 1's names. */
const DATA_AND_APPENDICES: readonly Requirement[] = [
  { id: 'App. 1 VuGNSSADRecord', source: 'App. 1', title: 'VuGNSSADRecord: position, cards and odometer at each 3 h of accumulated driving' },
  { id: 'App. 1 VuOverSpeedingControlData', source: 'App. 1', title: 'VuOverSpeedingControlData: last over speeding control, first over speeding since, number since' },
  { id: 'App. 1 VuCompanyLocksRecord', source: 'App. 1', title: 'VuCompanyLocksRecord: lock-in, lock-out, company and its card' },
  { id: 'App. 1 VuPlaceDailyWorkPeriodRecord', source: 'App. 1', title: 'VuPlaceDailyWorkPeriodRecord: the places where daily work periods begin and end' },
  { id: 'App. 1 2.155 Speed', source: 'App. 1', title: 'Speed: km/h, 0..255' },
  { id: 'App. 10', source: 'App. 10', title: 'Generic security targets (the events affecting security that Annex IC 85 refers to)' },
  { id: 'App. 12 §6', source: 'App. 12', title: 'Time conflict: the VU clock against the GNSS time' },
  { id: 'Annex IC 3.9 security breach attempt', source: 'Annex IC', title: "the table's security breach attempts (Annex IC 85): App. 1 EventFaultType 0x10..0x1F, 0x20..0x2F" },
  { id: 'Annex IC definition fff', source: 'Annex IC', title: "definition (fff): 'accumulated driving time'" },
];

/** The EAEU navigation seal (EEC Collegium Decision No 141 of 14.09.2023) and the public seal event codes. */
const SEAL: readonly Requirement[] = [
  { id: 'EEC Decision 141 item 3b', source: 'EEC Decision 141', title: 'the seal reports its events to its operator' },
  { id: 'EEC Decision 141 item 5', source: 'EEC Decision 141', title: 'information transferred by the seal' },
  { id: 'EEC Decision 141 item 16', source: 'EEC Decision 141', title: 'the seal activated and deactivated by an authorised person only' },
  { id: 'EEC Decision 141 item 22', source: 'EEC Decision 141', title: 'the seal sends to the national operator where it is registered, wherever the vehicle is' },
  { id: 'EEC Decision 141 item 23', source: 'EEC Decision 141', title: "short-range activation: position, speed, time and battery to the home operator; state to the special device" },
  { id: 'EAEU seal event 01', source: 'EAEU seal events', title: "integrity of the seal's locking element broken" },
  { id: 'EAEU seal event 02', source: 'EAEU seal events', title: 'housing of the electronic unit breached' },
  { id: 'EAEU seal event 03', source: 'EAEU seal events', title: 'route deviation of more than 50 km' },
  { id: 'EAEU seal event 04', source: 'EAEU seal events', title: 'seal malfunction' },
  { id: 'EAEU seal event 05', source: 'EAEU seal events', title: 'battery charge below 15 %' },
  { id: 'EAEU seal event 06', source: 'EAEU seal events', title: 'no messages for 2 consecutive exchange periods' },
  { id: 'EAEU seal event 07', source: 'EAEU seal events', title: 'unauthorised activation or deactivation' },
  { id: 'store-and-forward', source: 'rig', title: "the seal keeps what it could not send and sends it when its operator is reachable again (rig-defined)" },
];

/**
 * Issue 19: Rosalkogolregulirovanie order No 212 (seed 001), the NDTP v1.0 format in which alcohol tankers'
 * on-board terminals (СТС) report to the collection server (ССД). The seed numbers its sections; the
 * requirements are the sections' rules.
 */
const NDTP: readonly Requirement[] = [
  { id: 'NDTP 3', source: 'NDTP v1.0 (order 212)', title: 'NPL: integrity of every packet checked (signature, size, CRC)' },
  { id: 'NDTP 4.1', source: 'NDTP v1.0 (order 212)', title: 'NPL_TYPE_ERROR: routing errors (invalid peer address, peer not available, permission denied), never encrypted' },
  { id: 'NDTP 4.4', source: 'NDTP v1.0 (order 212)', title: 'every NPH packet from the terminal acknowledged with NPH_RESULT (<error> 0: success)' },
  { id: 'NDTP 5', source: 'NDTP v1.0 (order 212)', title: 'connection set-up: NPH_SGC_CONN_REQUEST (proto_version_high 1), NPH_SGC_CONN_AUTH_STRING; a refusal is an NPH_RESULT with the error' },
  { id: 'NDTP 6', source: 'NDTP v1.0 (order 212)', title: 'navigation data: cells in ascending Type, sensor values at the navigation cell\'s time, product level per compartment (Type 13)' },
  { id: 'NDTP 6 history', source: 'NDTP v1.0 (order 212)', title: 'data buffered while the link is lost goes as NPH_SND_HISTORY when it returns; the server tells it from real time' },
];

/**
 * Issue 20: the СКЗИ (НКМ) activation manual of a ШТРИХ-ТахоRUS (seed 000, «Инструкция по активизации блоков СКЗИ
 * тахографа», version 9). The seed numbers its sections; the requirements are the sections' rules as the rig
 * implements them (README "The СКЗИ (НКМ) activation").
 */
const SKZI: readonly Requirement[] = [
  { id: 'SKZI 4', source: 'SKZI activation (seed 000)', title: 'chapter 4: firmware gates before activation; no firmware update while the activation is under way' },
  { id: 'SKZI 5.3', source: 'SKZI activation (seed 000)', title: 'STEP 1: the block signs the request the АРМА wrote onto the workshop card; ejection, restart, ШАГ2' },
  { id: 'SKZI 5.4', source: 'SKZI activation (seed 000)', title: 'STEP 2: the АРМА writes the issued certificate onto the card; the block loads it; ejection, restart' },
  { id: 'SKZI 5.5', source: 'SKZI activation (seed 000)', title: 'STEP 3: VIN and plate written by ТахоМастер, then card and PIN bind the vehicle; activated' },
  { id: 'SKZI 5.7', source: 'SKZI activation (seed 000)', title: '«Регистрация авто в НКМ»: the vehicle data changed in an activated block, from НКМ-2.11 on' },
  { id: 'SKZI 5.6', source: 'SKZI activation (seed 000)', title: '«Отзыв активизации»: vehicle↔tachograph and tachograph↔block links broken in the registry, irreversibly' },
  { id: 'SKZI 6.7', source: 'SKZI activation (seed 000)', title: '«Рассинхронизация элементов НКМ»: another block\'s certificate on the card, or a failure of the СКЗИ module (power-cycle and repeat)' },
  { id: 'SKZI 6.3', source: 'SKZI activation (seed 000)', title: '«Не происходит подключение к серверу»: the data centre unreachable; nothing is lost, the request is sent when it returns (the АРМА\'s retry: rig-defined)' },
  { id: 'SKZI 6.24', source: 'SKZI activation (seed 000)', title: '«Ошибка сохранения запроса: время сессии истекло»: log in again, the unfinished stage 1 prompt, «Продолжить запрос»' },
  { id: 'SKZI service link', source: 'rig', title: 'ТахоМастер\'s service link (5.5 item 1, framing rig-defined): VIN and plate written over a serial line; a bad frame refused with its reason' },
  { id: 'SKZI 6.10', source: 'SKZI activation (seed 000)', title: '«Ошибки обработки запроса»: a processing error is handled («Обработать ошибку») and the request sent again' },
  { id: 'SKZI 6.12', source: 'SKZI activation (seed 000)', title: '«Использованная карта отсутствует в перечне или заблокирована»' },
  { id: 'SKZI 6.21', source: 'SKZI activation (seed 000)', title: '«Отсутствует или введён некорректный ГРЗ»: a plate not in Cyrillic, or a vehicle registered abroad' },
  { id: 'SKZI 6.22', source: 'SKZI activation (seed 000)', title: '«Данные по СКЗИ/VIN/ гос.номер отсутствую в базе данных»: nothing to revoke' },
  { id: 'SKZI 6.34', source: 'SKZI activation (seed 000)', title: 'the certificate is issued 1 hour to 1 day after the request was sent' },
  { id: 'SKZI 6.36', source: 'SKZI activation (seed 000)', title: 'a «Да» to «Загрузить сертификат» removes «Сброс на ШАГ1» for good' },
  { id: 'SKZI 6.39', source: 'SKZI activation (seed 000)', title: 'vehicle data corrected while handling a processing error' },
  { id: 'SKZI 6.43', source: 'SKZI activation (seed 000)', title: '«Отзыв активации в состоянии ожидания расписки о получении сертификата невозможен»' },
  { id: 'SKZI supply cut while loading', source: 'rig', title: 'a supply cut during «Загрузка...» loads nothing and leaves the certificate on the card (rig-defined: the seed is silent)' },
];

/** App. 14 Table 14.3: the data items of the remote tachograph monitoring payload (RTM1..RTM25). */
const RTM_ITEMS: readonly Requirement[] = Array.from({ length: 25 }, (_, i) => ({ id: `Table 14.3 RTM${i + 1}`, source: 'App. 14', title: `RTM${i + 1}, a data item of the TachographPayload` }));

/** The rig's own backbone, proved by the test devices' scenarios (test/scenarios). */
const BACKBONE: readonly Requirement[] = [
  { id: 'backbone clock', source: 'rig', title: 'one rig clock: virtual time, steps, waits' },
  { id: 'backbone links', source: 'rig', title: 'links carry bytes at their baud rate' },
  { id: 'backbone link faults', source: 'rig', title: 'link faults: cuts and their detection' },
];

/** The EventFaultType id of a code: `EventFaultType 0x07`. */
export function eventFaultTypeId(code: number): string {
  return `EventFaultType ${showCode(code)}`;
}

/** Every requirement a scenario may cover, canonical ids unique. */
export const REQUIREMENTS: readonly Requirement[] = [
  ...REGULATION_REQUIREMENTS.map(([id, source, title]) => ({ id, source, title })),
  ...EVENT_FAULT_TYPES.map((t) => ({ id: eventFaultTypeId(t.code), source: 'App. 1', title: `${t.category}: ${t.name}` })),
  ...Object.entries(CARD_ONLY_CODES).map(([code, name]) => ({ id: eventFaultTypeId(Number(code)), source: 'App. 1', title: `event (cards only): ${name}` })),
  ...DATA_AND_APPENDICES,
  ...RTM_ITEMS,
  ...SEAL,
  ...NDTP,
  ...SKZI,
  ...BACKBONE,
];

const BY_ID = new Map(REQUIREMENTS.map((r) => [r.id.toLowerCase(), r]));
const BY_EVENT_NAME = new Map(EVENT_FAULT_TYPES.map((t) => [t.name.toLowerCase(), t.code]));
/** What a misspelling is compared with: the ids, and the table's events by name as scenarios write them. */
const SPELLINGS = [...REQUIREMENTS.map((r) => r.id), ...EVENT_FAULT_TYPES.map((t) => `Annex IC 3.9 ${t.name}`)];

/**
 * The requirements a `covers` entry names (one, or each of a range), or why none. Besides the canonical ids it
 * reads the ways the scenarios write them: an appendix before an id (`App. 7 DDP_018`, `App. 11 CSM_157`,
 * `App. 12 GNS_31`), a range of ids (`CSM_223-229`: each id from the first to the last, every one in the
 * catalogue), an event or fault of Annex IC 3.9's table by code or name (`Annex IC 3.9 0x09`, `Annex IC 3.9
 * over speeding`), and App. 1's EventFaultType by code (`App. 1 EventFaultType 34`: App. 1 writes the codes in
 * hex, '34'H, so a bare number is read as hex too).
 */
export function resolveRequirement(text: string): { requirements: readonly Requirement[] } | { error: string } {
  const written = text.trim().replace(/\s+/g, ' ');
  const range = /^(?:App\. ?\d+ )?((?:DDP|CSM|GNS|DSC|TCS)_)(\d+)-(\d+)$/i.exec(written);
  if (range) {
    const [, prefix, from, to] = range;
    if (Number(to) <= Number(from)) return { error: `'${text}': a range of ids runs from the lower to the higher` };
    const ids = Array.from({ length: Number(to) - Number(from) + 1 }, (_, i) => `${prefix!.toUpperCase()}${String(Number(from) + i).padStart(from!.length, '0')}`);
    const missing = ids.filter((id) => !BY_ID.has(id.toLowerCase()));
    const listed = missing.length > 5 ? `${missing.slice(0, 5).join(', ')} and ${missing.length - 5} more` : missing.join(', ');
    if (missing.length) return { error: `'${text}': ${listed} ${missing.length === 1 ? 'is' : 'are'} no requirement of the catalogue (src/scenarios/requirements/)` };
    return { requirements: ids.map((id) => BY_ID.get(id.toLowerCase())!) };
  }
  const id = canonical(written);
  const found = id !== undefined ? BY_ID.get(id.toLowerCase()) : undefined;
  if (found) return { requirements: [found] };
  const near = closest(id ?? written);
  return { error: `'${text}' is no requirement of the catalogue (src/scenarios/requirements/)${near ? `; did you mean '${near}'?` : ''}` };
}

function canonical(written: string): string | undefined {
  const appendixId = /^App\. ?(?:2|7|11|12|14) ((?:DDP|CSM|GNS|DSC|TCS)_\d+)$/i.exec(written);
  if (appendixId) return appendixId[1]!.toUpperCase();
  const table = /^Annex IC 3\.9 (.+)$/i.exec(written);
  if (table) {
    const code = /^0x[0-9a-f]{1,2}$/i.test(table[1]!) ? Number(table[1]) : BY_EVENT_NAME.get(table[1]!.toLowerCase());
    // a group of the table (`security breach attempt`) is an entry of its own
    return code === undefined ? written : eventFaultTypeId(code);
  }
  const app1 = /^(?:App\. ?1 )?EventFaultType (?:0x)?([0-9a-f]{1,2})$/i.exec(written);
  if (app1) return eventFaultTypeId(Number.parseInt(app1[1]!, 16));
  return written;
}

/** The catalogue id closest to a misspelt one (edit distance at most a third of its length), for the message. */
function closest(text: string): string | undefined {
  let best: { id: string; d: number } | undefined;
  for (const candidate of SPELLINGS) {
    const d = distance(text.toLowerCase(), candidate.toLowerCase());
    if (!best || d < best.d) best = { id: candidate, d };
  }
  return best && best.d <= Math.max(2, Math.floor(text.length / 3)) ? best.id : undefined;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row.push(Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    prev = row;
  }
  return prev[b.length]!;
}

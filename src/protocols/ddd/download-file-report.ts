import { toHex } from '../../crypto/bytes.ts';
import { eventFaultTypeName } from '../app1/event-fault-type.ts';
import type { FileVerification } from '../file-verification.ts';
import type { DecodedDownloadFile, DecodedVuBlock, DecodedVuFile } from './decode-download-file.ts';
import { dayOfActivities } from './decode-download-file.ts';
import { blockLabel } from './verify-gen2.ts';
import { layoutOf, VU_DOWNLOAD_KINDS } from './vu-generations.ts';

/**
 * What `rig decode` shows of a download file: a summary (kind and generation, identification, period
 * covered, counts per record type), then the records, then, when asked, the verification. Two forms from the
 * same data: `downloadJson` (stable: times ISO 8601 UTC without milliseconds, App. 1 field names, bytes as
 * hex) and `downloadText` (for people: activities as "2026-03-03 08:15 driver driving" lines, events with
 * their App. 1 names, cards and positions in one phrase each).
 */

// ---------------------------------------------------------------------------------------------- JSON values

/** App. 1 time fields (TimeReal, Datef-like) by their names across the VU and card records. */
const TIME_KEY = /^(begin|end|day|timeStamp|lastControl|firstOverSpeedSince)$|(Time|Date|Timestamp|TimeStamp|TimeValue)$/;

/** TimeReal 0..2^32-1 s is below 1e11 as seconds and above it as ms (after 1973-03-03): the unit when none is known. */
const MS_THRESHOLD = 1e11;

export function isoTime(value: number, unit?: 'ms' | 's'): string {
  const ms = (unit ?? (value >= MS_THRESHOLD ? 'ms' : 's')) === 's' ? value * 1000 : value;
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(value) : d.toISOString().replace('.000Z', 'Z');
}

/** A decoded value as JSON: Uint8Array as hex, times (by field name) as ISO strings, undefined left out. */
export function jsonValue(value: unknown, unit?: 'ms' | 's', key = ''): unknown {
  if (value instanceof Uint8Array) return toHex(value);
  if (typeof value === 'number' && TIME_KEY.test(key)) return isoTime(value, unit);
  if (Array.isArray(value)) return value.map((v) => jsonValue(v, unit));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = jsonValue(v, unit, k);
    return out;
  }
  return value;
}

function unitOf(block: DecodedVuBlock, file: DecodedVuFile): 'ms' | 's' | undefined {
  return layoutOf(block.trep, file.generation)?.timeUnit;
}

// ------------------------------------------------------------------------------------------------- summary

export interface DownloadSummary {
  kind: 'VU download' | 'card download';
  generation: string;
  /** Vehicle and VU, or card and holder: whatever the file says of them. */
  identification: Record<string, unknown>;
  /** The days of activity the file holds, and (VU) the VU's downloadable period. */
  period: Record<string, unknown>;
  /** Records per App. 1 record type over the whole file. */
  counts: Record<string, number>;
}

const GENERATION_LABEL: Record<string, string> = { gen1: 'generation 1', gen2v1: 'generation 2, version 1', gen2v2: 'generation 2, version 2' };

/** The App. 1 record type of each array of the decoded blocks (the decoders' field names). */
const RECORD_OF: Readonly<Record<string, string>> = {
  cardIW: 'VuCardIWRecord',
  activities: 'ActivityChangeInfo',
  places: 'VuPlaceDailyWorkPeriodRecord',
  gnssAccumulatedDriving: 'VuGNSSADRecord',
  specificConditions: 'SpecificConditionRecord',
  borderCrossings: 'VuBorderCrossingRecord',
  loadUnloadOperations: 'VuLoadUnloadRecord',
  timeAdjustments: 'VuTimeAdjustmentRecord',
  sensorPairings: 'SensorPairedRecord',
  gnssCouplings: 'SensorExternalGNSSCoupledRecord',
  calibrations: 'VuCalibrationRecord',
  cards: 'VuCardRecord',
  itsConsents: 'VuITSConsentRecord',
  powerSupplyInterruptions: 'VuPowerSupplyInterruptionRecord',
  companyLocks: 'VuCompanyLocksRecord',
  controls: 'VuControlActivityRecord',
};

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
const dataOf = (content: unknown): unknown => (isObj(content) && 'data' in content ? content.data : content);

/** The first value under one of `keys`, depth first, within a few levels (the decoders' shapes differ by generation). */
function find(value: unknown, keys: readonly string[], depth = 4): unknown {
  if (depth < 0 || value === null || typeof value !== 'object' || value instanceof Uint8Array) return undefined;
  if (Array.isArray(value)) return undefined;
  for (const k of keys) if (k in value && (value as Obj)[k] !== undefined) return (value as Obj)[k];
  for (const v of Object.values(value)) {
    const found = find(v, keys, depth - 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function vuSummary(file: DecodedVuFile): DownloadSummary {
  const kind = file.generation ? VU_DOWNLOAD_KINDS[file.generation] : undefined;
  const overview = file.blocks.find((b) => b.trep === kind?.overview && b.content);
  const technical = file.blocks.find((b) => (b.trep & 0x0f) === 0x05 && b.content);
  const id: Obj = {};
  const put = (name: string, value: unknown, unit?: 'ms' | 's') => {
    if (value !== undefined && value !== null && value !== '') id[name] = jsonValue(value, unit, name);
  };
  const ov = overview ? dataOf(overview.content) : undefined;
  put('vehicleIdentificationNumber', find(ov, ['vin', 'vehicleIdentificationNumber']));
  put('vehicleRegistrationNation', find(ov, ['registrationNation', 'vehicleRegistrationNation']));
  put('vehicleRegistrationNumber', find(ov, ['registrationNumber', 'vehicleRegistrationNumber']));
  const vuId = technical ? find(dataOf(technical.content), ['identification', 'vuIdentification']) : undefined;
  put('vuManufacturerName', find(vuId, ['manufacturerName', 'vuManufacturerName']));
  put('vuSerialNumber', find(vuId, ['serialNumber', 'vuSerialNumber']));
  put('vuApprovalNumber', find(vuId, ['approvalNumber', 'vuApprovalNumber']));
  put('vuSoftwareVersion', find(vuId, ['softwareVersion', 'vuSoftwareVersion']));
  put('vuDigitalMapVersion', find(vuId, ['digitalMapVersion', 'vuDigitalMapVersion']));
  put('vuGeneration', find(vuId, ['generation', 'vuGeneration']));

  const period: Obj = {};
  const days = file.blocks.filter((b) => b.trep === kind?.activities).flatMap((b) => dayOfActivities(b.content) ?? []).sort((a, b) => a - b);
  if (days.length > 0) Object.assign(period, { firstDay: isoTime(days[0]!, 'ms').slice(0, 10), lastDay: isoTime(days[days.length - 1]!, 'ms').slice(0, 10), days: days.length });
  const unit = overview ? unitOf(overview, file) : undefined;
  const min = find(ov, ['minDownloadableTime']);
  const max = find(ov, ['maxDownloadableTime']);
  if (typeof min === 'number' && typeof max === 'number') period.downloadablePeriod = { minDownloadableTime: isoTime(min, unit), maxDownloadableTime: isoTime(max, unit) };

  const counts: Record<string, number> = {};
  const add = (name: string, n: number) => (counts[name] = (counts[name] ?? 0) + n);
  for (const b of file.blocks) {
    const data = dataOf(b.content);
    if ((b.trep & 0x0f) === 0x04 && Array.isArray(data)) add('VuDetailedSpeedBlock', data.length);
    if (!isObj(data)) continue;
    for (const [k, v] of Object.entries(data)) {
      if (!Array.isArray(v)) continue;
      if (k === 'records') {
        for (const r of v as Obj[]) add(r.category === 'fault' ? 'VuFaultRecord' : r.type === 0x07 ? 'VuOverSpeedingEventRecord' : 'VuEventRecord', 1);
      } else add(RECORD_OF[k] ?? k, v.length);
    }
  }
  return { kind: 'VU download', generation: file.generation ? GENERATION_LABEL[file.generation]! : 'unknown', identification: id, period, counts };
}

function cardSummary(file: Extract<DecodedDownloadFile, { kind: 'card' }>): DownloadSummary {
  const identification = file.efs.find((e) => e.kind === 'data' && e.tag.startsWith('0520') && e.fields)?.fields;
  const id: Obj = {};
  for (const k of ['cardIssuingMemberState', 'cardNumber', 'cardHolderName', 'cardExpiryDate', 'cardHolderBirthDate']) {
    const v = find(identification, [k]);
    if (v !== undefined) id[k] = jsonValue(v, undefined, k);
  }
  const counts: Record<string, number> = {};
  for (const e of file.efs) counts[e.kind === 'signature' ? 'signatures' : e.fields ? 'EFs decoded' : 'EFs as hex'] = (counts[e.kind === 'signature' ? 'signatures' : e.fields ? 'EFs decoded' : 'EFs as hex'] ?? 0) + 1;
  return { kind: 'card download', generation: GENERATION_LABEL[file.generation]!, identification: id, period: {}, counts };
}

export function downloadSummary(file: DecodedDownloadFile): DownloadSummary {
  return file.kind === 'vu' ? vuSummary(file) : cardSummary(file);
}

// -------------------------------------------------------------------------------------------- the document

function verificationJson(v: FileVerification): unknown {
  return { ok: v.ok, at: v.at ? isoTime(v.at, 'ms') : null, atSource: v.atSource, verdicts: v.verdicts, problems: v.problems };
}

/** The stable JSON of `rig decode --json`. */
export function downloadJson(file: DecodedDownloadFile, bytes: number, verification?: FileVerification): unknown {
  const head = { kind: file.kind, generation: file.generation, bytes, summary: downloadSummary(file) };
  const body =
    file.kind === 'vu'
      ? {
          blocks: file.blocks.map((b) => ({
            trep: b.trep,
            name: b.name,
            offset: b.offset,
            length: b.length,
            ...(b.content !== undefined ? { content: jsonValue(b.content, unitOf(b, file)) } : {}),
            ...(b.error !== undefined ? { error: b.error } : {}),
          })),
        }
      : { efs: file.efs.map((e) => jsonValue(e, 'ms')) };
  return { ...head, ...body, problems: file.problems, ...(verification ? { verification: verificationJson(verification) } : {}) };
}

// ---------------------------------------------------------------------------------------------------- text

/** ±DDMM.M × 10 as degrees and minutes; '7FFFFF'H is App. 1's unknown position. */
function angle(value: number, pos: string, neg: string): string {
  if (value === 0x7fffff) return 'unknown';
  const a = Math.abs(value);
  return `${Math.floor(a / 1000)}°${((a % 1000) / 10).toFixed(1)}'${value < 0 ? neg : pos}`;
}

/** One phrase for the shapes that recur everywhere: a card, a position, a serial number. */
function phrase(v: Obj): string | undefined {
  if (typeof v.cardNumber === 'string' && typeof v.cardType === 'string') {
    const nation = typeof v.issuingMemberState === 'number' ? ` '${v.issuingMemberState.toString(16).padStart(2, '0').toUpperCase()}'H` : '';
    return `${v.cardType} card ${v.cardNumber}${nation}${typeof v.generation === 'number' ? ` gen ${v.generation}` : ''}`;
  }
  if (typeof v.latitude === 'number' && typeof v.longitude === 'number' && Object.keys(v).length === 2) return `${angle(v.latitude, 'N', 'S')} ${angle(v.longitude, 'E', 'W')}`;
  if (typeof v.serialNumber === 'number' && typeof v.monthYear === 'string' && 'manufacturerCode' in v)
    return `serial ${v.serialNumber}, ${v.monthYear.slice(0, 2)}/${v.monthYear.slice(2)}, type ${String(v.type)}, manufacturer ${typeof v.manufacturerCode === 'number' ? `'${v.manufacturerCode.toString(16).padStart(2, '0').toUpperCase()}'H` : String(v.manufacturerCode)}`;
  return undefined;
}

function scalar(v: unknown): string | undefined {
  if (v === null) return 'none';
  if (typeof v === 'string') return v === '' ? "''" : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isObj(v)) return phrase(v);
  if (Array.isArray(v) && v.length === 0) return 'none';
  if (Array.isArray(v) && v.every((x) => typeof x === 'number' || typeof x === 'string')) return v.join(' ');
  return undefined;
}

/** An ActivityChangeInfo (App. 1 §2.1) of a day: "2026-03-03 06:00 driver    driving (single, card inserted)". */
function activityLine(a: Obj, day: string | undefined): string | undefined {
  if (typeof a.minute !== 'number' || typeof a.activity !== 'string' || typeof a.slot !== 'string') return undefined;
  const hh = String(Math.floor(a.minute / 60)).padStart(2, '0');
  const mm = String(a.minute % 60).padStart(2, '0');
  return `${day ?? 'day ?'} ${hh}:${mm} ${a.slot.padEnd(9)} ${a.activity}${a.drivingStatus ? ` (${String(a.drivingStatus)}, card ${String(a.cardStatus)})` : ''}`;
}

/** An event or fault: "2026-03-03T00:01:00Z .. 2026-03-03T00:16:00Z event '02'H card conflict, purpose 3, ...". */
function eventLine(e: Obj): string | undefined {
  if (typeof e.type !== 'number' || (e.category !== 'event' && e.category !== 'fault')) return undefined;
  const cards = (c: unknown) => (isObj(c) ? [c.driver, c.codriver].map((x) => (isObj(x) ? phrase(x) : 'none')).join(' / ') : 'none');
  const data = isObj(e.data) && Object.keys(e.data).length > 0 ? `, ${Object.entries(e.data).map(([k, v]) => `${k} ${String(v)}`).join(', ')}` : '';
  return `${String(e.begin)} .. ${e.end === null ? 'on-going' : String(e.end)} ${e.category} ${eventFaultTypeName(e.type)}, purpose ${String(e.purpose)}, similar ${String(e.similarEvents)}, cards at begin ${cards(e.cardsAtBegin)}${e.cardsAtEnd ? `, at end ${cards(e.cardsAtEnd)}` : ''}${data}`;
}

function lines(value: unknown, indent: string, day: string | undefined): string[] {
  const out: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      const one = isObj(item) ? (activityLine(item, day) ?? eventLine(item) ?? phrase(item)) : scalar(item);
      if (one !== undefined) {
        out.push(`${indent}${one}`);
        continue;
      }
      const inner = lines(item, `${indent}  `, day);
      out.push(`${indent}- ${inner[0]?.trimStart() ?? ''}`, ...inner.slice(1));
    }
    return out;
  }
  if (!isObj(value)) return [`${indent}${scalar(value) ?? String(value)}`];
  for (const [k, v] of Object.entries(value)) {
    const s = scalar(v);
    if (s !== undefined) out.push(`${indent}${k}: ${s}`);
    else out.push(`${indent}${k}:`, ...lines(v, `${indent}  `, day));
  }
  return out;
}

function summaryLines(s: DownloadSummary, bytes: number, units: number, unitName: string): string[] {
  const kv = (o: Obj) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${scalar(v) ?? (isObj(v) ? Object.entries(v).map(([a, b]) => `${a} ${scalar(b) ?? JSON.stringify(b)}`).join(', ') : JSON.stringify(v))}`)
      .join('; ');
  return [
    `${s.kind}, ${s.generation}: ${bytes} bytes, ${units} ${unitName}`,
    `  identification: ${Object.keys(s.identification).length > 0 ? kv(s.identification) : 'none found'}`,
    `  period covered: ${Object.keys(s.period).length > 0 ? kv(s.period) : 'not in the decoded records'}`,
    `  records: ${Object.keys(s.counts).length > 0 ? Object.entries(s.counts).map(([k, n]) => `${k} ${n}`).join(', ') : 'none'}`,
  ];
}

export function verificationLines(v: FileVerification): string[] {
  const out = [`verification (certificates judged at ${v.at ? isoTime(v.at, 'ms') : 'no time'}, ${v.atSource}):`];
  for (const d of v.verdicts) out.push(`  ${d.block} (byte ${d.offset}): ${d.status === 'unknown-root' ? 'unknown root' : d.status}${d.reason ? ` (${d.reason})` : ''}`);
  for (const p of v.problems) out.push(`  problem: ${p}`);
  const bad = v.verdicts.filter((d) => d.status === 'failed' || d.status === 'unknown-root').length;
  out.push(`  result: ${v.ok ? 'everything verifies' : `NOT verified (${bad} block(s) failed or of unknown root, ${v.problems.length} problem(s))`}`);
  return out;
}

function problemLines(problems: readonly string[]): string[] {
  return problems.length === 0 ? ['  problems: none'] : ['  problems:', ...problems.map((p) => `    ${p}`)];
}

/** The readable form of `rig decode`. */
export function downloadText(file: DecodedDownloadFile, bytes: number, verification?: FileVerification): string {
  const out: string[] = [];
  const summary = downloadSummary(file);
  if (file.kind === 'vu') {
    out.push(...summaryLines(summary, bytes, file.blocks.length, 'blocks'));
    out.push(...problemLines(file.problems));
    for (const b of file.blocks) {
      out.push('', `== ${blockLabel(b, file.generation)}, byte ${b.offset}, ${b.length} bytes`);
      if (b.error) out.push(`cannot decode: ${b.error}`);
      if (b.content === undefined) continue;
      const json = jsonValue(b.content, unitOf(b, file));
      const day = dayOfActivities(b.content);
      out.push(...lines(dataOf(json) ?? json, '', day === undefined ? undefined : isoTime(day, 'ms').slice(0, 10)));
    }
  } else {
    out.push(...summaryLines(summary, bytes, file.efs.length, 'EF entries'));
    out.push(...problemLines(file.problems));
    for (const e of file.efs) {
      out.push('', `== ${e.tag} ${e.name} (${e.df}), ${e.size} bytes`);
      if (e.error) out.push(`cannot decode: ${e.error}`);
      if (e.fields !== undefined) out.push(...lines(jsonValue(e.fields, 'ms'), '', undefined));
      else if (e.hex !== undefined) out.push(e.hex);
    }
  }
  if (verification) out.push('', ...verificationLines(verification));
  return out.join('\n') + '\n';
}

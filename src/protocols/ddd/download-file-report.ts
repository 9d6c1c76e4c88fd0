import { eventFaultTypeName } from '../app1/event-fault-type.ts';
import type { FileVerification } from '../file-verification.ts';
import type { CardFileSummary } from '../card-files/card-file-summary.ts';
import { cardEfHeader, cardEfLines, cardSummaryLines } from './card-download-report.ts';
import type { DecodedCardDownload, DecodedDownloadFile, DecodedVuBlock, DecodedVuFile } from './decode-download-file.ts';
import { dayOfActivities } from './decode-download-file.ts';
import { isoTime, jsonValue, position } from './report-values.ts';
import { blockLabel } from './verify-gen2.ts';
import { layoutOf, VU_DOWNLOAD_KINDS } from './vu-generations.ts';

/**
 * What `rig decode` shows of a download file: a summary (kind and generation, identification, period
 * covered, counts per record type), then the records, then, when asked, the verification. Two forms from the
 * same data: `downloadJson` (stable: times ISO 8601 UTC without milliseconds, App. 1 field names, bytes as
 * hex) and `downloadText` (for people: activities as "2026-03-03 08:15 driver driving" lines, events with
 * their App. 1 names, cards and positions in one phrase each).
 */

export { isoTime, jsonValue };

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
  const blocks = file.blocks.filter((b) => b.trep === kind?.activities).flatMap((b) => dayOfActivities(b.content) ?? []);
  const days = [...new Set(blocks)].sort((a, b) => a - b);
  if (days.length > 0) Object.assign(period, { firstDay: isoTime(days[0]!, 'ms').slice(0, 10), lastDay: isoTime(days[days.length - 1]!, 'ms').slice(0, 10), days: days.length });
  // a day downloaded twice is a problem of the file (decode-download-file.ts); the blocks are counted here
  if (blocks.length !== days.length) period.activityBlocks = blocks.length;
  const unit = overview ? unitOf(overview, file) : undefined;
  // the VU's clock when it answered the download (DDP_055): the time verification judges the file at
  const now = find(ov, ['currentTime', 'currentDateTime']);
  if (typeof now === 'number') period.currentDateTime = isoTime(now, unit);
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

/** A card file's summary is the card decoder's (card-file-summary.ts), as JSON. */
export type CardDownloadSummary = { kind: 'card download' } & CardFileSummary;

export function downloadSummary(file: DecodedVuFile): DownloadSummary;
export function downloadSummary(file: DecodedCardDownload): CardDownloadSummary;
export function downloadSummary(file: DecodedDownloadFile): DownloadSummary | CardDownloadSummary;
export function downloadSummary(file: DecodedDownloadFile): DownloadSummary | CardDownloadSummary {
  return file.kind === 'vu' ? vuSummary(file) : { kind: 'card download', ...(jsonValue(file.summary) as CardFileSummary) };
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
      : { efs: file.efs.map((e) => jsonValue(e)) };
  return { ...head, ...body, problems: file.problems, ...(verification ? { verification: verificationJson(verification) } : {}) };
}

// ---------------------------------------------------------------------------------------------------- text

/** One phrase for the shapes that recur everywhere: a card, a position, a serial number. */
function phrase(v: Obj): string | undefined {
  if (typeof v.cardNumber === 'string' && typeof v.cardType === 'string') {
    const nation = typeof v.issuingMemberState === 'number' ? ` '${v.issuingMemberState.toString(16).padStart(2, '0').toUpperCase()}'H` : '';
    return `${v.cardType} card ${v.cardNumber}${nation}${typeof v.generation === 'number' ? ` gen ${v.generation}` : ''}`;
  }
  if (typeof v.latitude === 'number' && typeof v.longitude === 'number' && Object.keys(v).length === 2) return position(v.latitude, v.longitude);
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

/** "2 blocks with problems (listed with them)". */
function withProblems(n: number, what: string): string[] {
  return n === 0 ? [] : [`${n} ${what}${n === 1 ? '' : 's'} with problems (listed with ${n === 1 ? 'it' : 'them'} below)`];
}

function problemLines(problems: readonly string[]): string[] {
  return problems.length === 0 ? ['  problems: none'] : ['  problems:', ...problems.map((p) => `    ${p}`)];
}

/** The readable form of `rig decode`. */
export function downloadText(file: DecodedDownloadFile, bytes: number, verification?: FileVerification): string {
  const out: string[] = [];
  if (file.kind === 'vu') {
    out.push(...summaryLines(vuSummary(file), bytes, file.blocks.length, 'blocks'));
    out.push(...problemLines([...file.problems, ...withProblems(file.blocks.filter((b) => b.problems).length, 'block')]));
    for (const b of file.blocks) {
      out.push('', `== ${blockLabel(b, file.generation)}, byte ${b.offset}, ${b.length} bytes`);
      if (b.error) out.push(`cannot decode: ${b.error}`);
      if (b.problems) out.push('problems:', ...b.problems.map((p) => `  ${p}`));
      if (b.content === undefined) continue;
      const json = jsonValue(b.content, unitOf(b, file));
      const day = dayOfActivities(b.content);
      out.push(...lines(dataOf(json) ?? json, '', day === undefined ? undefined : isoTime(day, 'ms').slice(0, 10)));
    }
  } else {
    out.push(...cardSummaryLines(file.summary, file.generation, bytes, file.efs.length));
    out.push(...problemLines([...file.problems, ...withProblems(file.efs.filter((e) => e.problems.length > 0).length, 'EF')]));
    for (const e of file.efs) {
      out.push('', cardEfHeader(e));
      if (e.problems.length > 0) out.push('problems:', ...e.problems.map((p) => `  ${p}`));
      out.push(...cardEfLines(e));
    }
  }
  if (verification) out.push('', ...verificationLines(verification));
  return out.join('\n') + '\n';
}

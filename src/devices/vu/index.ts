import type { DeviceKind } from '../../harness/devices/device-kind.ts';
import { decodePulseLine } from './pulse-input.ts';
import { vuStimuli } from './stimuli.ts';
import { createVuMachine, type VuContext } from './vu-machine.ts';
import { vuOptionsSchema, type VuOptions } from './vu-options.ts';
import { accumulatedDrivingRecords, activityRecords, calibrationErrorRecords, calibrationRecords, cardInsertionRecords, eventRecords, gnssCouplingRecords, identificationRecord, sensorPairingRecords, timeAdjustmentRecords } from './vu-records.ts';
import { timeReal, vuTime } from './time/vu-clock.ts';
import { motionSensorLinkCodec, pulseCodec } from '../../protocols/motion-sensor/port-codecs.ts';
import { app7PortCodec } from '../../protocols/app7/index.ts';
import type { DeviceRecord, RigAccess } from '../../harness/devices/device-kind.ts';
import { cardFileOf, DownloadError, downloadThrough, FORMAT_TRTP, fullDownloadRequests, GEN2_V2_INTERFACE_VERSION, ideSettingsOf, type DownloadResult } from '../../harness/download/index.ts';
import { fromHex } from '../../crypto/bytes.ts';
import { TestPki } from '../../crypto/pki/test-pki.ts';
import { TestPkiG1 } from '../../crypto/pki-g1/test-pki-g1.ts';
import { DRIVER_CARD_RECORD_KINDS, recordsFromCardFile, WORKSHOP_CARD_USE_RECORD_KINDS } from './card-download-records.ts';
import { HOLDER_CARD_RECORD_KINDS, recordsFromHolderCard, workshopCardUseRecords, type CardTransmit } from './holder-card-records.ts';
import type { VirtualCard } from '../cards/card.ts';
import { writeDdd } from '../../protocols/ddd/index.ts';
import type { LinkEnd } from '../../harness/links/index.ts';
import { decodeTrep00, decodeTrep21, decodeTrep31 } from '../../protocols/app7-records/index.ts';
import { TRTP } from '../../protocols/app7/index.ts';
import { verifyDownloadFile } from '../../protocols/ddd/index.ts';

import { recordsFromDownload } from './download-records.ts';
import { t1PortCodec } from '../gnss/port-codec.ts';
import { DEFAULT_GNSS_LINK_TIMING } from './gnss-link/types.ts';
import { DEFAULT_SENSOR_LINK_TIMING } from './sensor-link/types.ts';
import { placeRecords, placeRefusalRecords } from './places/index.ts';
import { specificConditionRecords, specificConditionRefusalRecords } from './specific-conditions/index.ts';
import { v2Records } from './v2-records/v2-record-kinds.ts';
import { vuRecordKinds } from './record-kinds.ts';
import { dsrcVuLinkCodec } from '../../protocols/dsrc/index.ts';

/**
 * The vehicle unit (smart tachograph, gen2): time measurement, motion from the sensor's pulses, card slots
 * and modes, the event and fault engine with its storing rules, power. Its records are read, for now, from
 * its data memory in-process; the App. 7 download will replace that reader.
 */
export const vuKind: DeviceKind<VuOptions> = {
  kind: 'vu',
  description: 'smart tachograph vehicle unit (Annex IC gen2)',
  options: vuOptionsSchema,
  ports: {
    pulses: { description: "the motion sensor's real-time pulse line", baud: 9600, codec: pulseCodec, lineEvents: true },
    sensor: {
      description: 'the secured link to the motion sensor (pairing, authenticated counter; src/protocols/motion-sensor/README.md)',
      baud: 9600,
      codec: motionSensorLinkCodec(),
      // Its buffer is the sensor link's deframer (sensor-link/machine.ts takeBytes), emptied when an answer times
      // out or the VU restarts: a frame's bytes may come in one port.rx (issue 18, links/whole-frames.ts)
      takesFrames: true,
      // The VU asks, the sensor answers, each attempt within the VU's answer timeout (sensor-link/attempts.ts)
      exchange: { role: 'requests', answerWindow: (o) => ({ name: 'motionSensor.answerTimeoutMs', ms: (o as Partial<VuOptions> | undefined)?.motionSensor?.answerTimeoutMs ?? DEFAULT_SENSOR_LINK_TIMING.answerTimeoutMs }) },
    },
    gnss: {
      description: 'to an external GNSS facility (App. 12): APDUs in T=1 blocks, secure messaging after coupling',
      baud: 115200,
      codec: t1PortCodec,
      // GNS_28: the VU counts a request unanswered after its answer timeout (gnss-link/types.ts)
      exchange: { role: 'requests', answerWindow: () => ({ name: 'GNSS answer timeout', ms: DEFAULT_GNSS_LINK_TIMING.answerTimeoutMs }) },
    },
    download: { description: 'the front connector: App. 7 downloads (9600 baud 8E1 until a link control switches speed)', baud: 9600, codec: app7PortCodec, exchange: { role: 'answers' } },
    // Issue 15: a real VU's card slots, where a smart-card emulator board carries a rig card (`kind: card`) over a
    // serial line (hardware/card-slot-bridge.md); the emulated VU reads its cards in-process and ignores them
    driverSlot: { description: "the driver card slot, on a bench: the smart-card emulator board's serial line (APDUs in T=1 blocks); unused by the emulated VU", baud: 115200, codec: t1PortCodec, exchange: { role: 'requests' } },
    coDriverSlot: { description: "the co-driver card slot, as driverSlot; unused by the emulated VU", baud: 115200, codec: t1PortCodec, exchange: { role: 'requests' } },
    // Issue 16 (App. 14 §5.6): the cable to an external DSRC-VU, the rig's VU link frame (README "DSRC")
    dsrc: {
      description: 'to the DSRC-VU (App. 14 §5.6, DSC_68 a i): the RTM data every 60 s in the VU link frame, acknowledged Ok/NoK',
      baud: 115200,
      codec: dsrcVuLinkCodec,
      // DSC_74: the VU counts a command unanswered after its answer timeout
      exchange: { role: 'requests', answerWindow: (o) => ({ name: 'dsrc.answerTimeoutMs', ms: (o as Partial<VuOptions> | undefined)?.dsrc?.answerTimeoutMs ?? 2_000 }) },
    },
  },
  machine: ({ name, clock, options, rng, world }) => ({ machine: createVuMachine(clock, options, decodePulseLine, rng, world, name) }),
  stimuli: vuStimuli,
  recordKinds: vuRecordKinds,
  records: (device, rig) => {
    let last: DownloadResult | undefined;
    const seen = (download: DownloadResult) => (last = download);
    return {
      read: async (want) => {
        const ide = rig.peerOf(`${device}.download`);
        const context = (rig.actor(device)?.getSnapshot() as { context: VuContext } | undefined)?.context;
        if (ide?.local) {
          const records = await readThroughDownload(ide, rig, device, context, rig.device(device)?.options as VuOptions | undefined, seen);
          // Issue 15: the driver cards in the slots through TRTP 06, when a check asks for their records
          const cards = DRIVER_CARD_RECORD_KINDS.some((k) => want?.kinds?.has(k)) ? await readCardsThroughDownload(ide, rig, device, rig.device(device)?.options as VuOptions | undefined) : [];
          // Issue 15: what the VU wrote on the workshop, control and company cards it held, read from the cards
          const held = HOLDER_CARD_RECORD_KINDS.some((k) => want?.kinds?.has(k)) ? heldCardRecords(rig, device, recordsFromHolderCard) : [];
          // ... and of a workshop card's use, as a driver card's (card-use-efs.ts)
          const workshop = WORKSHOP_CARD_USE_RECORD_KINDS.some((k) => want?.kinds?.has(k)) ? heldCardRecords(rig, device, workshopCardUseRecords) : [];
          return [...records, ...cards, ...held, ...workshop];
        }
        // No download line in this rig: the temporary in-process reader (see vu-records.ts).
        if (!context) throw new Error(`device '${device}' is external and no IDE is on its download line: its records need the App. 7 download`);
        return inProcessRecords(context, vuTime(context.clock, rig.clock.now()));
      },
      // DDP_034: the transfers' data as an ESM file (.DDD), as a download key stores it
      file: () => (last ? { extension: 'ddd', mediaType: 'application/octet-stream', description: `${device}'s last App. 7 download as a .DDD file (DDP_034)`, bytes: dddOf(last) } : undefined),
    };
  },
};

/**
 * The VU's records through its front door (App. 7): an overview to learn the downloadable days, then every
 * day, the events and faults and the technical data, decoded into the in-process reader's shapes. What no
 * download carries is read from an emulated VU's memory: the accumulated-driving marks (their GNSS
 * positions arrive with issue 5), the calibration errors the VU shows the workshop and the place entries it
 * refused.
 */
async function readThroughDownload(ide: LinkEnd, rig: RigAccess, device: string, context: VuContext | undefined, options: VuOptions | undefined, seen: (download: DownloadResult) => void): Promise<DeviceRecord[]> {
  if (!context) return readExternalVu(ide, rig, device, options, seen);
  // An emulated VU in operational mode gives the rig's own read what control mode would (download/access.ts)
  const actor = rig.actor(device);
  actor?.send({ type: 'vu.rigRead', on: true });
  let full;
  const format = readFormatOf(options);
  try {
    full = await downloadAll(ide, rig, format);
    seen(full);
  } finally {
    actor?.send({ type: 'vu.rigRead', on: false });
  }
  if (format === 'gen2v2') verifyOwnDownload(full, options);
  return [
    ...recordsFromDownload(full),
    ...accumulatedDrivingRecords(context.accumulatedDrivingMarks),
    ...calibrationErrorRecords(context.calibrationErrors),
    ...placeRefusalRecords(context.places.refusals),
    ...specificConditionRefusalRecords(context.specificConditions.refusals),
    // a version 1 download does not carry the load/unload operations and border crossings: read in-process
    ...(format === 'gen2v2' ? [] : v2Records(context.v2Records)),
  ];
}

/**
 * A real VU (or the stand-in) is read as a fleet would read it: a download, and where the VU refuses it in
 * the mode it is in (Annex IC 12: NRC 50 in operational mode; or, with a driver card in a slot, a session
 * opened for that card's data alone, Annex IC 12 (b), whose VU overview is refused 'FA'), the bench inserts
 * the VU's `downloadCard` (a company card by preference), lets the VU read it, downloads, and withdraws it again.
 */
async function readExternalVu(ide: LinkEnd, rig: RigAccess, device: string, options: VuOptions | undefined, seen: (download: DownloadResult) => void): Promise<DeviceRecord[]> {
  const read = async () => {
    const full = await downloadAll(ide, rig, readFormatOf(options));
    seen(full);
    return recordsFromDownload(full);
  };
  try {
    return await read();
  } catch (error) {
    const card = options?.downloadCard;
    const refusedInMode = error instanceof DownloadError && (error.nrc === NRC_UPLOAD_NOT_ACCEPTED || (error instanceof OverviewRefused && error.nrc === NRC_DATA_NOT_AVAILABLE));
    if (!refusedInMode || !card || !rig.actuate) {
      const hint = refusedInMode ? ` (the VU refuses downloads in its mode: give ${device} a downloadCard and the bench a card switch for it)` : '';
      throw new Error(`${(error as Error).message}${hint}`);
    }
    await untilVuSeesStop(rig);
    await rig.actuate(device, 'insertCard', { slot: card.slot, card: card.card });
    try {
      await rig.clock.advance(card.readMs);
      return await read();
    } finally {
      await rig.actuate(device, 'withdrawCard', { slot: card.slot });
    }
  }
}

/**
 * How long after the vehicle stops a VU may still take it for moving, ms. Its speed is that of the last
 * completed second (Annex IC §3.6, motion/motion-state.ts): the second in progress at the stop may still hold
 * pulses, and only the one after it reads 0 km/h; 500 ms more for a real VU's second to begin anywhere and the
 * pulses' way through the bench. A card inserted before then is one inserted while driving (0x05).
 */
export const VU_SEES_STOP_MS = 2500;

/**
 * A bench reads a real VU by inserting a card, which is an event while the VU believes the vehicle moves:
 * a check right after the scenario stops the vehicle waits until the VU has seen the stop.
 */
export async function untilVuSeesStop(rig: Pick<RigAccess, 'clock' | 'world'>): Promise<void> {
  const stopped = rig.world?.vehicle.stoppedAt(rig.clock.now());
  if (stopped !== undefined && rig.clock.now() < stopped + VU_SEES_STOP_MS) await rig.clock.runUntil(stopped + VU_SEES_STOP_MS);
}

/** DDP_018: Request Upload refused, the VU's mode does not allow it. */
const NRC_UPLOAD_NOT_ACCEPTED = 0x50;
/** DDP_018: a transfer's data not available: for the overview, the session is not one for the VU's data. */
const NRC_DATA_NOT_AVAILABLE = 0xfa;

/** The session opened but the VU refused its overview (TRTP 21): no VU data in this session. */
class OverviewRefused extends DownloadError {}

/**
 * The format the rig reads a VU in: a version 2 VU's (App. 7 DDP_011, the `gen2Version` option, the
 * rig file's for a VU under test) in version 2, which alone carries its border crossings and load/unload
 * operations; every other gen2 VU in version 1.
 */
export function readFormatOf(options: Pick<VuOptions, 'gen2Version'> | undefined): 'gen2v1' | 'gen2v2' {
  return options?.gen2Version === 2 ? 'gen2v2' : 'gen2v1';
}

async function downloadAll(ide: LinkEnd, rig: RigAccess, format: 'gen2v1' | 'gen2v2' = 'gen2v1') {
  const trtp = FORMAT_TRTP[format];
  // One session, as a download key makes it: the overview, then every day it names, events, speed, technical data
  const full = await downloadThrough(ide, rig.clock, {
    ...ideSettingsOf(rig, ide), // the rig file's P-timings and retries for the IDE (its options)
    baud: DOWNLOAD_BAUD,
    format,
    transfersAfterOverview: (overview) => {
      const { minDownloadableTime, maxDownloadableTime } = (format === 'gen2v2' ? decodeTrep31(overview) : decodeTrep21(overview)).data;
      return fullDownloadRequests(minDownloadableTime, maxDownloadableTime, format);
    },
  });
  if (format === 'gen2v2') {
    // DDP_028a: a version 2 VU answers TRTP 00 with '02 02'H; a version 1 VU refuses it (NRC 12)
    const version = full.transfers.find((t) => t.trtp === TRTP.DOWNLOAD_INTERFACE_VERSION);
    const answer = version?.ok ? decodeTrep00(version.message).downloadInterfaceVersion : undefined;
    if (answer !== GEN2_V2_INTERFACE_VERSION) {
      const said = !version ? 'no answer' : version.ok ? `'${answer}'H` : `NRC ${version.nrc.toString(16).toUpperCase()}`;
      throw new DownloadError(`the VU is set as a version 2 VU (gen2Version 2) but its download interface version (TRTP 00, DDP_028a) is ${said}, not '0202'H`);
    }
  }
  const overview = full.transfers.find((t) => t.trtp === trtp.overview);
  const name = `TRTP ${trtp.overview.toString(16).toUpperCase()}`;
  if (!overview || !overview.ok) throw new OverviewRefused(`the VU refused its overview (${name}${overview && !overview.ok ? `: NRC ${overview.nrc.toString(16).toUpperCase()}` : ''})`, overview && !overview.ok ? overview.nrc : undefined);
  return full;
}

/**
 * DDP_054, CSM_233: the rig's version 2 read of an emulated VU is verified as `rig decode --verify` verifies a file,
 * against the test PKI the VU's credentials come from (its `pki.seed`), at the time the overview gives; a block
 * that does not verify fails the read. (A VU under test signs with its own ERCA's chain, which the rig does not hold.)
 */
function verifyOwnDownload(download: DownloadResult, options: VuOptions | undefined): void {
  const seed = options?.pki.seed;
  const roots = { rootCertificates: [fromHex(TestPki.of(seed === undefined ? {} : { seed }).erca.certificate)], europeanPublicKeys: [] };
  const verdict = verifyDownloadFile(dddOf(download), roots);
  if (!verdict.ok) {
    const failed = verdict.verdicts.filter((v) => v.status !== 'verified' && v.status !== 'unsigned').map((v) => `${v.block}: ${v.status}${v.reason ? ` (${v.reason})` : ''}`);
    throw new DownloadError(`the VU's version 2 download does not verify: ${[...verdict.problems, ...failed].join('; ')}`);
  }
}

/**
 * Each slot's driver card downloaded through the VU (TRTP 06, App. 7 §3.3.3: signed by the card), a session per
 * slot, decoded into card-download-records.ts's records and verified with the VU's test PKI (its roots, gen2
 * and gen1). An empty slot or another card type answers FA: no records.
 */
async function readCardsThroughDownload(ide: LinkEnd, rig: RigAccess, device: string, options: VuOptions | undefined): Promise<DeviceRecord[]> {
  const seed = options?.pki.seed;
  const roots = { gen2: [fromHex(TestPki.of(seed === undefined ? {} : { seed }).erca.certificate)], gen1: [fromHex(TestPkiG1.of(seed === undefined ? {} : { seed }).eurPublicKey)] };
  const records: DeviceRecord[] = [];
  const actor = rig.actor(device);
  for (const slot of ['driver', 'co-driver'] as const) {
    actor?.send({ type: 'vu.rigRead', on: true });
    let result: DownloadResult;
    try {
      result = await downloadThrough(ide, rig.clock, { ...ideSettingsOf(rig, ide), baud: DOWNLOAD_BAUD, transfers: [], card: slot });
    } finally {
      actor?.send({ type: 'vu.rigRead', on: false });
    }
    const file = cardFileOf(result);
    if (file) records.push(...recordsFromCardFile(file, slot, roots, rig.clock.now()));
  }
  return records;
}

/** The records of the workshop, control and company cards the emulated VU `device` has held in the run (holder-card-records.ts). */
function heldCardRecords(rig: RigAccess, device: string, recordsOf: (card: VirtualCard, transmit: CardTransmit) => DeviceRecord[]): DeviceRecord[] {
  const records: DeviceRecord[] = [];
  rig.actor(device)?.send({ type: 'vu.readHeldCards', take: (cards: { card: VirtualCard; transmit: CardTransmit }[]) => cards.forEach((c) => records.push(...recordsOf(c.card, c.transmit))) });
  return records;
}

/** Downloads switch to 115200 baud, as download keys do (App. 7 link control). */
const DOWNLOAD_BAUD = 115200;

function inProcessRecords(context: VuContext, vuNow: number): DeviceRecord[] {
  return [
    ...eventRecords(context.events, timeReal(vuNow)),
    ...timeAdjustmentRecords(context.timeAdjustments),
    ...activityRecords(context.activities, vuNow),
    ...accumulatedDrivingRecords(context.accumulatedDrivingMarks),
    ...cardInsertionRecords(context.slots.iw),
    identificationRecord(context.options),
    ...sensorPairingRecords(context.sensorPairings),
    ...calibrationRecords(context.calibrations),
    ...calibrationErrorRecords(context.calibrationErrors),
    ...gnssCouplingRecords(context.gnssCouplings),
    ...placeRecords(context.places.records),
    ...placeRefusalRecords(context.places.refusals),
    ...specificConditionRecords(context.specificConditions.records),
    ...specificConditionRefusalRecords(context.specificConditions.refusals),
    ...v2Records(context.v2Records),
  ];
}

/** The positive answers of a download, each as SID '76', TREP, data (DDP_034): the .DDD a download key would write. */
export function dddOf(download: DownloadResult): Uint8Array {
  return writeDdd(download.transfers.flatMap((t) => (t.ok ? [{ trep: t.trep, data: t.message }] : [])));
}

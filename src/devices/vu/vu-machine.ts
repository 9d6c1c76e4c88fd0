import { assign, emit, enqueueActions, fromCallback, raise, sendTo, setup, type AnyActorRef } from 'xstate';
import { afterIntegrityCheck, dataMemoryOf, integrityCheckOf, persister, restoreDataMemory, type MemoryAccessReport } from './vu-data-memory.ts';
import { everyPeriod, type RigClock } from '../../harness/clock/index.ts';
import { latchedSeconds, latchOf, startLatchedTimer, startSecondTimer, type Latched } from './sampling/latched-seconds.ts';
import { routedChildLines } from './child-lines.ts';
import { quietRun } from './sampling/quiet-second.ts';
import type { PortBaudEmitted, PortRefusedEmitted, PortTxEmitted } from '../../harness/devices/device-kind.ts';
import { createRng, type Rng } from '../../crypto/random.ts';
import type { VirtualCard } from '../cards/card.ts';
import {
  cardInserted,
  cardWithdrawn,
  createActivityState,
  selectActivity,
  settled,
  takeAccumulatedDrivingMarks,
  tick,
  vehicleMoving,
  vehicleStopped,
  type AccumulatedDrivingMark,
  type ActivityState,
  type ManualActivity,
} from './activities/index.ts';
import { cardFaultAtWithdrawal, cardWriteFailed, checkSlotFree, createCardSlots, currentMode, insertCard, modeCard, slotCards, updateConditions, withdrawCard, type CardSlotsState, type Slot } from './cards/card-slots.ts';
import { beginSpan, createEventMemory, endSpan, type EventMemory } from './data-memory/event-store.ts';
import { createDetailedSpeed, recordSecond, type DetailedSpeedState } from './motion/detailed-speed.ts';
import { closeSecond, countPulses, createMotionState, moving, odometerKm, type MotionState } from './motion/motion-state.ts';
import { countLine, createPulseInput, lineCut, observeLine, pauseCounting, PULSE_INPUT_LATENCY_MS, resumeCounting, takeLine, type PulseInput, type PulseLineItem } from './motion/pulse-line.ts';
import { createOverSpeeding, sampleSpeed, type OverSpeedingState } from './motion/over-speeding.ts';
import { createMotionConflict, noteGnssSpeed, type MotionConflictState } from './motion/motion-conflict.ts';
import { checkGnssDistanceAt, checkMotionConflict } from './motion/motion-conflict-vu.ts';
import type { TimeAdjustmentRecord } from './time/time-adjustment.ts';
import { createVuClock, setDrift, setVuTime, timeReal, vuTime, type VuClock } from './time/vu-clock.ts';
import type { VuOptions } from './vu-options.ts';
import { initialCalibration, type CalibrationChange, type CalibrationParameters, type VuCalibrationRecord } from './calibration/calibration.ts';
import type { CalibrationError } from './calibration/calibration-access.ts';
import { calibrateVu } from './calibration/vu-calibration.ts';
import { createSensorLinkMachine } from './sensor-link/machine.ts';
import type { SensorLinkReport, SensorPairedRecordData, SensorSession } from './sensor-link/types.ts';
import { sensorLinkInput } from './sensor/link-input.ts';
import { createSensorWatch, watchResumed, type SensorWatch } from './sensor/sensor-watch.ts';
import { isWatchedReport, keepPairing, notePairingFailure, pairingCommand, watchReport, watchSpeedJump } from './sensor/vu-sensor.ts';
import type { DownloadSigner } from '../../protocols/app7-records/index.ts';
import type { G1DownloadSigner } from '../../protocols/app7-records-g1/index.ts';
import { vuDownloadProvider, type CardDownloadAccess } from './download-provider.ts';
import { vuMaCredentials, vuSigner, vuSignerG1 } from './vu-credentials.ts';
import { createGnssLinkMachine, type GnssLinkReport } from './gnss-link/index.ts';
import { calibrationAccess } from './calibration/calibration-access.ts';
import { createDownloadServerMachine } from './download/machine.ts';
import { answerFetch, downloadServerTiming, type DownloadServerReport } from './download/types.ts';
import { createVuGnssState, gnssAccumulatedDrivingRecord, gnssPlace, internalReceiverReading, onGnssReport, type InternalReceiverReport, type VuGnssReport, type VuGnssState } from './gnss/index.ts';
import { noteCouplingFailure } from './gnss/coupling-failure.ts';
import type { VuDownloadActivity, VuGnssAd } from '../../protocols/app7-records/index.ts';
import { keepAdjustment } from './time/time-adjustment.ts';
import type { World } from '../../harness/world/index.ts';
import type { Mode } from './modes/mode-of-operation.ts';
import { recordSupplyInterruption } from './power/supply-interruption.ts';
import { writeFileSync } from 'node:fs';
import { damagePart } from './data-memory/damage.ts';
import { DataMemoryFileError, decodeDataMemory, encodeDataMemory, readDataMemoryBytesSync } from './data-memory/persistence.ts';
import { recordDetection, type VuDetectionCode } from './security/security-breach.ts';
import { onMemoryAccessCheck } from './self-test/internal-fault.ts';
import { vuStorageKey } from './vu-storage-key.ts';
import { createPlaces, enterPlace, type PlaceEntry, type PlacesState } from './places/index.ts';
import { createV2Records, crossBorder, enterLoadUnload, type OperationName, type V2RecordsState } from './v2-records/v2-records.ts';
import { afterDrivingMinutes, createSpecificConditions, enterSpecificCondition, onDriverCard, type SpecificConditionName, type SpecificConditionsState } from './specific-conditions/index.ts';
import { countOverSpeeding, createOverSpeedingControl, type ControlActivityRecord, type OverSpeedingControlData } from './modes/control-activities.ts';
import type { VuCompanyLockRecord } from './modes/company-locks.ts';
import { companyLockMenu, type LockAction } from './cards/company-lock-menu.ts';
import { authenticateCard, cardDeviceFor, closeCardSessionOf, updateCardOf } from './cards/card-authentication.ts';
import { insertionRead, sessionWrite, withCardHistory } from './cards/card-updates.ts';
import { calibrationWrite, companyDownloadWrite, companyLockWrite, controlActivityWrites, type CardWrite } from './cards/card-holder-updates.ts';
import type { CardEmulator } from '../cards/emulator/card-emulator.ts';
import { cardIdentityKey } from '../cards/emulator/card-memory.ts';
import { cardPkiSeed } from '../cards/card-credentials.ts';
import { cardPlaced, cardRemoved, cardRestored, checkCardFree, sharedCardDevice } from './cards/rig-cards.ts';
import { afterTransfer, noteFetch, openDownloadSession, type DownloadSession } from './download/session.ts';
// Issue 16: the remote communication function (App. 14)
import { afterRestart, createVuDsrcState, dsrcDue, dsrcNoAnswer, dsrcReceive, type DsrcStep, type VuDsrcState } from './dsrc/remote-communication.ts';
import { rtmPayloadOf } from './dsrc/rtm-payload.ts';
import { vuDsrcKeys } from './vu-credentials.ts';

/**
 * The vehicle unit. XState handles its lifecycle (powered or not, the one-second sampling timer on the rig
 * clock); pure modules hold the rules (motion, over speeding, detailed speed, events and their retention),
 * and the context is plain data: the VU's data memory, which persists as JSON.
 */
export interface VuContext {
  options: VuOptions;
  clock: VuClock;
  motion: MotionState;
  overSpeeding: OverSpeedingState;
  /** The over-speeding event on-going, if any (its id in the event memory). */
  overSpeedingEvent: number | null;
  /** Sensor speed against GNSS speed (Annex IC 84, GNS_42), and the 0x0A on-going, if any (its id in the event memory). */
  motionConflict: MotionConflictState;
  motionConflictEvent: number | null;
  detailedSpeed: DetailedSpeedState;
  events: EventMemory;
  timeAdjustments: TimeAdjustmentRecord[];
  /** Rig time the supply was lost, while it is lost. */
  supplyLostAt: number | null;
  /** The mode of operation when the supply was lost, while it is lost (Annex IC 79). */
  supplyLostMode: Mode | null;
  slots: CardSlotsState;
  /** The driver-activity function (Annex IC §3.4) and the daily activity records. */
  activities: ActivityState;
  /** Each multiple of three hours of accumulated driving (Annex IC 108; the GNSS position joins it later). */
  accumulatedDrivingMarks: AccumulatedDrivingMark[];
  /** Bytes of a pulse frame not yet complete. */
  pulseBytes: number[];
  /** The pulse line's signal as last heard, and how far it is counted (issue 18, motion/pulse-line.ts). */
  pulseInput: PulseInput;
  /** The parameters of the last calibration (Annex IC 119); the options' `calibration` until the first. */
  calibration: CalibrationParameters;
  /** Every calibration, oldest first (App. 1 VuCalibrationRecord). */
  calibrations: VuCalibrationRecord[];
  /** Every motion sensor pairing, oldest first (App. 1 VuSensorPairedRecord). */
  sensorPairings: SensorPairedRecordData[];
  /** The pairing in force (Ns, KS, KM version): kept so the VU talks to its sensor again after a restart. */
  sensorSession: SensorSession | null;
  /** The counter check and the sensor conditions on-going (0x09, 0x11, 0x13, 0x35). */
  sensorWatch: SensorWatch;
  /** Messages to the workshop card holder: calibration functions refused or pairings aborted (CSM_217 step 2). */
  calibrationErrors: CalibrationError[];
  /**
   * The odometer at 00:00 (VU time, UTC) of each day the VU ran (App. 1 OdometerValueMidnight, TREP 22), oldest
   * first; the first day's is the odometer when the VU started keeping data.
   */
  midnightOdometers: { day: number; km: number }[];
  /** The GNSS functions' state (App. 12, Annex IC 86, req. 211): last position, lockouts, conditions. */
  gnss: VuGnssState;
  /** App. 1 VuGNSSADRecord: where accumulated driving reached each multiple of 3 hours (Annex IC 108). */
  gnssAdRecords: VuGnssAd[];
  /** CSM_207: the coupled EGF's EGF_MA certificate (DER hex), kept for normal operation after a restart. */
  egfCertificate: string | null;
  /** The internal GNSS receiver's hardware has failed (stimulus `gnssReceiverFault`): found at each read (0x36). */
  gnssReceiverFaulty: boolean;
  /** Every EGF coupling, oldest first (App. 1 SensorExternalGNSSCoupledRecord). */
  gnssCouplings: { egfSerialNumber: string; couplingDate: number; workshopCardNumber: string }[];
  /** Annex IC 129: the last download in company or calibration mode (TREP 21 VuDownloadActivityData). */
  lastDownload: VuDownloadActivity | null;
  /** Annex IC 108, 110: places where daily work periods begin and end, and the entries the VU refused. */
  places: PlacesState;
  /** Annex IC 62, 130: OUT OF SCOPE and FERRY / TRAIN CROSSING entries, which are open, and the entries refused (specific-conditions/). */
  specificConditions: SpecificConditionsState;
  /** Gen2 v2 (Annex IC 62a, 133a): load/unload operations and border crossings, for version 2 cards (v2-records/). */
  v2Records: V2RecordsState;
  /** The 0x31 VU internal fault on-going (data memory access self-test, Annex IC 89), if any (its id in the event memory). */
  internalFaultEvent: number | null;
  // --- Downloads, controls and company locks (issue 11: download/session.ts, modes/control-activities.ts) ---
  /** Annex IC 117 note (1), App. 1 VuOverSpeedingControlData: every over speeding since the last over speeding control. */
  overSpeedingControl: OverSpeedingControlData;
  /** Annex IC 126: the 20 most recent control activities (TREP 21 VuControlActivityRecord). */
  controlActivities: ControlActivityRecord[];
  /** Annex IC 128: the 255 most recent company locks (TREP 21 VuCompanyLocksRecord). */
  companyLocks: VuCompanyLockRecord[];
  /** The download session in progress, if any. */
  downloadSession: DownloadSession | null;
  /** The download interface is broken (the `downloadInterfaceFault` stimulus): the downloading self-test fails. */
  downloadInterfaceFault: boolean;
  /** The '34'H downloading fault on-going, if any (its id in the event memory). */
  downloadFaultEvent: number | null;
  /** MIG_015: the menu selection of downloads in the generation 1 format (the `gen1Download` stimulus); not kept by the data memory. */
  gen1DownloadSelected: boolean;
  /** App. 14 (issue 16): the remote communication function's link, counter and open 0x0C / 0x38. */
  dsrc: VuDsrcState;
}

export type VuEvent =
  | { type: 'port.rx'; port: string; bytes: Uint8Array; at?: number; toleranceMs?: number }
  /** The pulse line cut or restored (the port's lineEvents). */
  | { type: 'port.line'; port: string; connected: boolean }
  /** The one-second sample's timer (its own ticker, not a stimulus). */
  | { type: 'vu.second' }
  | { type: 'vu.supply'; on: boolean }
  | { type: 'vu.skewClock'; seconds: number }
  | { type: 'vu.setDrift'; ppm: number }
  | { type: 'vu.insertCard'; slot: Slot; card: VirtualCard; pin?: string }
  | { type: 'vu.withdrawCard'; slot: Slot }
  /** Issue 15: a card pulled out of its slot while the VU has no supply (the VU sees it gone at power-up). */
  | { type: 'vu.pullCard'; slot: Slot }
  | { type: 'vu.selectActivity'; slot: Slot; activity: ManualActivity }
  | { type: 'vu.enterPlace'; slot: Slot; entry: PlaceEntry }
  /** Annex IC 62: the driver enters a specific condition through the menu. */
  | { type: 'vu.specificCondition'; condition: SpecificConditionName }
  /** Annex IC 62a: the driver enters a load/unload operation; 133a: the vehicle enters a country (NationNumeric). */
  | { type: 'vu.loadUnload'; operation: OperationName }
  | { type: 'vu.borderCrossing'; country: number }
  | { type: 'vu.pairSensor' }
  | { type: 'vu.calibrate'; change: CalibrationChange }
  /** What the sensor-link child reports. */
  | SensorLinkReport
  /** What the download server child reports. */
  | DownloadServerReport
  | { type: 'vu.coupleGnss' }
  /** The internal receiver's reading of the sky (none without a world), taken every GNSS request period (GNS_34). */
  | { type: 'vu.gnssRead'; reading: InternalReceiverReport | undefined }
  /** The internal GNSS receiver fails (on) or works again. */
  | { type: 'vu.gnssReceiverFault'; on: boolean }
  /** What the EGF link child reports. */
  | GnssLinkReport
  /** The VU's own hardware detections (0x16, 0x17, 0x18; Annex IC 85). */
  | { type: 'vu.securityDetection'; code: VuDetectionCode }
  /** Damage to the stored data memory while the supply is cut (found at power-up: 0x15). */
  | { type: 'vu.damageDataMemory'; part: string }
  /** The data memory stops (on) or starts again (off) answering the VU's writes (0x31). */
  | { type: 'vu.dataMemoryFault'; on: boolean }
  /** The persister's data memory access self-test (Annex IC 89). */
  | MemoryAccessReport
  /** The company card holder locks in or out (Annex IC 63-68). */
  | { type: 'vu.companyLock'; action: LockAction }
  /**
   * Issue 15, the rig's record reader (holder-card-records.ts): `take` gets each card this VU has held in the
   * run, with its APDU port, as the card is now (what the VU wrote on it). Not a VU function: nothing changes.
   */
  | { type: 'vu.readHeldCards'; take: (cards: { card: VirtualCard; transmit: (command: Uint8Array) => Uint8Array }[]) => void }
  /** Issue 15: the card in a slot starts or stops failing its writes ('6581'; Annex IC 149). */
  | { type: 'vu.cardWriteFailure'; slot: Slot; on: boolean }
  /** The download interface breaks down or is repaired (found by the downloading self-test, Annex IC 89). */
  | { type: 'vu.downloadInterfaceFault'; faulty: boolean }
  /** MIG_015: the menu command selecting (on) or leaving (off) downloads in the generation 1 format. */
  | { type: 'vu.selectGen1Download'; on: boolean }
  /** The rig's record reader starts or ends reading this emulated VU (download/access.ts): not a stimulus. */
  | { type: 'vu.rigRead'; on: boolean }
  /** App. 14 DSC_12: an RtmData update is due (its own ticker); the DSRC-VU answered what the VU waited for. */
  | { type: 'vu.dsrcDue' }
  | { type: 'vu.dsrcAnswered' };

/** Splits pulse-line bytes into pulse counts; supplied by the motion sensor's protocol. */
export type PulseDecoder = (held: readonly number[], bytes: Uint8Array) => { pulses: number; held: number[]; line?: PulseLineItem[] };

const DAY_MS = 86_400_000;

/** A power cut this long or shorter is not an interruption (Annex IC 79: "exceeding 200 milliseconds"). */
export { POWER_INTERRUPTION_MIN_MS } from './power/supply-interruption.ts';

/**
 * `rng` feeds the sensor link (session keys, challenges); the rig passes the device's seeded stream. `name` is the
 * device's name in the rig: where a card the rig's VUs share is (cards/rig-cards.ts CardPlace).
 */
export function createVuMachine(rig: RigClock, options: VuOptions, decodePulses: PulseDecoder, rng: Rng = createRng(0, 'vu'), world?: World, name = 'vu') {
  const now = () => rig.now();
  // The data memory's integrity (0x15): parts checked under the VU's storage key (vu-data-memory.ts). Restored
  // here, not in the context factory, so a file that is not a data memory stops the rig with the reason before it runs.
  const storageKey = vuStorageKey(options);
  const restored = restoreDataMemory(options.dataMemoryFile, storageKey);
  // Without a file, the non-volatile copy the VU writes as its supply goes and checks at power-up.
  let storedImage: Buffer | undefined;
  const vuNowReal = (clock: VuClock) => timeReal(vuTime(clock, now()));
  // The VU_Sign credentials, issued once per VU on first use (the test PKI caches per seed).
  let signing: DownloadSigner | undefined;
  const signer = () => (signing ??= vuSigner(options));
  // The gen1 key and certificates, for downloads in the generation 1 format (MIG_015), issued on first use.
  let signingG1: G1DownloadSigner | undefined;
  const signerG1 = () => (signingG1 ??= vuSignerG1(options));
  // The VU clock as of the last action that set it: the EGF link reads it (it cannot read the context).
  let latestClock: VuClock = restored?.memory.clock ?? createVuClock(now(), options.clock.offsetMs, options.clock.driftPpm);
  // Whether the rig's record reader is reading (download/access.ts): set around its sessions, never persisted.
  let rigRead = false;
  // The VU's ephemeral keys for card authentication (CSM_164)
  const cardRng = rng.fork('card-authentication');
  let dsrcKeyMaterial: ReturnType<typeof vuDsrcKeys> | undefined;
  // The cards this VU has seen, as APDU devices (cards/emulator/), by identity: a card re-inserted keeps its
  // memory (PIN counter, what the VU wrote) and its random stream for the rest of the run. A card with a
  // memoryFile is read from it at each insertion: another VU may have written it since.
  const cardDevices = new Map<string, CardEmulator>();
  // Issue 15: the slots whose card was pulled while the VU had no supply; the VU finds them empty at power-up
  const pulledSlots = new Set<Slot>();
  const cardDevice = (card: VirtualCard) => {
    if (card.memoryFile) return cardDeviceFor(card, options.pki.seed);
    // Issue 15: a shared card is one device for every VU of the rig (cards/rig-cards.ts)
    if (card.shared) return sharedCardDevice(rig, card, cardPkiSeed(card, options.pki.seed), () => cardDeviceFor(card, options.pki.seed));
    const key = cardIdentityKey(card);
    let device = cardDevices.get(key);
    if (!device || device.card !== card) cardDevices.set(key, (device = cardDeviceFor(card, options.pki.seed)));
    return device;
  };
  // Annex IC 146 (issue 15): before a card download (TRTP 06) the VU stores on the card what it recorded of its
  // session so far; Annex IC 149: a write of it (or of LastCardDownload after it, DDP_051) still refused after
  // three retries makes the card faulty and non-valid (0x40): `failed` collects them for answerDownload
  const cardDownloadAccess = (context: VuContext, failed: { card: VirtualCard; detail: string }[]): CardDownloadAccess => ({
    open: (card) => {
      const device = cardDevice(card);
      const slot = (['driver', 'co-driver'] as const).find((s) => context.slots[s]?.card === card);
      const secured = slot ? sessionWrite(context, slot, now(), false) : undefined;
      const stored = secured ? updateCardOf(card, { pkiSeed: options.pki.seed, at: vuTime(context.clock, now()), rng: cardRng, credentials: vuMaCredentials(options), secured }, device) : undefined;
      if (stored && !stored.ok && stored.failure === 'write') {
        failed.push({ card, detail: stored.detail });
        return { writeFailed: stored.detail };
      }
      return (bytes: Uint8Array) => device.transmit(bytes);
    },
    writeFailed: (card, detail) => failed.push({ card, detail }),
  });
  const cardFaultsOf = (context: VuContext, failed: readonly { card: VirtualCard }[]): Partial<VuContext> => {
    let { slots, events } = context;
    for (const { card } of failed) {
      const slot = (['driver', 'co-driver'] as const).find((s) => slots[s]?.card === card);
      if (slot) ({ slots, events } = cardWriteFailed(slots, slot, { ...cardChange(context, now()), events }));
    }
    return { slots, events };
  };

  // Issue 15 (cards/card-holder-updates.ts): the VU's writes on control, company and workshop cards (and a
  // control on the driver card), each under a fresh mutual authentication; a write the card still refuses after
  // three retries makes it faulty and non-valid (Annex IC 149: 0x40)
  const runCardWrites = (context: VuContext, writes: readonly CardWrite[], patch: Partial<VuContext> = {}): Partial<VuContext> => {
    let slots = patch.slots ?? context.slots;
    let events = patch.events ?? context.events;
    for (const write of writes) {
      if (!slots[write.slot]?.valid || slots[write.slot]?.card !== write.card) continue;
      const change = { ...cardChange(context, now()), events };
      const result = updateCardOf(write.card, { pkiSeed: options.pki.seed, at: change.at, rng: cardRng, credentials: vuMaCredentials(options), secured: write.secured }, cardDevice(write.card));
      if (!result.ok && result.failure === 'write') ({ slots, events } = cardWriteFailed(slots, write.slot, change));
    }
    return { ...patch, slots, events };
  };

  const machine = setup({
    types: { context: {} as VuContext, events: {} as VuEvent, emitted: {} as PortTxEmitted | PortBaudEmitted | PortRefusedEmitted },
    actors: {
      persister,
      // The one-second sample as a plain rig-clock timer: XState's delayed self-transition re-entered the
      // state every second, a fifth of a parked VU's cost in exits, entries and rescheduling. The next
      // second is armed after the sample, as the re-entry did, so ties at an instant order the same; on a
      // wall clock at whole seconds from the start, so a late firing does not make the seconds drift.
      // Issue 18: on the virtual clock the seconds rung are latched and sampled in one event when anything
      // can look at them (sampling/latched-seconds.ts).
      secondTicker: fromCallback(({ sendBack, input }: { sendBack: (e: VuEvent) => void; input: { vu: AnyActorRef } }) => startSecondTimer(rig, input.vu, () => sendBack({ type: 'vu.second' }))),
      // GNS_34: the internal receiver read every request period, its reading made from the world at that instant;
      // issue 18: on the virtual clock latched with the seconds, like them (sampling/latched-seconds.ts)
      gnssReceiver: fromCallback(({ sendBack, input }: { sendBack: (e: VuEvent) => void; input: { vu: AnyActorRef } }) =>
        startLatchedTimer(rig, input.vu, options.gnss.requestPeriodMs, (at) => ({ type: 'vu.gnssRead', reading: world ? internalReceiverReading(world, at) : undefined }), (e) => sendBack(e as VuEvent)),
      ),
      sensorLink: createSensorLinkMachine({ rng: rng.fork('sensor-link') }),
      download: createDownloadServerMachine({ now }),
      // CSM_160: the link judges certificates on the VU's own time
      gnssLink: createGnssLinkMachine({ rng: rng.fork('gnss-link'), now: () => vuTime(latestClock, now()) }),
      // DSC_12: the RtmData update every 60 s, on the rig clock
      dsrcTicker: fromCallback(({ sendBack }) => everyPeriod(rig, options.dsrc.periodMs, () => sendBack({ type: 'vu.dsrcDue' }))),
    },
    delays: { persistPeriod: options.persistEveryMinutes * 60_000, dsrcAnswerTimeout: options.dsrc.answerTimeoutMs },
    guards: {
      onPulseLine: ({ event }) => event.type === 'port.rx' && event.port === 'pulses',
      onSensorLine: ({ event }) => event.type === 'port.rx' && event.port === 'sensor',
      onDownloadLine: ({ event }) => event.type === 'port.rx' && event.port === 'download',
      onGnssLine: ({ event }) => event.type === 'port.rx' && event.port === 'gnss',
      onDsrcLine: ({ event }) => event.type === 'port.rx' && event.port === 'dsrc',
    },
    actions: {
      // --- Issue 16: the remote communication function (dsrc/remote-communication.ts) ---
      dsrcRestart: assign({ dsrc: ({ context }) => afterRestart(context.dsrc) }),
      dsrcSend: enqueueActions(({ context, enqueue }) => {
        const vuNow = vuNowReal(context.clock);
        const r = dsrcDue(context.dsrc, { now: vuNow, cards: slotCards(context.slots), events: context.events }, () => rtmPayloadOf(context, vuNow), dsrcKeys());
        applyDsrcStep(r, enqueue);
      }),
      dsrcReceive: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'port.rx') return;
        const r = dsrcReceive(context.dsrc, { now: vuNowReal(context.clock), cards: slotCards(context.slots), events: context.events }, event.bytes);
        applyDsrcStep(r, enqueue);
      }),
      dsrcNoAnswer: assign(({ context }) => {
        const r = dsrcNoAnswer(context.dsrc, { now: vuNowReal(context.clock), cards: slotCards(context.slots), events: context.events });
        return { dsrc: r.state, events: r.events };
      }),
      takePulses: assign(({ context, event }) => (event.type === 'port.rx' ? takePulseFrame(context, event.bytes, now(), decodePulses) : {})),
      // Issue 18: the pulses of the line's signal up to now, in closed form, before each one-second sample
      countPulseLine: assign(({ context }) => {
        const r = countLine(context.pulseInput, now() - PULSE_INPUT_LATENCY_MS);
        return r.pulses > 0 ? { motion: countPulses(context.motion, r.pulses), pulseInput: r.input } : { pulseInput: r.input };
      }),
      cutPulseLine: assign(({ context, event }) => {
        if (event.type !== 'port.line' || event.port !== 'pulses' || event.connected) return {};
        const r = lineCut(context.pulseInput, now() - PULSE_INPUT_LATENCY_MS);
        return { motion: countPulses(context.motion, r.pulses), pulseInput: r.input };
      }),
      // Without supply: the signal seen, nothing counted (motion/pulse-line.ts)
      observePulseLine: assign(({ context, event }) => {
        if (event.type === 'port.line') return event.port === 'pulses' && !event.connected ? { pulseInput: observeLine(context.pulseInput, { damaged: true }) } : {};
        if (event.type !== 'port.rx') return {};
        const { held, line = [] } = decodePulses(context.pulseBytes, event.bytes);
        return { pulseBytes: held, pulseInput: line.reduce(observeLine, context.pulseInput) };
      }),
      pausePulseCount: assign(({ context }) => ({ pulseInput: pauseCounting(context.pulseInput) })),
      resumePulseCount: assign(({ context }) => ({ pulseInput: resumeCounting(context.pulseInput, now() - PULSE_INPUT_LATENCY_MS) })),
      // Issue 18: every second rung since the last sample, each at its own instant (sampling/latched-seconds.ts)
      // (and the events latched between them, each at its instant: the sensor link's reports, the internal receiver's reads)
      sampleLatchedSeconds: assign(({ context, self }) => {
        const taken = latchOf(self).take();
        const sampled = sampleSeconds(context, taken, decodePulses);
        // as keepClock after each read (the last read's clock: nothing else in a sample sets it)
        if (taken.some((item) => typeof item !== 'number' && item.event.type === 'vu.gnssRead')) latestClock = sampled.clock;
        return sampled;
      }),
      // App. 12 / GNS_34: an internal receiver is read like an EGF record 01..06, through the same NMEA checks
      toGnssLink: sendTo('gnssLink', ({ event }) => ({ type: 'gnss.rx' as const, bytes: event.type === 'port.rx' ? event.bytes : new Uint8Array(0) })),
      onGnssPort: emit(({ event }) => ({ type: 'port.tx' as const, port: 'gnss', bytes: event.type === 'gnss.tx' ? event.bytes : new Uint8Array(0) })),
      // CSM_202: coupling only in calibration mode, by the workshop card holder; the child checks the mode again
      coupleGnss: sendTo('gnssLink', ({ context }) => {
        const access = calibrationAccess(context.slots);
        return { type: 'gnss.couple' as const, workshop: { calibrationMode: access.ok, workshopCardNumber: access.ok ? access.card.cardNumber : '' } };
      }),
      keepCoupling: assign(({ context, event }) =>
        event.type === 'gnss.coupled'
          ? {
              egfCertificate: event.egfCertificate,
              gnssCouplings: [...context.gnssCouplings, { egfSerialNumber: event.egfSerialNumber, couplingDate: timeReal(vuTime(context.clock, now())), workshopCardNumber: event.workshop.workshopCardNumber }],
            }
          : {},
      ),
      // Issue 12: a coupling given up after its attempts is the workshop card holder's message.
      noteCouplingFailure: assign(({ context, event }) => (event.type === 'gnss.couplingFailed' ? noteCouplingFailure(context, event, now()) : {})),
      applyGnss: assign(({ context, event }) => applyGnssReport(context, event as VuGnssReport, now())),
      keepClock: ({ context }) => {
        latestClock = context.clock;
      },
      readInternalReceiver: assign(({ context, event }) => takeLatched(context, event, now(), decodePulses)),
      setGnssReceiverFault: assign(({ context, event }) => ({ gnssReceiverFaulty: event.type === 'vu.gnssReceiverFault' ? event.on : context.gnssReceiverFaulty })),
      // The sensor link: bytes both ways between the sensor port and the child, the child's reports to the memory.
      toSensorLink: sendTo('sensorLink', ({ event }) => ({ type: 'sensor.rx' as const, bytes: event.type === 'port.rx' ? event.bytes : new Uint8Array(0) })),
      toDownload: sendTo('download', ({ event }) => ({ type: 'download.rx' as const, bytes: event.type === 'port.rx' ? event.bytes : new Uint8Array(0), ...(event.type === 'port.rx' ? { at: event.at, toleranceMs: event.toleranceMs } : {}) })),
      // DDP_023: a request ignored without a response leaves nothing on the line; the trace shows it and why
      traceFrameError: emit(({ event }) => ({ type: 'port.refused' as const, port: 'download', code: event.type === 'download.frameError' ? event.code : '', detail: event.type === 'download.frameError' ? event.detail : '' })),
      onDownloadPort: emit(({ event }) => ({ type: 'port.tx' as const, port: 'download', bytes: event.type === 'download.tx' ? event.bytes : new Uint8Array(0) })),
      // App. 7 link control: the VU's download port changes speed with the IDE's, and back to 9600 after a session
      setDownloadBaud: emit(({ event }) => ({ type: 'port.baud' as const, port: 'download', baud: event.type === 'download.baud' ? event.baud : 9600 })),
      answerDownload: enqueueActions(({ context, event, enqueue }) => {
        const failed: { card: VirtualCard; detail: string }[] = [];
        const answer = answerFetch(vuDownloadProvider(context, now(), signer(), signerG1, cardDownloadAccess(context, failed)), event.type === 'download.fetch' ? event.request : { trtp: 0 });
        // Issue 15, Annex IC 149: a card the TRTP 06 could not write is faulty and non-valid from now on
        if (failed.length > 0) enqueue.assign(cardFaultsOf(context, failed));
        enqueue.sendTo('download', answer);
      }),
      noteDownload: assign(({ context, event }) => {
        if (event.type !== 'download.transferred') return {};
        const patch = afterTransfer(context, event, vuTime(context.clock, now()));
        // Issue 15: a control (Annex IC 126, 127) is stored on the control card and on the card controlled
        const control = patch.controlActivities?.[patch.controlActivities.length - 1];
        const card = modeCard(context.slots);
        if (control && card) return runCardWrites(context, controlActivityWrites(context, control, card), patch);
        // Issue 15: a download in company mode is stored on the company card (Annex IC 373, 379)
        const sessionTime = (patch.lastDownload ?? context.lastDownload)?.downloadingTime;
        if (card?.type !== 'company' || sessionTime === undefined || !context.downloadSession) return patch;
        const day = event.trep === 0x22 || event.trep === 0x02 ? (context.downloadSession.pendingDay ?? undefined) : undefined;
        return runCardWrites(context, companyDownloadWrite(context, card, { trep: event.trep, ...(day === undefined ? {} : { day }) }, sessionTime), patch);
      }),
      // Annex IC 12, 89: a session opens: the downloading self-test, and what the session may read
      downloadSession: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'download.session') return;
        if (event.state === 'closed') return enqueue.assign({ downloadSession: null });
        const opened = openDownloadSession(context, vuTime(context.clock, now()), rigRead);
        enqueue.assign(opened.patch);
        enqueue.sendTo('download', { type: 'download.access' as const, access: opened.access });
      }),
      noteFetch: assign(({ context, event }) => (event.type === 'download.fetch' ? noteFetch(context, event.request) : {})),
      selectGen1Download: assign({ gen1DownloadSelected: ({ context, event }) => (event.type === 'vu.selectGen1Download' ? event.on : context.gen1DownloadSelected) }),
      companyLock: assign(({ context, event }) => {
        if (event.type !== 'vu.companyLock') return {};
        const at = vuTime(context.clock, now());
        const outcome = companyLockMenu(context.slots, context.companyLocks, event.action, at);
        if (!outcome.ok) return {};
        // Issue 15: the lock-in or lock-out stored on the company card (Annex IC 373, 379)
        const card = modeCard(context.slots);
        return card ? runCardWrites(context, companyLockWrite(context, card, event.action === 'in' ? 'lock-in' : 'lock-out', at), { companyLocks: outcome.locks }) : { companyLocks: outcome.locks };
      }),
      readHeldCards: ({ event }) => {
        if (event.type !== 'vu.readHeldCards') return;
        event.take([...cardDevices.values()].map((device) => ({ card: device.card, transmit: (bytes: Uint8Array) => device.transmit(bytes) })));
      },
      // Issue 15: kept in the card's memory, so a card with a memoryFile (a new device at each use) keeps it too
      cardWriteFailure: ({ context, event }) => {
        if (event.type !== 'vu.cardWriteFailure') return;
        const held = context.slots[event.slot];
        if (!held) throw new Error(`cardWriteFailure: the ${event.slot} slot holds no card`);
        cardDevice(held.card).failWrites(event.on);
      },
      setDownloadInterfaceFault: assign({ downloadInterfaceFault: ({ context, event }) => (event.type === 'vu.downloadInterfaceFault' ? event.faulty : context.downloadInterfaceFault) }),
      setRigRead: ({ event }) => {
        if (event.type === 'vu.rigRead') rigRead = event.on;
      },
      onSensorPort: emit(({ event }) => ({ type: 'port.tx' as const, port: 'sensor', bytes: event.type === 'sensor.tx' ? event.bytes : new Uint8Array(0) })),
      watchSensor: assign(({ context, event }) => (isWatchedReport(event) ? watchReport(context, event, now()) : {})),
      keepPairing: assign(({ context, event }) => (event.type === 'sensor.paired' ? keepPairing(context, event, now()) : {})),
      notePairingFailure: assign(({ context, event }) => (event.type === 'sensor.pairingFailed' ? notePairingFailure(context, event, now()) : {})),
      // CSM_217 step 1: in calibration mode, the workshop card's KM-WC go to the child, which pairs.
      pairSensor: enqueueActions(({ context, enqueue }) => {
        const r = pairingCommand(context, now());
        if (r.ok) enqueue.sendTo('sensorLink', r.command);
        else enqueue.assign(r.refused);
      }),
      calibrate: assign(({ context, event }) => {
        if (event.type !== 'vu.calibrate') return {};
        const patch = calibrateVu(context, event.change, now());
        // Issue 15: the calibration stored on the workshop card (Annex IC 313-317)
        const record = patch.calibrations?.[patch.calibrations.length - 1];
        const card = modeCard(context.slots);
        return record && card?.type === 'workshop' ? runCardWrites(context, calibrationWrite(context, card, record), patch) : patch;
      }),
      resumeSensorWatch: assign({ sensorWatch: ({ context }) => watchResumed(context.sensorWatch) }),
      noteSupplyLost: assign({ supplyLostAt: () => now(), supplyLostMode: ({ context }) => currentMode(context.slots) }),
      // Annex IC 79 power supply interruption (0x08), not in calibration or control mode (power/supply-interruption.ts):
      // recorded at power-up, from the VU's clock, which runs on.
      recordSupplyInterruption: assign(({ context }) => {
        const lostAt = context.supplyLostAt;
        if (lostAt === null) return { supplyLostAt: null, supplyLostMode: null };
        const cut = {
          lostAtRig: lostAt,
          backAtRig: now(),
          modeAtCut: context.supplyLostMode ?? currentMode(context.slots),
          modeAtReturn: currentMode(withoutPulledCards(context.slots)),
          begin: timeReal(vuTime(context.clock, lostAt)),
          end: vuNowReal(context.clock),
          cards: slotCards(context.slots),
          // a card pulled during the cut is no longer there at the return (issue 15)
          cardsAtReturn: slotCards(withoutPulledCards(context.slots)),
        };
        return { supplyLostAt: null, supplyLostMode: null, events: recordSupplyInterruption(context.events, cut) };
      }),
      insertCard: assign(({ context, event }) => {
        if (event.type !== 'vu.insertCard') return {};
        // Annex IC 19: a slot holding a card takes no other (refused before authentication touches the card)
        checkSlotFree(context.slots, event.slot, event.card);
        // Issue 15: one physical card (shared, or a memoryFile) is in one slot of the rig at a time (cards/rig-cards.ts)
        const place = { vu: name, slot: event.slot };
        checkCardFree(rig, event.card, cardPkiSeed(event.card, options.pki.seed), place);
        const change = cardChange(context, now());
        // App. 11 part B: the card's certificate chain, chip authentication and a secured read (cards/card-authentication.ts)
        // Annex IC 145: once authenticated, the card session data is set (cards/card-session.ts); one left open is 0x06
        const cardSession = { open: { at: change.at, vehicleRegistrationNation: context.calibration.registrationNation, vehicleRegistrationNumber: context.calibration.registrationNumber } };
        // Issue 15 (cards/card-updates.ts): the card's history read at insertion, a time overlap stored on it (Annex IC 74)
        const read = insertionRead(event.card, context, change.at);
        const authentication = authenticateCard(event.card, { pkiSeed: options.pki.seed, at: change.at, rng: cardRng, credentials: vuMaCredentials(options), cardSession, secured: read.secured, ...(event.pin === undefined ? {} : { pin: event.pin }) }, cardDevice(event.card));
        const inserted_ = insertCard(context.slots, event.slot, event.card, change, { authentication });
        const { events } = inserted_;
        const slots = withCardHistory(inserted_.slots, event.slot, read.histories());
        const inserted = slots[event.slot]!;
        // Annex IC 105: the activity records note the card status of driver and workshop cards only
        const counts = inserted.valid && (inserted.card.type === 'driver' || inserted.card.type === 'workshop');
        const activities = counts ? cardInserted(context.activities, event.slot, change.at, inserted.card.type as 'driver' | 'workshop') : context.activities;
        cardPlaced(rig, event.card, cardPkiSeed(event.card, options.pki.seed), place);
        // Annex IC 62: a driver card inserted closes an open OUT OF SCOPE
        const specificConditions = inserted.valid && inserted.card.type === 'driver' ? onDriverCard(context.specificConditions, { withdrawal: false, slot: event.slot }, change.at) : context.specificConditions;
        return { slots, events, activities, specificConditions };
      }),
      // Issue 15: a card the data memory restored in a slot is in that slot for the rig's other VUs too (cards/rig-cards.ts)
      placeRestoredCards: ({ context }) => {
        for (const slot of ['driver', 'co-driver'] as const) {
          const held = context.slots[slot];
          if (held) cardRestored(rig, held.card, cardPkiSeed(held.card, options.pki.seed), { vu: name, slot });
        }
      },
      // The options' cardsAtStart, into the slots still empty (a restored memory may hold them already)
      insertCardsAtStart: enqueueActions(({ context, enqueue }) => {
        for (const slot of ['driver', 'co-driver'] as const) {
          const name = options.cardsAtStart[slot];
          if (name !== undefined && !context.slots[slot]) enqueue.raise({ type: 'vu.insertCard', slot, card: options.cards[name]! });
        }
      }),
      withdrawCard: assign(({ context, event }) => {
        if (event.type !== 'vu.withdrawCard') return {};
        const change = cardChange(context, now());
        // Annex IC 150: the card session data reset before the card goes (a valid card only: no session was opened on another)
        const held = context.slots[event.slot];
        // Annex IC 62: a driver card withdrawn closes an open OUT OF SCOPE (and, from the driver slot, a crossing), before the session is stored
        const specificConditions = held?.valid && held.card.type === 'driver' ? onDriverCard(context.specificConditions, { withdrawal: true, slot: event.slot }, change.at) : context.specificConditions;
        change.outOfScope = specificConditions.outOfScope;
        // Annex IC 146, 150: the session's records stored on the card first (cards/card-updates.ts), then its session data reset
        const secured = sessionWrite({ ...context, specificConditions }, event.slot, now(), true);
        const closed = held?.valid ? closeCardSessionOf(held.card, { pkiSeed: options.pki.seed, at: change.at, rng: cardRng, credentials: vuMaCredentials(options), ...(secured ? { secured } : {}) }, cardDevice(held.card)) : undefined;
        // Annex IC 149: a write still refused after three retries: the card is faulty (0x40); it goes out anyway
        if (closed && !closed.ok && closed.failure === 'write') change.events = cardFaultAtWithdrawal(context.slots, change);
        const { slots, events } = withdrawCard(context.slots, event.slot, change);
        if (held) cardRemoved(rig, held.card, cardPkiSeed(held.card, options.pki.seed), { vu: name, slot: event.slot });
        return { slots, events, activities: cardWithdrawn(context.activities, event.slot, change.at), specificConditions };
      }),
      // Issue 15: a card pulled while the VU had no supply. Annex IC 20 has the VU store the session on the card
      // before it lets the card go; without supply it could not. It learns of it at power-up, when it finds the
      // slot empty: the insertion record and the activities close at that time (a choice: the VU cannot know when
      // during the cut the card went), nothing is written to the card, whose session data stays set: at its next
      // insertion a VU finds the session not correctly closed (0x06, Annex IC 77).
      pullCard: ({ context, event }) => {
        if (event.type !== 'vu.pullCard') return;
        const held = context.slots[event.slot];
        if (!held) throw new Error(`pullCard: the ${event.slot} slot holds no card`);
        pulledSlots.add(event.slot);
        // out of the slot now, though the VU sees it only at power-up: free for another VU's slot
        cardRemoved(rig, held.card, cardPkiSeed(held.card, options.pki.seed), { vu: name, slot: event.slot });
      },
      refusePullWhilePowered: () => {
        throw new Error('pullCard takes a card out while the VU has no supply (its lock released): cut the supply first, or withdraw the card');
      },
      noticePulledCards: assign(({ context }) => {
        if (pulledSlots.size === 0) return {};
        let { slots, events, activities, specificConditions } = context;
        for (const slot of pulledSlots) {
          const change = cardChange({ ...context, slots, events }, now());
          // Annex IC 62 (a choice for a card the VU finds gone): a driver card's withdrawal closes OUT OF SCOPE
          const held = slots[slot];
          if (held?.valid && held.card.type === 'driver') specificConditions = onDriverCard(specificConditions, { withdrawal: true, slot }, change.at);
          ({ slots, events } = withdrawCard(slots, slot, change));
          activities = cardWithdrawn(activities, slot, change.at);
        }
        pulledSlots.clear();
        return { slots, events, activities, specificConditions };
      }),
      selectActivity: assign({
        activities: ({ context, event }) =>
          event.type === 'vu.selectActivity' ? selectActivity(context.activities, event.slot, event.activity, vuTime(context.clock, now())) : context.activities,
      }),
      // Annex IC 60, 108-110: the place with the time of entry, the odometer and the latest valid position
      enterPlace: assign(({ context, event }) => {
        if (event.type !== 'vu.enterPlace') return {};
        const moment = { held: context.slots[event.slot], vuNow: vuTime(context.clock, now()), odometerKm: odometerKm(context.motion, context.calibration.k), gnss: gnssPlace(context.gnss) };
        return { places: enterPlace(context.places, event.slot, event.entry, moment) };
      }),
      // Annex IC 62a, 133a (v2-records/): with the cards in the slots, the latest valid position, the odometer
      v2Record: assign(({ context, event }) => {
        if (event.type !== 'vu.loadUnload' && event.type !== 'vu.borderCrossing') return {};
        const moment = { vuNow: vuTime(context.clock, now()), cards: slotCards(context.slots), place: gnssPlace(context.gnss), odometerKm: odometerKm(context.motion, context.calibration.k) };
        if (event.type === 'vu.loadUnload') return { v2Records: enterLoadUnload(context.v2Records, event.operation, moment) };
        return { v2Records: crossBorder(context.v2Records, event.country, context.calibration.registrationNation, moment) };
      }),
      // Annex IC 62, 130: the entry with its time, or a refusal (specific-conditions/)
      enterSpecificCondition: assign(({ context, event }) => {
        if (event.type !== 'vu.specificCondition') return {};
        const vuNow = vuTime(context.clock, now());
        return { specificConditions: enterSpecificCondition(context.specificConditions, event.condition, vuNow, settled(context.activities, vuNow).accumulatedDriving.minutes) };
      }),
      // Without a data memory file nothing is written: handing the persister a copy every second is waste.
      remember: options.dataMemoryFile ? sendTo('persister', ({ context }) => ({ type: 'remember' as const, memory: dataMemoryOf(context) })) : () => {},
      flush: sendTo('persister', { type: 'flush' as const }),
      // --- The data memory's integrity (0x15), self-test (0x31) and the VU's own detections (0x16..0x18) ---
      storeImage: ({ context }) => {
        if (!options.dataMemoryFile) storedImage = encodeDataMemory(dataMemoryOf(context), storageKey);
      },
      // Annex IC 89 (data memory: data integrity), 85: at power-up the VU checks what it stored; damaged parts are reset, 0x15 recorded
      checkStoredMemory: assign(({ context }) => {
        const stored = storedMemoryBytes();
        if (!stored) return {};
        const loaded = decodeDataMemory(stored, options.dataMemoryFile ?? "the VU's stored memory", storageKey);
        const checked = afterIntegrityCheck(context, integrityCheckOf(loaded), freshContext(), now());
        // Issue 15: a card the VU no longer holds (its slots part was reset) is free for the rig's other slots
        for (const slot of ['driver', 'co-driver'] as const) {
          const held = context.slots[slot];
          if (held && checked.slots[slot]?.card.cardNumber !== held.card.cardNumber) cardRemoved(rig, held.card, cardPkiSeed(held.card, options.pki.seed), { vu: name, slot });
        }
        return checked;
      }),
      damageStoredMemory: ({ event }) => {
        if (event.type !== 'vu.damageDataMemory') return;
        if (options.dataMemoryFile) writeFileSync(options.dataMemoryFile, damagePart(readDataMemoryBytesSync(options.dataMemoryFile), event.part));
        else if (storedImage) storedImage = damagePart(storedImage, event.part);
        else throw new Error('damageDataMemory: the VU has stored no data memory yet');
      },
      refuseDamageWhilePowered: () => {
        throw new Error('damageDataMemory acts on the memory the VU checks at power-up: cut its supply first');
      },
      setMemoryFault: sendTo('persister', ({ event }) => ({ type: 'memoryFault' as const, on: event.type === 'vu.dataMemoryFault' && event.on })),
      // Annex IC 88, 89: a failed data memory access is a VU internal fault (0x31), not in calibration mode
      noteMemoryAccess: assign(({ context, event }) => {
        if (event.type !== 'vu.memoryAccess') return {};
        const check = { ok: event.ok, at: vuNowReal(context.clock), cards: slotCards(context.slots), mode: currentMode(context.slots) };
        return onMemoryAccessCheck({ events: context.events, internalFaultEvent: context.internalFaultEvent }, check);
      }),
      // Annex IC 85: the VU's own detections, not in calibration mode
      recordDetection: assign(({ context, event }) =>
        event.type === 'vu.securityDetection'
          ? { events: recordDetection(context.events, { code: event.code, at: vuNowReal(context.clock), cards: slotCards(context.slots), mode: currentMode(context.slots) }) }
          : {},
      ),
      skewClock: assign({
        clock: ({ context, event }) => (event.type === 'vu.skewClock' ? setVuTime(context.clock, now(), vuTime(context.clock, now()) + event.seconds * 1000) : context.clock),
      }),
      setDrift: assign({
        clock: ({ context, event }) => (event.type === 'vu.setDrift' ? setDrift(context.clock, now(), event.ppm) : context.clock),
      }),
    },
  }).createMachine({
    id: 'vu',
    context: (): VuContext => {
      const fresh = freshContext();
      const context: VuContext = { ...fresh, ...restored?.memory, options, pulseBytes: [], pulseInput: createPulseInput() };
      return restored ? afterIntegrityCheck(context, restored, fresh, now()) : context;
    },
    invoke: { id: 'persister', src: 'persister', input: { file: options.dataMemoryFile, key: storageKey } },
    // The memory as started is the first to save: a restart with nothing new writes the same bytes again.
    entry: ['placeRestoredCards', 'insertCardsAtStart', 'remember'],
    initial: 'powered',
    on: {
      'vu.readHeldCards': { actions: 'readHeldCards' },
      'vu.skewClock': { actions: ['skewClock', 'keepClock', 'remember'] },
      'vu.setDrift': { actions: ['setDrift', 'keepClock', 'remember'] },
      'vu.dataMemoryFault': { actions: 'setMemoryFault' },
      'vu.memoryAccess': { actions: ['noteMemoryAccess', 'remember'] },
      'vu.rigRead': { actions: 'setRigRead' },
      'vu.downloadInterfaceFault': { actions: ['setDownloadInterfaceFault', 'remember'] },
    },
    states: {
      powered: {
        // The sensor link and the download server run while the VU has supply; at power-up the sensor link
        // resumes with the pairing in force.
        invoke: [
          { id: 'sensorLink', src: 'sensorLink', input: ({ context }) => sensorLinkInput(options, context.sensorSession) },
          { id: 'download', src: 'download', input: { timing: downloadServerTiming(options.download.answerDelayMs), interfaceVersion: options.gen2Version } },
          ...(options.gnss.receiver === 'external'
            ? [{ id: 'gnssLink', src: 'gnssLink' as const, input: ({ context }: { context: VuContext }) => ({ credentials: vuMaCredentials(options), egfCertificate: context.egfCertificate, timing: { requestPeriodMs: options.gnss.requestPeriodMs } }) }]
            : []),
        ],
        on: {
          'port.rx': [
            { guard: 'onPulseLine', actions: 'takePulses' },
            // the sensor's and the EGF's bytes are routed to their children before the machine (child-lines.ts)
            { guard: 'onSensorLine', actions: 'toSensorLink' },
            { guard: 'onDownloadLine', actions: 'toDownload' },
            { guard: 'onGnssLine', actions: 'toGnssLink' },
            { guard: 'onDsrcLine', actions: ['dsrcReceive', 'remember'] },
          ],
          'gnss.tx': { actions: 'onGnssPort' },
          'gnss.coupled': { actions: ['keepCoupling', 'remember', 'flush'] },
          'gnss.authenticated': { actions: ['applyGnss', 'remember'] },
          'gnss.position': { actions: ['applyGnss', 'keepClock', 'remember'] },
          'gnss.noFix': { actions: ['applyGnss', 'remember'] },
          'gnss.noData': { actions: ['applyGnss', 'remember'] },
          'gnss.noAnswer': { actions: ['applyGnss', 'remember'] },
          'gnss.answering': { actions: ['applyGnss', 'remember'] },
          'gnss.tamper': { actions: ['applyGnss', 'remember'] },
          'gnss.authFailed': { actions: ['applyGnss', 'remember'] },
          'gnss.certificateExpired': { actions: ['applyGnss', 'remember'] },
          'gnss.facilityFault': { actions: ['applyGnss', 'remember'] },
          'gnss.couplingFailed': { actions: ['noteCouplingFailure', 'remember'] },
          'vu.gnssReceiverFault': { actions: ['setGnssReceiverFault', 'remember'] },
          'vu.coupleGnss': { actions: 'coupleGnss' },
          'download.tx': { actions: 'onDownloadPort' },
          'download.baud': { actions: 'setDownloadBaud' },
          'download.frameError': { actions: 'traceFrameError' },
          'download.fetch': { actions: ['noteFetch', 'answerDownload'] },
          'download.session': { actions: ['downloadSession', 'remember'] },
          'vu.companyLock': { actions: ['companyLock', 'remember', 'flush'] },
          'vu.cardWriteFailure': { actions: 'cardWriteFailure' },
          'vu.selectGen1Download': { actions: 'selectGen1Download' },
          'download.transferred': { actions: ['noteDownload', 'remember'] },
          'sensor.tx': { actions: 'onSensorPort' },
          'sensor.paired': { actions: ['keepPairing', 'remember'] },
          'sensor.pairingFailed': { actions: ['notePairingFailure', 'remember'] },
          'sensor.authenticated': { actions: ['countPulseLine', 'watchSensor', 'remember'] },
          'sensor.counter': { actions: ['countPulseLine', 'watchSensor', 'remember'] },
          'sensor.authFailed': { actions: ['countPulseLine', 'watchSensor', 'remember'] },
          'sensor.noAnswer': { actions: ['countPulseLine', 'watchSensor', 'remember'] },
          'sensor.linkError': { actions: ['countPulseLine', 'watchSensor', 'remember'] },
          'sensor.securityEvent': { actions: ['countPulseLine', 'watchSensor', 'remember'] },
          'vu.pairSensor': { actions: ['pairSensor', 'remember'] },
          'vu.calibrate': { actions: ['calibrate', 'remember'] },
          'vu.insertCard': { actions: ['insertCard', 'remember'] },
          'vu.withdrawCard': { actions: ['withdrawCard', 'remember', 'flush'] },
          'vu.pullCard': { actions: 'refusePullWhilePowered' },
          'vu.selectActivity': { actions: ['selectActivity', 'remember'] },
          'vu.enterPlace': { actions: ['enterPlace', 'remember'] },
          'vu.specificCondition': { actions: ['enterSpecificCondition', 'remember'] },
          'vu.loadUnload': { actions: ['v2Record', 'remember'] },
          'vu.borderCrossing': { actions: ['v2Record', 'remember'] },
          'vu.supply': { guard: ({ event }) => !event.on, target: 'unpowered', actions: ['countPulseLine', 'pausePulseCount', 'noteSupplyLost', 'remember', 'flush', 'storeImage'] },
          'port.line': { actions: 'cutPulseLine' },
          'vu.damageDataMemory': { actions: 'refuseDamageWhilePowered' },
          'vu.securityDetection': { actions: ['recordDetection', 'remember'] },
        },
        type: 'parallel',
        states: {
          sampling: { initial: 'running', states: { running: { invoke: { src: 'secondTicker', input: ({ self }) => ({ vu: self }) }, on: { 'vu.second': { actions: ['sampleLatchedSeconds', 'remember'] } } } } },
          persisting: { initial: 'waiting', states: { waiting: { after: { persistPeriod: { target: 'waiting', reenter: true, actions: 'flush' } } } } },
          // App. 14 (issue 16): at power-up the link is set up again (DSC_75, DSC_76), then a set every period;
          // each command waits its answer for answerTimeoutMs (DSC_74)
          dsrc: {
            initial: options.dsrc.installed ? 'on' : 'off',
            states: {
              off: {},
              on: {
                invoke: { src: 'dsrcTicker' },
                entry: ['dsrcRestart', raise({ type: 'vu.dsrcDue' })],
                initial: 'idle',
                states: {
                  idle: { on: { 'vu.dsrcDue': { target: 'awaiting' } } },
                  awaiting: {
                    entry: ['dsrcSend', 'remember'],
                    after: { dsrcAnswerTimeout: { target: 'idle', actions: ['dsrcNoAnswer', 'remember'] } },
                    on: { 'vu.dsrcAnswered': { target: 'idle' } },
                  },
                },
              },
            },
          },
          gnss: {
            initial: options.gnss.receiver === 'internal' ? 'internal' : 'idle',
            states: {
              idle: {},
              internal: { invoke: { src: 'gnssReceiver', input: ({ self }) => ({ vu: self }) }, on: { 'vu.gnssRead': { actions: ['readInternalReceiver', 'keepClock', 'remember'] } } },
            },
          },
        },
      },
      unpowered: {
        // Without supply the VU counts nothing: pulses arriving now are lost, as on a real unit.
        on: {
          'vu.supply': { guard: ({ event }) => event.on, target: 'powered', actions: ['checkStoredMemory', 'keepClock', 'recordSupplyInterruption', 'noticePulledCards', 'resumeSensorWatch', 'resumePulseCount', 'remember'] },
          'vu.pullCard': { actions: 'pullCard' },
          'port.rx': { guard: 'onPulseLine', actions: 'observePulseLine' },
          'port.line': { actions: 'observePulseLine' },
          'vu.damageDataMemory': { actions: 'damageStoredMemory' },
          // The case switch and the tamper sensors watch on their own supply, as the VU's clock runs on; nothing
          // moves between the VU's parts without supply, so no internal transfer can fail (0x16).
          'vu.securityDetection': { guard: ({ event }) => event.code !== 0x16, actions: ['recordDetection', 'remember'] },
        },
      },
    },
  });

  // Issue 18: the seconds latched before each event are sampled first (sampling/latched-seconds.ts); the
  // bytes of the sensor and EGF lines pass to and from their child machines without a step (child-lines.ts)
  // Issue 18, fifth part: while powered, the sensor link's reports (two a counter check) and the pulse line's
  // frames are latched with the seconds on the virtual clock, and applied in order with them (`takeLatched`),
  // instead of a step each
  const latches = (event: { type: string; port?: string }, snapshot: { value: unknown }) =>
    (isWatchedReport(event) || (event.type === 'port.rx' && event.port === 'pulses')) && typeof snapshot.value === 'object' && snapshot.value !== null && 'powered' in snapshot.value;
  return routedChildLines(latchedSeconds(machine, { type: 'vu.second' }, latches));

  /** A VU as delivered: empty data memory, clock set from the options. */
  function freshContext(): Omit<VuContext, 'options' | 'pulseBytes' | 'pulseInput'> {
    const clock = createVuClock(now(), options.clock.offsetMs, options.clock.driftPpm);
    return {
      clock,
      motion: createMotionState(options.calibration.odometerKm),
      overSpeeding: createOverSpeeding(),
      overSpeedingEvent: null,
      motionConflict: createMotionConflict(),
      motionConflictEvent: null,
      detailedSpeed: createDetailedSpeed(),
      events: createEventMemory(),
      timeAdjustments: [],
      supplyLostAt: null,
      supplyLostMode: null,
      slots: createCardSlots(),
      activities: createActivityState(vuTime(clock, now())),
      accumulatedDrivingMarks: [],
      calibration: initialCalibration(options.calibration),
      calibrations: [],
      sensorPairings: [],
      sensorSession: null,
      sensorWatch: createSensorWatch(),
      calibrationErrors: [],
      midnightOdometers: [{ day: Math.floor(vuTime(clock, now()) / DAY_MS) * DAY_MS, km: options.calibration.odometerKm }],
      gnss: createVuGnssState(options.gnss.receiver === 'internal' ? 'internal' : 'external'),
      gnssAdRecords: [],
      egfCertificate: null,
      gnssReceiverFaulty: false,
      gnssCouplings: [],
      lastDownload: null,
      places: createPlaces(),
      specificConditions: createSpecificConditions(),
      v2Records: createV2Records(),
      internalFaultEvent: null,
      overSpeedingControl: createOverSpeedingControl(),
      controlActivities: [],
      companyLocks: [],
      downloadSession: null,
      downloadInterfaceFault: false,
      downloadFaultEvent: null,
      gen1DownloadSelected: false,
      dsrc: createVuDsrcState(),
    };
  }

  /** The slots as the VU finds them at power-up: those whose card was pulled during the cut empty (issue 15). */
  function withoutPulledCards(slots: CardSlotsState): CardSlotsState {
    let seen = slots;
    for (const slot of pulledSlots) seen = { ...seen, [slot]: null };
    return seen;
  }

  /** The VU's DSRC keys and identifier (CSM_126), derived once. */
  function dsrcKeys() {
    return (dsrcKeyMaterial ??= vuDsrcKeys(options));
  }

  /** A step of the remote communication function: its state and events into the memory, its bytes onto the port. */
  function applyDsrcStep(r: DsrcStep, enqueue: { assign: (patch: Partial<VuContext>) => void; emit: (e: PortTxEmitted) => void; raise: (e: VuEvent) => void }) {
    enqueue.assign({ dsrc: r.state, events: r.events });
    for (const bytes of r.tx) enqueue.emit({ type: 'port.tx', port: 'dsrc', bytes });
    if (r.answered) enqueue.raise({ type: 'vu.dsrcAnswered' });
    if (r.sendNow) enqueue.raise({ type: 'vu.dsrcDue' });
  }

  /** What the VU stored of its memory (its file, or the copy written as the supply went); none yet: undefined. */
  function storedMemoryBytes(): Buffer | undefined {
    if (!options.dataMemoryFile) return storedImage;
    try {
      return readDataMemoryBytesSync(options.dataMemoryFile);
    } catch (error) {
      if (error instanceof DataMemoryFileError && error.problem === 'missing') return undefined;
      throw error;
    }
  }
}

/**
 * The seconds that rang and the events latched between them (rig time, oldest first: sampling/latched-seconds.ts),
 * each second sampled as its own event did (the pulse line counted up to it, the one-second sample, the
 * speed-jump watch, the motion comparison), each event applied as its handler does (`takeLatched`), parked
 * seconds as runs in closed form (sampling/quiet-second.ts): issue 18, one XState event for them all.
 * `decodePulses` reads latched pulse-line bytes.
 */
export function sampleSeconds(context: VuContext, latched: readonly Latched[], decodePulses?: PulseDecoder): VuContext {
  if (latched.length === 0) return context;
  const c: VuContext = { ...context };
  let full = true;
  for (let i = 0; i < latched.length; i++) {
    const item = latched[i]!;
    if (typeof item !== 'number') {
      const taken = takeLatched(c, item.event as VuEvent, item.at, decodePulses);
      // a report or a read changes nothing a quiet second passes over (sampling/quiet-second.ts), but a clock set
      // (a read's time adjustment, Annex IC 211): the activity function then needs the full sample
      if (taken.clock !== undefined && taken.clock !== c.clock) full = true;
      Object.assign(c, taken);
      continue;
    }
    // a run of parked seconds in closed form, with the events latched in it (sampling/quiet-second.ts); not the
    // first second of a sample (the one after an event taken by the machine)
    if (!full) {
      const run = quietRun(c, latched, i, (c, event, at) => takeLatched(c, event as VuEvent, at, decodePulses));
      if (run.end > i) {
        i = run.end - 1;
        full = run.full;
        continue;
      }
    }
    // the first second after an event that set the clock, and any other, in full
    const at = item;
    full = false;
    const line = countLine(c.pulseInput, at - PULSE_INPUT_LATENCY_MS);
    if (line.pulses > 0) c.motion = countPulses(c.motion, line.pulses);
    c.pulseInput = line.input;
    Object.assign(c, sampleOneSecond(c, at));
    // Annex IC 83: a speed jump from 0 to more than 40 km/h in a second is a 0x09 too
    Object.assign(c, watchSpeedJump(c, at));
    // Annex IC 84, GNS_42: every 10 s, the pulses' speed against the GNSS speed (0x0A vehicle motion conflict)
    Object.assign(c, checkMotionConflict(c, at));
  }
  return c;
}

/**
 * An event latched with the seconds (sampling/latched-seconds.ts), applied at the instant it came as the
 * machine's handler applies it: a sensor-link report as countPulseLine then watchSensor, a read of the internal
 * receiver as readInternalReceiver and bytes on the pulse line as takePulses (the machine's own actions for them).
 */
export function takeLatched(context: VuContext, event: VuEvent, at: number, decodePulses?: PulseDecoder): Partial<VuContext> {
  if (event.type === 'port.rx') {
    if (event.port !== 'pulses' || !decodePulses) throw new Error(`a latched port.rx on ${event.port}, without the pulse decoder`);
    return takePulseFrame(context, event.bytes, at, decodePulses);
  }
  if (event.type === 'vu.gnssRead') {
    if (!event.reading) return {};
    // Annex IC 89: the receiver found faulty at the read (the `gnssReceiverFault` stimulus) gives no reading (0x36)
    return applyGnssReport(context, context.gnssReceiverFaulty ? { type: 'gnss.receiverFault' } : event.reading, at);
  }
  if (!isWatchedReport(event)) return {};
  const line = countLine(context.pulseInput, at - PULSE_INPUT_LATENCY_MS);
  const counted: VuContext = { ...context, pulseInput: line.input, ...(line.pulses > 0 ? { motion: countPulses(context.motion, line.pulses) } : {}) };
  return { pulseInput: counted.pulseInput, motion: counted.motion, ...watchReport(counted, event, at) };
}

/** Bytes on the pulse line at rig time `rigNow`: the pulses and rate frames they complete (takePulses). */
function takePulseFrame(context: VuContext, bytes: Uint8Array, rigNow: number, decodePulses: PulseDecoder): Partial<VuContext> {
  const { pulses, held, line = [] } = decodePulses(context.pulseBytes, bytes);
  let pulseInput = context.pulseInput;
  let counted = pulses;
  for (const item of line) {
    const r = takeLine(pulseInput, item, rigNow - PULSE_INPUT_LATENCY_MS);
    pulseInput = r.input;
    counted += r.pulses;
  }
  return { motion: countPulses(context.motion, counted), pulseBytes: held, pulseInput };
}

/** One second of the VU's life: speed from the pulses counted, detailed speed, over speeding. */
export function sampleOneSecond(context: VuContext, rigNow: number): Partial<VuContext> {
  const { k, authorisedSpeedKmh } = context.calibration;
  const motion = closeSecond(context.motion, k);
  const vuNow = vuTime(context.clock, rigNow);
  const second = timeReal(vuNow) - 1; // the second that just ended
  const detailedSpeed = recordSecond(context.detailedSpeed, second, motion.speedKmh);
  const [overSpeeding, outcome] = sampleSpeed(context.overSpeeding, motion.speedKmh, authorisedSpeedKmh, vuNow);
  const cards = slotCards(context.slots);
  let { events } = context;
  let overSpeedingEvent = context.overSpeedingEvent;
  let overSpeedingControl = context.overSpeedingControl;
  // Annex IC §3.9 over speeding (0x07): on once the speed has been above the limit for more than 60 s.
  if (outcome.kind === 'began') {
    const opened = beginSpan(events, { type: 0x07, at: timeReal(outcome.begin), cards });
    events = opened.memory;
    overSpeedingEvent = opened.id;
    // Annex IC 117 note (1): every over speeding counts since the last control, kept or not by the storing rules
    overSpeedingControl = countOverSpeeding(overSpeedingControl, timeReal(outcome.begin));
  } else if (outcome.kind === 'ended' && overSpeedingEvent !== null) {
    events = endSpan(events, {
      id: overSpeedingEvent,
      at: timeReal(outcome.period.end),
      cards,
      data: { maxSpeed: outcome.period.maxKmh, averageSpeed: outcome.period.averageKmh },
    });
    overSpeedingEvent = null;
  }
  const conditions = updateConditions(context.slots, { at: vuNow, moving: moving(motion), odometerKm: odometerKm(motion, k), events, outOfScope: context.specificConditions.outOfScope });
  // Annex IC 24, 46-48: movement starts or stops with the first second that has (or lacks) pulses
  let activities = context.activities;
  if (moving(motion) !== moving(context.motion)) activities = (moving(motion) ? vehicleMoving : vehicleStopped)(activities, vuNow - 1000);
  const taken = takeAccumulatedDrivingMarks(tick(activities, vuNow));
  // Annex IC 62: a DRIVING minute ends an open FERRY / TRAIN CROSSING
  const specificConditions = context.specificConditions.ferryTrain ? afterDrivingMinutes(context.specificConditions, taken.state, vuNow) : context.specificConditions;
  // OdometerValueMidnight: the odometer as the VU's day turns (the first sample of a new UTC day)
  const today = Math.floor(vuNow / DAY_MS) * DAY_MS;
  const lastDay = context.midnightOdometers[context.midnightOdometers.length - 1];
  const midnightOdometers = !lastDay || lastDay.day < today ? [...context.midnightOdometers, { day: today, km: odometerKm(context.motion, k) }] : context.midnightOdometers;
  return {
    midnightOdometers,
    motion,
    detailedSpeed,
    overSpeeding,
    overSpeedingEvent,
    overSpeedingControl,
    events: conditions.events,
    slots: conditions.slots,
    activities: taken.state,
    specificConditions,
    accumulatedDrivingMarks: taken.marks.length ? [...context.accumulatedDrivingMarks, ...taken.marks] : context.accumulatedDrivingMarks,
    // Annex IC 108: each multiple of 3 h of accumulated driving with the latest valid GNSS position
    gnssAdRecords: taken.marks.length
      ? [...context.gnssAdRecords, ...taken.marks.map((m) => gnssAccumulatedDrivingRecord(m, context.gnss, { cards: slotCards(conditions.slots), odometerKm: odometerKm(motion, k) }))]
      : context.gnssAdRecords,
  };
}

function cardChange(context: VuContext, rigNow: number) {
  const { k } = context.calibration;
  return { at: vuTime(context.clock, rigNow), moving: moving(context.motion), odometerKm: odometerKm(context.motion, k), events: context.events, outOfScope: context.specificConditions.outOfScope };
}

/** Applies one GNSS report to the data memory and the clock (the rules live in gnss/). */
export function applyGnssReport(context: VuContext, report: VuGnssReport, rigNow: number): Partial<VuContext> {
  const r = onGnssReport(context.gnss, report, {
    rigNow,
    clock: context.clock,
    moving: moving(context.motion),
    calibrationMode: currentMode(context.slots) === 'calibration',
    cards: slotCards(context.slots),
    events: context.events,
  });
  // GNS_42: the speed of a position the rules accepted (a repeated RMC is not) is the GNSS side of the motion comparison
  const accepted = report.type === 'gnss.position' && r.state.lastPosition !== context.gnss.lastPosition;
  const motionConflict = accepted ? noteGnssSpeed(context.motionConflict, report.position.speedKmh, rigNow) : context.motionConflict;
  const applied = { gnss: r.state, events: r.events, clock: r.clock ?? context.clock, timeAdjustments: r.adjustments.reduce(keepAdjustment, context.timeAdjustments), motionConflict };
  // GNS_42 trigger 2: the same position against the odometer, every 15 minutes
  return accepted ? { ...applied, ...checkGnssDistanceAt({ ...context, ...applied }, report.position, rigNow) } : applied;
}


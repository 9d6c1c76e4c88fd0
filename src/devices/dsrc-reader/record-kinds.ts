import { z } from 'zod';
import { namedCodes, type RecordKinds } from '../../harness/devices/record-kinds.ts';

const bool = z.boolean();
const byte = z.number().int().min(0).max(255);
const ms = z.number();

/** The reader's log: one record per interrogation (DSC_82/83: the failures with their time too). */
export const dsrcReaderRecordKinds: RecordKinds = {
  interrogation: {
    description:
      'one interrogation: read (the card deciphered fresh data; the payload fields follow), refused (the card said no: its status word), stale (CSM_229: outside the freshness window), notRetrieved (DSC_82: initialised, data not retrieved), notRtm (the VST offered no RTM instance), noVehicle (no VST)',
    code: namedCodes(['read', 'refused', 'stale', 'notRetrieved', 'notRtm', 'noVehicle'], 'the outcome'),
    time: 'instant',
    fields: z.strictObject({
      sw: z.string().regex(/^[0-9A-F]{4}$/).optional(),
      reason: z.string().optional(),
      rtmTime: ms.optional(),
      counter: z.number().int().min(0).max(0xffffff).optional(),
      vuId: z.string().optional(),
      keyVersion: byte.optional(),
      plate: z.string().optional(),
      countryCode: z.number().int().min(0).max(1023).optional(),
      speedingEvent: bool.optional(),
      drivingWithoutValidCard: bool.optional(),
      driverCard: bool.optional(),
      cardInsertion: bool.optional(),
      motionDataError: bool.optional(),
      vehicleMotionConflict: bool.optional(),
      secondDriverCard: bool.optional(),
      currentActivityDriving: bool.optional(),
      lastSessionClosed: bool.optional(),
      powerSupplyInterruption: byte.optional(),
      sensorFault: byte.optional(),
      timeAdjustment: z.number().int().min(0).optional(),
      latestBreachAttempt: z.number().int().min(0).optional(),
      lastCalibrationData: z.number().int().min(0).optional(),
      prevCalibrationData: z.number().int().min(0).optional(),
      dateTachoConnected: z.number().int().min(0).optional(),
      currentSpeed: byte.optional(),
      timestamp: ms.optional(),
      latestAuthenticatedPosition: z.number().int().min(0).optional(),
      continuousDrivingTime: byte.optional(),
      dailyDrivingTimeShift: byte.optional(),
      dailyDrivingTimeWeek: byte.optional(),
      weeklyDrivingTime: byte.optional(),
      fortnightlyDrivingTime: byte.optional(),
    }),
  },
};

import { TRTP, type TransferRequest } from '../../protocols/app7/index.ts';

/**
 * The VU data download formats an IDE asks for (App. 7 DDP_011): `gen2v1` the generation 2, version 1 data
 * (TRTP 21..25, signed per App. 11 Part B), `gen2v2` the generation 2, version 2 data (TRTP 00 first, DDP_028a,
 * then 31, 32, 33, 24, 35, signed as version 1's), `gen1` the generation 1 data (TRTP 01..05, Part A), what a
 * gen1 VU gives and a gen2 VU gives a non-EU control with a gen1 control card (App. 7 §1.1, MIG_015).
 *
 * Choice: the default is `gen2v1`, what every gen2 VU the rig emulates gives (version 2 ones too). The client
 * does not guess a real VU's generation from a refusal (a gen2 VU refuses TRTP 01 with FA whatever its reason,
 * DDP_018), nor its version by asking TRTP 00 unasked (a recorded bench conversation would change): the user
 * says `--format gen1` for a gen1 VU, `--format gen2v2` for a version 2 one.
 */
export const DOWNLOAD_FORMATS = ['gen1', 'gen2v1', 'gen2v2'] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];
export const DEFAULT_DOWNLOAD_FORMAT: DownloadFormat = 'gen2v1';

/** DDP_011: the TRTP of each VU transfer in each format. */
export const FORMAT_TRTP: Readonly<Record<DownloadFormat, { overview: number; activities: number; eventsAndFaults: number; detailedSpeed: number; technicalData: number }>> = {
  gen1: { overview: TRTP.OVERVIEW_G1, activities: TRTP.ACTIVITIES_G1, eventsAndFaults: TRTP.EVENTS_FAULTS_G1, detailedSpeed: TRTP.DETAILED_SPEED_G1, technicalData: TRTP.TECHNICAL_DATA_G1 },
  gen2v1: { overview: TRTP.OVERVIEW, activities: TRTP.ACTIVITIES, eventsAndFaults: TRTP.EVENTS_FAULTS, detailedSpeed: TRTP.DETAILED_SPEED, technicalData: TRTP.TECHNICAL_DATA },
  // App. 7 note M3: "TRTP 24 is used for Generation 2, for version 1 and version 2"
  gen2v2: { overview: TRTP.OVERVIEW_V2, activities: TRTP.ACTIVITIES_V2, eventsAndFaults: TRTP.EVENTS_FAULTS_V2, detailedSpeed: TRTP.DETAILED_SPEED, technicalData: TRTP.TECHNICAL_DATA_V2 },
};

/** DDP_028a: the DownloadInterfaceVersion a version 2 VU answers TRTP 00 with, '02 02'H (generation 2, version 2). */
export const GEN2_V2_INTERFACE_VERSION = '0202';

/** A full download: each day of activities between the given days (ms), events and faults, detailed speed, technical data; the overview is the client's (DDP_054). */
export function fullDownloadRequests(firstDay: number, lastDay: number, format: DownloadFormat = DEFAULT_DOWNLOAD_FORMAT): TransferRequest[] {
  const t = FORMAT_TRTP[format];
  const days: TransferRequest[] = [];
  for (let day = Math.floor(firstDay / 86_400_000) * 86_400_000; day <= lastDay; day += 86_400_000) days.push({ trtp: t.activities, date: day / 1000 });
  return [...days, { trtp: t.eventsAndFaults }, { trtp: t.detailedSpeed }, { trtp: t.technicalData }];
}

import { z } from 'zod';
import { TIMING } from '../../protocols/app7/index.ts';
import type { DownloadOptions } from './client.ts';

/**
 * The download equipment's timing and retries as a rig file sets them (the `ide` kind's options), for a
 * device under test slower than App. 7 allows. Defaults are App. 7's (DDP_019's table, DDP_027's three
 * transmissions). A window the IDE waits in (P1 max, P2 max, P3 max, P5 max) may be widened, never
 * narrowed: narrower, the IDE would give up on a VU that keeps to App. 7. What the IDE itself does on the
 * line (P3 between an answer and its next request, P4 between the bytes of a request) stays within
 * DDP_019's limits, where a VU that keeps to App. 7 would end the session or ignore the request; and DDP_027
 * allows three transmissions of a request at most. Checked when the rig file is loaded.
 */
const ms = (min: number, text: string) => z.number().min(min).default(min).describe(text);

export const downloadClientOptions = z.strictObject({
  timing: z
    .strictObject({
      // DDP_019 P1 (VU inter-byte time) upper limit 20 ms
      p1MaxMs: ms(TIMING.P1_MAX, "P1 max: the longest gap between two bytes of the VU's answer before the IDE takes it for a timing error (DDP_025). App. 7: 20 ms; only wider"),
      // DDP_019 P2 upper limit 1000 ms
      p2MaxMs: ms(TIMING.P2_MAX, "P2 max: how long the IDE waits from the end of a request for the VU's answer to start before it sends the request again (DDP_027). App. 7: 1000 ms; wider for a slow VU, never narrower"),
      // DDP_019 P3: 10..5000 ms between the end of an answer and the next request; a VU ends the session after P3 max without one (DDP_021)
      p3MinMs: z
        .number()
        .min(TIMING.P3_MIN)
        .lt(TIMING.P3_MAX)
        .default(TIMING.P3_MIN)
        .describe('P3 min: how long the IDE waits after the last byte it received before its next request (DDP_028). App. 7: 10 ms; up to below 5000 ms (P3 max: a VU ends the session with no request for that long)'),
      // DDP_019 P3 upper limit 5000 ms; note (*): P2 max after NRC 78 extends to it
      p3MaxMs: ms(TIMING.P3_MAX, "P3 max: how long the IDE waits for the answer after the VU's 'response pending' (NRC 78, DDP_019 note), and for a silent VU to end the session. App. 7: 5000 ms; only wider"),
      // DDP_019 P4 (IDE inter-byte time): 5..20 ms; a VU ignores a request whose bytes are further apart (DDP_022/023)
      p4MinMs: z
        .number()
        .min(TIMING.P4_MIN)
        .max(TIMING.P4_MAX)
        .default(TIMING.P4_MIN)
        .describe('P4: the gap the IDE leaves between the bytes of a request. App. 7: 5..20 ms (a VU ignores a request whose bytes are further apart)'),
      // DDP_019 P5 upper limit 20 minutes
      p5MaxMs: ms(TIMING.P5_MAX, "P5 max: P3 max for a card download through the VU (TRTP 06). App. 7: 20 minutes; only wider"),
    })
    .prefault({})
    .describe('App. 7 timing parameters (DDP_019), ms of rig time'),
  // DDP_027: "for a maximum of three transmissions in total"
  maxTransmissions: z.number().int().min(1).max(3).default(3).describe('transmissions of one request in all, the first included, before the IDE gives it up (DDP_027: at most 3)'),
  maxTransferStarts: z
    .number()
    .int()
    .min(1)
    .max(10)
    .default(3)
    .describe('times one transfer may be requested when its message breaks off (DDP_003: the IDE may ask the VU to start again)'),
  maxSessions: z
    .number()
    .int()
    .min(1)
    .max(20)
    .default(5)
    .describe('sessions one download may take: after a request failed in all its transmissions, a new session asks for what is not in yet'),
});

export type DownloadClientSettings = z.output<typeof downloadClientOptions>;

/** The client options the settings give (for `downloadVu`). Takes a rig file's `options` as loaded, or as given (defaults filled in). */
export function clientOptionsOf(options: unknown): Pick<DownloadOptions, 'timing' | 'maxTransmissions' | 'maxTransferStarts' | 'maxSessions'> {
  const s = downloadClientOptions.parse(options ?? {});
  return { timing: { ...s.timing }, maxTransmissions: s.maxTransmissions, maxTransferStarts: s.maxTransferStarts, maxSessions: s.maxSessions };
}

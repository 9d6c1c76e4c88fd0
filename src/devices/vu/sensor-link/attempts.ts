import { NEGATIVE_REASON } from '../../../protocols/motion-sensor/index.ts';
import type { Answer } from './exchange.ts';

/**
 * How the VU tells a line that loses or damages frames from a sensor that fails to authenticate, as pure
 * rules over one attempt's outcome (README, "Motion sensor: a noisy line").
 *
 * ISO 16844-3's retry rules are not public, so the rig takes the bound of the VU's other serial links: a
 * request is sent at most three times, the first and two repeats, as App. 7 DDP_027 (three transmissions of a
 * download request) and ISO/IEC 7816-3 rule 7.4 (a T=1 block sent at most three times, the EGF link).
 */
export const MAX_ATTEMPTS = 3;

/**
 * Annex IC 83 makes an interruption of the data flow and a data integrity or authentication error during the
 * exchange a motion data error (0x09); Annex IC 85 leaves the security breach (0x11) to App. 10, whose
 * security targets raise it after a number of consecutive unsuccessful authentication attempts the
 * manufacturer chooses, at most 20 (Annex IB App. 10 UIA_208). The rig's number: three in a row, with no
 * successful authentication between them. Three is the attempts of one request, so a sensor that fails every
 * authentication is found at the first check; one damaged frame that slips past the frame checksum (two bit
 * errors can cancel in a sum) fails one attempt, not three.
 */
export const AUTH_FAILURES_FOR_BREACH = 3;

/** Why an attempt failed: no answer in time; a damaged frame; an intact frame failing its cryptography; a refusal. */
export type AttemptCause = 'lost' | 'corrupted' | 'unauthenticated' | 'refused';

/** The cause of a failed attempt, null for a usable answer; `undefined` is the answer timeout. */
export function causeOf(answer: Answer | undefined): AttemptCause | null {
  if (!answer) return 'lost';
  switch (answer.kind) {
    case 'malformed':
      return 'corrupted';
    case 'invalid':
      return 'unauthenticated';
    case 'refused':
      return refusalCause(answer.code);
    default:
      return null;
  }
}

/**
 * A negative reply says what the sensor made of our request: a checksum-valid frame with a wrong length or an
 * unknown instruction is our frame damaged on the way; one it cannot authenticate (06, or 03 at 0x41) is an
 * authentication failure at its end, which it counts ('21'H); the rest (not paired, no AES material, out of
 * sequence, unknown file) are answers, not accidents of the line: asking again would get the same.
 */
function refusalCause(code: number): AttemptCause {
  switch (code) {
    case NEGATIVE_REASON.MALFORMED:
    case NEGATIVE_REASON.UNKNOWN_INSTRUCTION:
      return 'corrupted';
    case NEGATIVE_REASON.INTEGRITY:
    case NEGATIVE_REASON.VU_NOT_AUTHENTICATED:
      return 'unauthenticated';
    default:
      return 'refused';
  }
}

/** Whether a request that failed this way, `failures` times now, is sent again. */
export function repeatable(cause: AttemptCause | null, failures: number): boolean {
  return cause !== null && cause !== 'refused' && failures < MAX_ATTEMPTS;
}

/** A request's key for counting its failures: its instruction, and the file for a file read. */
export function requestKey(pending: { instruction: number; file?: number } | null): string {
  if (!pending) return 'none';
  return pending.file === undefined ? pending.instruction.toString(16) : `${pending.instruction.toString(16)}/${pending.file}`;
}

/** What the answer (or the timeout) was, in words, for a report. */
export function attemptDetail(answer: Answer | undefined): string {
  if (!answer) return 'the sensor did not answer in time';
  switch (answer.kind) {
    case 'malformed':
      return `${answer.code}: ${answer.detail}`;
    case 'invalid':
    case 'refused':
      return answer.detail;
    default:
      return `a ${answer.kind} answer`;
  }
}

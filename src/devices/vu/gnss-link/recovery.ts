import { T1_MAX_SENDS, type T1State } from '../../../protocols/t1/index.ts';

/**
 * What the VU does when the EGF link loses or damages what it sends, as pure rules (README, "External GNSS
 * facility: a noisy line").
 *
 * Blocks (ISO/IEC 7816-3 §11.6.3, GNS_17: T=1): a block received damaged is answered with an R-block and sent
 * again by its sender (rules 7.1-7.3, the T=1 endpoint). A block that never comes is the master's to recover
 * when the block waiting time runs out (the link's `answerTimeoutMs`, 1 s): the VU first drops what it holds
 * of a block cut short (§11.4.3, the character waiting time is long past), then sends its last block again,
 * which makes the EGF send its answer again if that was what was lost (rule 7.2/7.4: a block goes out at
 * most three times); then resynchronises (rule 6.4: S(RESYNCH), at most three times) and sends the APDU
 * again; then gives up: no answer (GNS_28).
 */
export const MAX_RESYNCHS = 3;

export type Recovery = 'retransmit' | 'resynchronise' | 'give-up';

export function onBlockTimeout(t1: T1State, resynchs: number): Recovery {
  if (t1.last && t1.sends < T1_MAX_SENDS) return 'retransmit';
  if (resynchs < MAX_RESYNCHS) return 'resynchronise';
  return 'give-up';
}

/**
 * Authentication (CSM_192, CSM_195, CSM_215): a response failing its MAC, or a mutual authentication step
 * failing, ends the session, and the VU establishes a new one at once. On a line whose check value is a
 * one-byte LRC, two damaged bytes can cancel out and leave the MAC (or a check of the authentication) to
 * find them: that is one failure, which the next attempt does not repeat. An EGF that cannot authenticate
 * fails every attempt. App. 10 leaves the number of consecutive unsuccessful authentication attempts that
 * raise the audit record to the manufacturer, at most 20 (UIA_208; sensor-link/attempts.ts). The rig's
 * number here is five, not the sensor link's three: an attempt is some fifteen T=1 blocks (a sensor
 * exchange is two frames), so a damage the LRC misses is that much likelier per attempt; measured at 0.1 %
 * of bits flipped and 0.1 % of bytes lost, the LRC lets some 20 damaged blocks an hour through, and about
 * one attempt in twenty after a failure fails again, so three in a row would come every day or so and five
 * once in years. Five quick attempts still find a failing EGF at the first request cycle. Only the fifth is
 * the authentication failure (0x1A); a coupling whose checks fail five times in a row is given up with that
 * reason.
 *
 * A failure on the answer to an APDU the VU sent again after resynchronising (rule 6.4) is not counted: the
 * EGF may have carried out the first sending before the answer was lost, so the second is bound to fail a
 * MAC over an old send sequence counter, or a challenge already used. The session is established again all
 * the same; at most AUTH_ATTEMPTS such failures in a row go uncounted, so an EGF cannot hide a real failure
 * behind resynchronisations for ever.
 */
export const AUTH_ATTEMPTS = 5;

const COMMAND_NAMES: Readonly<Record<number, string>> = {
  0xa4: 'SELECT',
  0xb0: 'READ BINARY',
  0xb2: 'READ RECORD',
  0xd2: 'WRITE RECORD',
  0x22: 'MSE: SET',
  0x2a: 'PSO: VERIFY CERTIFICATE',
  0x84: 'GET CHALLENGE',
  0x82: 'EXTERNAL AUTHENTICATE',
  0x86: 'GENERAL AUTHENTICATE',
};

/** The command an APDU (plain or under SM) carries, for a report: its INS, and 'MF' for SELECT MF. */
export function commandName(apdu: readonly number[] | null): string {
  if (!apdu || apdu.length < 4) return 'a command';
  const name = COMMAND_NAMES[apdu[1]!] ?? `INS ${apdu[1]!.toString(16).padStart(2, '0').toUpperCase()}`;
  if (apdu[1] === 0xa4 && apdu.length >= 7 && apdu[5] === 0x3f && apdu[6] === 0x00) return 'SELECT MF';
  return name;
}

import { unwrapCommand, wrapResponse, sessionExhausted, SM_CLA } from '../../crypto/sm/index.ts';
import { SW, type CommandApdu, type ResponseApdu } from '../../protocols/apdu/index.ts';
import { executeApdu, type EgfMemory } from './memory.ts';
import { executeSecurityApdu, isSecurityCommand, type EgfSecurity, type SecurityContext } from './security.ts';

/**
 * The GNSS secure transceiver's front door: secure messaging (App. 11 §10.5 via CSM_214) around the file
 * interpreter (memory.ts) and the authentication commands (security.ts).
 */
export interface TransceiverState {
  memory: EgfMemory;
  security: EgfSecurity;
}

export interface TransceiverContext extends SecurityContext {
  tampered: boolean;
  receiverSilent: boolean;
  plainAccess: boolean;
  /** CSM_193: the EGF's limit of SM command/response pairs per session. */
  sessionLimit: number;
  /** The `fault` stimulus: EF EGF found corrupted ('6400'). */
  efEgfCorrupted?: boolean;
}

export function serveApdu(state: TransceiverState, c: CommandApdu, ctx: TransceiverContext): TransceiverState & { response: ResponseApdu } {
  // GNS_25, GNS_29: once tampered, '6690' to everything, without SM (the keys are gone).
  if (ctx.tampered) return { ...state, response: { data: new Uint8Array(0), sw: SW.TAMPERED } };
  if (c.extended) return { ...state, response: { data: new Uint8Array(0), sw: SW.WRONG_LENGTH } };
  let security = state.security;
  let command = c;
  let secured = false;
  if (c.cla === SM_CLA) {
    // Choice: a protected command outside a session is refused '6982' (no session keys to check it with).
    if (!security.session) return { ...state, response: { data: new Uint8Array(0), sw: SW.SECURITY_STATUS_NOT_SATISFIED } };
    const u = unwrapCommand(security.session, c);
    // CSM_193, CSM_194: an SM error aborts the session; the status goes back without SM.
    if (!u.ok) return { ...state, security: { ...security, session: null }, response: { data: new Uint8Array(0), sw: u.sw } };
    security = { ...security, session: u.session };
    command = { cla: u.command.cla, ins: u.command.ins, p1: u.command.p1, p2: u.command.p2, data: u.command.data, ...(u.command.le === undefined ? {} : { le: u.command.le }), extended: false };
    secured = true;
  } else if (security.session) {
    // CSM_193: a plain command APDU aborts the session.
    security = { ...security, session: null };
  }
  let memory = state.memory;
  let response: ResponseApdu;
  if (isSecurityCommand(command)) {
    const r = executeSecurityApdu(security, command, ctx);
    security = r.security;
    response = r.response;
  } else {
    const r = executeApdu(memory, command, { tampered: false, receiverSilent: ctx.receiverSilent, secured, plainAccess: ctx.plainAccess, efEgfCorrupted: ctx.efEgfCorrupted ?? false });
    memory = r.memory;
    response = r.response;
  }
  if (secured && security.session) {
    const w = wrapResponse(security.session, response);
    // CSM_193: the session ends with the pair that reaches the limit.
    security = { ...security, session: sessionExhausted(w.session, ctx.sessionLimit) ? null : w.session };
    response = w.response;
  }
  return { memory, security, response };
}

import { assign, enqueueActions, sendParent, setup } from 'xstate';
import { fromHex, toHex } from '../../../crypto/index.ts';
import {
  ACK_TERMINATE,
  ADDRESS,
  decodeFrame,
  deframe,
  DEFAULT_BAUD,
  EMPTY_DEFRAME_STATE,
  isGen1VuTrtp,
  isGen2V2OnlyTrtp,
  isOverviewTrtp,
  linkControlResponse,
  negativeResponse,
  NRC,
  parseRequest,
  requestUploadResponse,
  segmentMessage,
  SID,
  TRTP,
  startCommunicationResponse,
  startDiagnosticSessionResponse,
  stopCommunicationResponse,
  toIde,
  transferExitResponse,
  type DeframeState,
  type Discarded,
  type TransferRequest,
} from '../../../protocols/app7/index.ts';
import {
  DEFAULT_DOWNLOAD_SERVER_TIMING,
  FULL_ACCESS,
  type DownloadServerCommand,
  type SessionAccess,
  type DownloadServerInput,
  type DownloadServerReport,
  type DownloadServerTiming,
} from './types.ts';

/** A message being sent as sub-messages (DDP_003): its data fields as hex, and the index of the last one sent. */
interface OutgoingMessage {
  trep: number;
  fields: string[];
  sent: number;
  length: number;
  /** The data field of the Transfer Data Request it answers, hex: the same request again starts it again. */
  request: string;
  /** Its last sub-message went out once already (the transfer was reported). */
  reported: boolean;
}

export interface DownloadServerContext {
  timing: DownloadServerTiming;
  gen1Control: boolean;
  /** The VU's generation 2 version (DDP_028a): 2 answers TRTP 00 and 31..35. */
  interfaceVersion: 1 | 2;
  /** What the session may do, as the VU last said (FULL_ACCESS until it says). */
  access: SessionAccess;
  rx: DeframeState;
  baud: number;
  diagnosticSession: boolean;
  uploadRequested: boolean;
  overviewSent: boolean;
  /** Link control stage 1 accepted this rate; stage 2 switches to it. */
  pendingBaud: number | null;
  message: OutgoingMessage | null;
  /** The frame to send once P2 min has passed, hex. */
  reply: string | null;
  /** What the request just served leads to. */
  next: 'reply' | 'fetch' | 'none' | 'stop';
  fetch: TransferRequest | null;
  /** A whole message went out in this session already (the VU records a download once per session). */
  transferredInSession: boolean;
  /** The data field of the last request served in this session, hex (DDP_027: a repeat is answered alike). */
  lastRequest: string | null;
  /** The frame sent in answer to it, hex; null while none was (or none is due: link control stage 2, FFFF). */
  lastReply: string | null;
}

type FrameEvent = { type: 'frame'; data: Uint8Array };
export type DownloadServerEvent = DownloadServerCommand | FrameEvent;

export interface DownloadServerDeps {
  /** Rig time, for the inter-byte timing of requests. */
  now: () => number;
}

type Patch = Partial<DownloadServerContext>;

function describeDiscarded(d: Discarded, p4MaxMs: number, toleranceMs: number): string {
  const bytes = toHex(d.bytes);
  const allowed = toleranceMs > 0 ? `P4 max ${p4MaxMs} ms + ${toleranceMs.toFixed(1)} ms the link cannot see` : `P4 max ${p4MaxMs} ms`;
  return d.reason === 'timing' ? `${d.gapMs!.toFixed(1)} ms after the previous byte (${allowed}): ${bytes}` : bytes;
}
const reply = (frame: Uint8Array, extra: Patch = {}): Patch => ({ next: 'reply', reply: toHex(frame), ...extra });
const refuse = (sid: number, nrc: number, extra: Patch = {}): Patch => reply(negativeResponse(sid, nrc), extra);
const SESSION_RESET: Patch = { diagnosticSession: false, uploadRequested: false, overviewSent: false, pendingBaud: null, message: null, transferredInSession: false };

/**
 * The request just received, served: what to answer (or fetch) and the session flags after it. Sequence
 * rules are here (NRC 22); content rules are in `parseRequest`.
 */
function serve(ctx: DownloadServerContext, data: Uint8Array): { patch: Patch; reports: DownloadServerReport[] } {
  const reports: DownloadServerReport[] = [];
  const request = toHex(data);
  // DDP_027: the IDE sends a request again when no good answer reached it (damaged, or none within P2 max).
  // The VU cannot tell such a repeat from a new request of the same bytes, so it answers it as it answered the
  // first: the same frame again, nothing fetched again, no message advanced, no session state changed (a
  // repeated Transfer Exit is not a sequence error). For an acknowledge this is DDP_017's MsgC: the same
  // sub-message again.
  if (request === ctx.lastRequest && ctx.lastReply !== null) return { patch: { next: 'reply', reply: ctx.lastReply }, reports };
  const parsed = parseRequest(data);
  const served: Patch = { lastRequest: request, lastReply: null };
  if (!parsed.ok) return { patch: { ...served, ...refuse(parsed.sid, parsed.nrc) }, reports };
  const r = parsed.request;
  // A new request abandons a message still being sent; only an acknowledge continues it.
  const base: Patch = r.service === 'acknowledge' ? served : { ...served, message: null };
  const out = (patch: Patch) => ({ patch: { ...base, ...patch }, reports });
  switch (r.service) {
    case 'startCommunication':
      return out(reply(startCommunicationResponse(), SESSION_RESET));
    case 'startDiagnosticSession':
      return out(reply(startDiagnosticSessionResponse(), { diagnosticSession: true }));
    case 'linkControlVerify':
      if (!ctx.diagnosticSession) return out(refuse(SID.LINK_CONTROL, NRC.CONDITIONS_NOT_CORRECT));
      return out(reply(linkControlResponse(), { pendingBaud: r.baud }));
    case 'linkControlTransition':
      if (ctx.pendingBaud === null) return out(refuse(SID.LINK_CONTROL, NRC.CONDITIONS_NOT_CORRECT));
      // DDP_053: no response to stage 2; the VU switches once it has received it.
      reports.push({ type: 'download.baud', baud: ctx.pendingBaud });
      return out({ next: 'none', baud: ctx.pendingBaud, pendingBaud: null });
    case 'requestUpload':
      if (!ctx.diagnosticSession) return out(refuse(SID.REQUEST_UPLOAD, NRC.CONDITIONS_NOT_CORRECT));
      // DDP_018 50: "VU in a non appropriate mode of operation or internal fault of the VU" (Annex IC 12, 89)
      if (ctx.access.internalFault || (!ctx.access.vuData && !ctx.access.driverCard)) return out(refuse(SID.REQUEST_UPLOAD, NRC.UPLOAD_NOT_ACCEPTED));
      return out(reply(requestUploadResponse(), { uploadRequested: true }));
    case 'transferData': {
      if (!ctx.uploadRequested) return out(refuse(SID.TRANSFER_DATA, NRC.CONDITIONS_NOT_CORRECT));
      // DDP_028a: TRTP 00 is "not supported by Generation 1 and Generation 2, version 1 VU, which shall respond
      // negatively (Sub function not supported)"; TRTP 31..35 are alike a version 2 VU's only (DDP_011)
      if (isGen2V2OnlyTrtp(r.trtp) && ctx.interfaceVersion !== 2) return out(refuse(SID.TRANSFER_DATA, NRC.SUB_FUNCTION_NOT_SUPPORTED));
      // DDP_018 FA / MIG_015: gen1 downloads only for a non-EU control with a gen1 control card (the VU says
      // so in the session's access; a server without a VU, by its gen1Control input).
      if (isGen1VuTrtp(r.trtp) && !ctx.gen1Control && !ctx.access.gen1Format) return out(refuse(SID.TRANSFER_DATA, NRC.DATA_NOT_AVAILABLE));
      // Annex IC 12: data the mode does not open are "not available", as App. 7 answers a gen1 download outside
      // a non-EU control (DDP_018 FA).
      const card = r.trtp === TRTP.CARD_DOWNLOAD;
      if (card ? !ctx.access.driverCard : !ctx.access.vuData) return out(refuse(SID.TRANSFER_DATA, NRC.DATA_NOT_AVAILABLE));
      // DDP_054: the overview comes first in a session (decision: the VU enforces it with NRC 22), unless the
      // session may read no VU data (a driver card download in operational mode, Annex IC 12 (b)). The download
      // interface version (TRTP 00) may come before it: it is how the IDE learns which overview to ask (DDP_028a).
      const beforeOverview = isOverviewTrtp(r.trtp) || r.trtp === TRTP.DOWNLOAD_INTERFACE_VERSION;
      if (!beforeOverview && !ctx.overviewSent && ctx.access.vuData) return out(refuse(SID.TRANSFER_DATA, NRC.CONDITIONS_NOT_CORRECT));
      // DDP_003: the request of the message being sent, again: the IDE asks the VU to start the message again
      // (after an acknowledge went unanswered in all its transmissions). The same message from sub-message 1,
      // not fetched again: the IDE must never join parts of two messages (an overview's current time and its
      // signature differ from one fetch to the next).
      const m = ctx.message;
      if (m && m.request === request) return out(reply(toIde(fromHex(m.fields[0]!)), { message: { ...m, sent: 0 } }));
      const { service: _, ...transfer } = r;
      return out({ next: 'fetch', fetch: transfer });
    }
    case 'acknowledge': {
      const m = ctx.message;
      if (!m) return out(refuse(SID.ACKNOWLEDGE_SUB_MESSAGE, NRC.CONDITIONS_NOT_CORRECT));
      if (r.sid !== SID.TRANSFER_DATA_OK) return out(refuse(SID.ACKNOWLEDGE_SUB_MESSAGE, NRC.REQUEST_OUT_OF_RANGE));
      // DDP_017: FFFF ends the message, with no answer.
      if (r.code === ACK_TERMINATE) return out({ next: 'none', message: null });
      const msgC = m.sent + 1; // counters start at 1
      if (r.code === msgC) return out({ next: 'reply', reply: toHex(toIde(fromHex(m.fields[m.sent]!))) });
      if (r.code === msgC + 1) {
        // DDP_018 12: no further sub-message.
        if (m.sent + 1 >= m.fields.length) return out(refuse(SID.ACKNOWLEDGE_SUB_MESSAGE, NRC.SUB_FUNCTION_NOT_SUPPORTED));
        const sent = m.sent + 1;
        // Reported once, though a message started again (DDP_003) reaches its last sub-message again.
        const last = sent === m.fields.length - 1 && !m.reported;
        if (last) reports.push({ type: 'download.transferred', trep: m.trep, length: m.length, first: !ctx.transferredInSession });
        return out({ next: 'reply', reply: toHex(toIde(fromHex(m.fields[sent]!))), message: { ...m, sent, reported: m.reported || last }, ...(last ? { transferredInSession: true } : {}) });
      }
      return out(refuse(SID.ACKNOWLEDGE_SUB_MESSAGE, NRC.REQUEST_OUT_OF_RANGE));
    }
    case 'transferExit':
      if (!ctx.uploadRequested) return out(refuse(SID.REQUEST_TRANSFER_EXIT, NRC.CONDITIONS_NOT_CORRECT));
      return out(reply(transferExitResponse(), { uploadRequested: false }));
    case 'stopCommunication':
      return out({ ...reply(stopCommunicationResponse()), next: 'stop' });
  }
}

/**
 * The VU's download server (App. 7 §2) as a child machine the VU invokes. It talks to its parent with events
 * only: `download.rx` bytes in, `download.tx` bytes out, `download.baud` to switch the port,
 * `download.fetch` / `download.data` for the records, and session and error reports.
 */
export function createDownloadServerMachine({ now }: DownloadServerDeps) {
  return setup({
    types: {
      context: {} as DownloadServerContext,
      events: {} as DownloadServerEvent,
      input: {} as DownloadServerInput,
    },
    delays: {
      p2Min: ({ context }) => context.timing.p2MinMs,
      fetchTimeout: ({ context }) => Math.max(0, context.timing.p2MaxMs - context.timing.p2MinMs),
      p3Max: ({ context }) => context.timing.p3MaxMs,
    },
    guards: {
      isStartCommunication: ({ event }) => event.type === 'frame' && event.data.length === 1 && event.data[0] === SID.START_COMMUNICATION,
      nextIsReply: ({ context }) => context.next === 'reply',
      nextIsFetch: ({ context }) => context.next === 'fetch',
      nextIsStop: ({ context }) => context.next === 'stop',
    },
    actions: {
      // DDP_022/023: frames with errors of timing, length, checksum or address are ignored without response.
      // P4 is judged by when the bytes arrived on the line (the link's stamp), not by when a busy host
      // got round to handing them over: a late timer must not make a complete request a timing error. Where
      // the rig cannot see the line exactly (an OS port on a loaded host) the link says by how much.
      takeBytes: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'download.rx') return;
        const tolerance = event.toleranceMs ?? 0;
        const r = deframe(context.rx, event.bytes, event.at ?? now(), context.timing.p4MaxMs + tolerance);
        enqueue.assign({ rx: r.state });
        for (const d of r.discarded) enqueue.sendParent({ type: 'download.frameError', code: d.reason, detail: describeDiscarded(d, context.timing.p4MaxMs, tolerance) });
        for (const f of r.frames) {
          const decoded = decodeFrame(f);
          if (!decoded.ok) {
            enqueue.sendParent({ type: 'download.frameError', code: decoded.error.code, detail: decoded.error.message });
            continue;
          }
          const { tgt, src, data } = decoded.frame;
          if (tgt !== ADDRESS.VU || src !== ADDRESS.IDE) {
            enqueue.sendParent({ type: 'download.frameError', code: 'not-addressed', detail: `frame from ${src.toString(16)} to ${tgt.toString(16)}` });
            continue;
          }
          enqueue.raise({ type: 'frame', data });
        }
      }),
      ignoreBusy: sendParent(({ event }) => ({ type: 'download.frameError', code: 'busy', detail: `request ${event.type === 'frame' ? toHex(event.data) : ''} while the VU is answering` })),
      serveRequest: enqueueActions(({ context, event, enqueue }) => {
        if (event.type !== 'frame') return;
        const { patch, reports } = serve(context, event.data);
        enqueue.assign(patch);
        for (const report of reports) enqueue.sendParent(report);
      }),
      fetchData: sendParent(({ context }) => ({ type: 'download.fetch', request: context.fetch! })),
      takeData: assign(({ context, event }) => {
        if (event.type !== 'download.data') return {};
        const a = event.answer;
        if (!a.ok) return refuse(SID.TRANSFER_DATA, a.nrc, { fetch: null });
        const fields = segmentMessage(a.trep, a.message);
        const overview = isOverviewTrtp(a.trep) || context.overviewSent;
        const message = fields.length > 1 ? { trep: a.trep, fields: fields.map(toHex), sent: 0, length: a.message.length, request: context.lastRequest ?? '', reported: false } : null;
        return reply(toIde(fields[0]!), { fetch: null, message, overviewSent: overview });
      }),
      // TREP 00 (DDP_028a) is the VU's version, no data of its memory: it is no download (Annex IC 129) nor a control's transfer
      reportSingleTransfer: enqueueActions(({ context, event, enqueue }) => {
        if (event.type === 'download.data' && event.answer.ok && context.message === null && event.answer.trep !== TRTP.DOWNLOAD_INTERFACE_VERSION) {
          enqueue.sendParent({ type: 'download.transferred', trep: event.answer.trep, length: event.answer.message.length, first: !context.transferredInSession });
          enqueue.assign({ transferredInSession: true });
        }
      }),
      dataTooLate: assign(refuse(SID.TRANSFER_DATA, NRC.GENERAL_REJECT, { fetch: null })),
      sendReply: enqueueActions(({ context, enqueue }) => {
        if (context.reply) enqueue.sendParent({ type: 'download.tx', bytes: fromHex(context.reply) });
        enqueue.assign({ reply: null, lastReply: context.reply });
      }),
      // What the VU may answer changed: a request repeated after this is answered afresh, not from memory.
      setAccess: assign({ access: ({ context, event }) => (event.type === 'download.access' ? event.access : context.access), lastReply: null }),
      setGen1Control: assign({ gen1Control: ({ context, event }) => (event.type === 'download.setGen1Control' ? event.enabled : context.gen1Control), lastReply: null }),
      openSession: sendParent({ type: 'download.session', state: 'open', reason: 'start communication' }),
      closeSession: enqueueActions(({ context, enqueue }, params: { reason: string }) => {
        // Decision: a session's end brings the line back to 9600 baud, where the next one starts (DDP_005).
        if (context.baud !== DEFAULT_BAUD) enqueue.sendParent({ type: 'download.baud', baud: DEFAULT_BAUD });
        enqueue.assign({ ...SESSION_RESET, baud: DEFAULT_BAUD, reply: null, fetch: null, next: 'none', lastRequest: null, lastReply: null });
        enqueue.sendParent({ type: 'download.session', state: 'closed', reason: params.reason });
      }),
    },
  }).createMachine({
    id: 'downloadServer',
    context: ({ input }) => ({
      timing: { ...DEFAULT_DOWNLOAD_SERVER_TIMING, ...input.timing },
      gen1Control: input.gen1Control ?? false,
      interfaceVersion: input.interfaceVersion ?? 1,
      access: FULL_ACCESS,
      rx: EMPTY_DEFRAME_STATE,
      baud: DEFAULT_BAUD,
      diagnosticSession: false,
      uploadRequested: false,
      overviewSent: false,
      pendingBaud: null,
      message: null,
      reply: null,
      next: 'none',
      fetch: null,
      transferredInSession: false,
      lastRequest: null,
      lastReply: null,
    }),
    on: {
      'download.rx': { actions: 'takeBytes' },
      'download.setGen1Control': { actions: 'setGen1Control' },
      'download.access': { actions: 'setAccess' },
    },
    initial: 'idle',
    states: {
      // DDP_021: outside a session only a Start Communication Request is answered.
      idle: {
        on: {
          frame: { guard: 'isStartCommunication', target: 'session.replying', actions: ['serveRequest', 'openSession'] },
        },
      },
      session: {
        initial: 'ready',
        states: {
          ready: {
            after: { p3Max: { target: '#downloadServer.idle', actions: { type: 'closeSession', params: { reason: 'P3 max without a request' } } } },
            on: { frame: { target: 'routing', actions: 'serveRequest' } },
          },
          routing: {
            always: [
              { guard: 'nextIsFetch', target: 'fetching' },
              { guard: 'nextIsReply', target: 'replying' },
              { guard: 'nextIsStop', target: 'replying' },
              { target: 'ready' },
            ],
          },
          fetching: {
            entry: 'fetchData',
            on: {
              'download.data': { target: 'replying', actions: ['takeData', 'reportSingleTransfer'] },
              frame: { actions: 'ignoreBusy' },
            },
            after: { fetchTimeout: { target: 'replying', actions: 'dataTooLate' } },
          },
          // DDP_019 P2 min: the answer starts no sooner than 20 ms after the request ended.
          replying: {
            on: { frame: { actions: 'ignoreBusy' } },
            after: {
              p2Min: [
                { guard: 'nextIsStop', target: '#downloadServer.idle', actions: ['sendReply', { type: 'closeSession', params: { reason: 'stop communication' } }] },
                { target: 'ready', actions: 'sendReply' },
              ],
            },
          },
        },
      },
    },
  });
}

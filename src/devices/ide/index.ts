import { namedCodes, type RecordKinds } from '../../harness/devices/record-kinds.ts';
import { assign, emit, fromCallback, sendTo, setup } from 'xstate';
import { z } from 'zod';
import type { DeviceKind, DeviceRecord } from '../../harness/devices/device-kind.ts';
import type { RigClock } from '../../harness/clock/index.ts';
import { clientOptionsOf, DownloadError, downloadClientOptions, downloadVu, type DownloadClientSettings } from '../../harness/download/index.ts';
import type { LinkEnd } from '../../harness/links/index.ts';
import { app7PortCodec, DEFAULT_BAUD, TRTP, type TransferRequest } from '../../protocols/app7/index.ts';

/**
 * The rig's intelligent dedicated equipment (IDE, App. 7): the download key plugged into a VU's front
 * connector. The rig's download client (src/harness/download/) drives its port when a record source or
 * `rig download` reads a VU, emulated or real. Declaring it as a device puts the VU's download line in the rig
 * file like any other link, so a bench maps it to an adapter.
 *
 * A scenario can also make it download on its own (the `download` stimulus): a session like any IDE's, with the
 * rights the cards in the VU's slots give (no rig privilege, src/devices/vu/download/access.ts), run on the rig
 * clock while the scenario goes on. Each session's outcome is a `download` record of this device: what a
 * download operator sees (the transfers given or refused, the VU's NRC when it refused the upload).
 */
const transferName = z.enum(['overview', 'eventsAndFaults', 'detailedSpeed', 'technicalData']);
const TRTP_OF: Record<z.infer<typeof transferName>, number> = {
  overview: TRTP.OVERVIEW,
  eventsAndFaults: TRTP.EVENTS_FAULTS,
  detailedSpeed: TRTP.DETAILED_SPEED,
  technicalData: TRTP.TECHNICAL_DATA,
};

const downloadArgs = z.strictObject({
  transfers: z.array(transferName).default(['overview']).describe('VU data to ask for after the overview (TRTP 21 is always first, DDP_054)'),
  card: z.enum(['driver', 'co-driver']).optional().describe('also download the driver card in this slot through the VU (TRTP 06)'),
  baud: z.union([z.literal(9600), z.literal(19200), z.literal(38400), z.literal(57600), z.literal(115200)]).default(115200),
});
type DownloadArgs = z.output<typeof downloadArgs>;

/** One session the IDE ran by itself, as its record keeps it. */
export interface IdeSession {
  startedAt: number;
  endedAt: number;
  /** ok: the session ran to its end; refused: the VU refused the upload (its NRC); failed: anything else. */
  outcome: 'ok' | 'refused' | 'failed';
  transfers: { trtp: number; ok: boolean; nrc?: number; bytes?: number }[];
  nrc?: number;
  error?: string;
}

interface IdeContext {
  sessions: IdeSession[];
}

type IdeEvent =
  | { type: 'ide.download'; args: DownloadArgs }
  | { type: 'port.rx'; port: string; bytes: Uint8Array; at?: number; toleranceMs?: number }
  | { type: 'ide.write'; bytes: Uint8Array }
  | { type: 'ide.baud'; baud: number }
  | { type: 'ide.done'; session: IdeSession };

/**
 * The download client on the IDE's own port: bytes it writes leave as `port.tx`, its speed changes as
 * `port.baud`, and `port.rx` bytes are handed to it. It runs on the rig clock (its timers and settler).
 */
function sessionActor(clock: RigClock, settings: unknown) {
  return fromCallback<{ type: 'rx'; bytes: Uint8Array; at: number; toleranceMs: number }, DownloadArgs, IdeEvent>(({ input, sendBack, receive }) => {
    const listeners = new Set<(bytes: Uint8Array, at: number) => void>();
    let baud = DEFAULT_BAUD;
    // The line's tolerance as the last bytes gave it: the client judges P1 and P4 by the link's stamps
    let toleranceMs = 0;
    const end: LinkEnd = {
      name: 'ide.vu',
      local: true,
      connected: true,
      get baud() {
        return baud;
      },
      get timingToleranceMs() {
        return toleranceMs;
      },
      write: (bytes) => sendBack({ type: 'ide.write', bytes }),
      onData: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      setBaud: (rate) => {
        baud = rate;
        sendBack({ type: 'ide.baud', baud: rate });
      },
    };
    receive((event) => {
      toleranceMs = event.toleranceMs;
      for (const listener of [...listeners]) listener(event.bytes, event.at);
    });
    const startedAt = clock.now();
    const transfers: TransferRequest[] = input.transfers.filter((t) => t !== 'overview').map((t) => ({ trtp: TRTP_OF[t] }));
    let stopped = false;
    downloadVu(end, clock, { ...clientOptionsOf(settings), transfers, baud: input.baud, ...(input.card ? { card: input.card } : {}) }).then(
      (result) => {
        if (stopped) return;
        const list = result.transfers.map((t) => (t.ok ? { trtp: t.trtp, ok: true, bytes: t.message.length } : { trtp: t.trtp, ok: false, nrc: t.nrc }));
        sendBack({ type: 'ide.done', session: { startedAt, endedAt: clock.now(), outcome: 'ok', transfers: list } });
      },
      (error: unknown) => {
        if (stopped) return;
        const nrc = error instanceof DownloadError ? error.nrc : undefined;
        const session: IdeSession = { startedAt, endedAt: clock.now(), outcome: nrc === undefined ? 'failed' : 'refused', transfers: [], error: (error as Error).message };
        sendBack({ type: 'ide.done', session: nrc === undefined ? session : { ...session, nrc } });
      },
    );
    return () => {
      stopped = true;
    };
  });
}

function createIdeMachine(clock: RigClock, settings: unknown) {
  return setup({
    types: { context: {} as IdeContext, events: {} as IdeEvent },
    actors: { session: sessionActor(clock, settings) },
    actions: {
      toSession: sendTo('session', ({ event }) =>
        event.type === 'port.rx'
          ? { type: 'rx' as const, bytes: event.bytes, at: event.at ?? clock.now(), toleranceMs: event.toleranceMs ?? 0 }
          : { type: 'rx' as const, bytes: new Uint8Array(0), at: clock.now(), toleranceMs: 0 },
      ),
      write: emit(({ event }) => ({ type: 'port.tx' as const, port: 'vu', bytes: event.type === 'ide.write' ? event.bytes : new Uint8Array(0) })),
      setBaud: emit(({ event }) => ({ type: 'port.baud' as const, port: 'vu', baud: event.type === 'ide.baud' ? event.baud : DEFAULT_BAUD })),
      keep: assign({ sessions: ({ context, event }) => (event.type === 'ide.done' ? [...context.sessions, event.session] : context.sessions) }),
    },
  }).createMachine({
    id: 'ide',
    context: { sessions: [] },
    initial: 'idle',
    states: {
      // Bytes on the line outside its own sessions (the rig's record reader drives the same end) are not its.
      idle: { on: { 'ide.download': 'downloading' } },
      downloading: {
        invoke: { id: 'session', src: 'session', input: ({ event }) => (event as Extract<IdeEvent, { type: 'ide.download' }>).args },
        on: {
          'port.rx': { actions: 'toSession' },
          'ide.write': { actions: 'write' },
          'ide.baud': { actions: 'setBaud' },
          'ide.done': { target: 'idle', actions: 'keep' },
        },
      },
    },
  });
}

const byte = z.number().int().min(0).max(255);

/** The IDE's records: its own download sessions (the `download` stimulus). */
export const ideRecordKinds: RecordKinds = {
  download: {
    description: 'a download session the IDE ran (the `download` stimulus): at its start, end its end',
    code: namedCodes(['ok', 'refused', 'failed'], 'ok: ran to its end; refused: the VU refused the upload (its NRC); failed: anything else'),
    time: 'span',
    fields: z.strictObject({
      transfers: z.array(z.strictObject({ trtp: byte, ok: z.boolean(), nrc: byte.optional(), bytes: z.number().int().min(0).optional() })),
      nrc: byte.optional().describe("the VU's negative response code (App. 7 DDP_018), when refused"),
      error: z.string().optional(),
    }),
  },
};

/** A session as a record: `code` its outcome, `at` its start, `end` its end. */
function sessionRecord(s: IdeSession): DeviceRecord {
  return { kind: 'download', code: s.outcome, at: s.startedAt, end: s.endedAt, fields: { transfers: s.transfers, ...(s.nrc === undefined ? {} : { nrc: s.nrc }), ...(s.error ? { error: s.error } : {}) } };
}

export const ideKind: DeviceKind<DownloadClientSettings> = {
  kind: 'ide',
  description:
    "the rig's download equipment (App. 7 IDE): its port is driven by the download client, with the P-timings and retries of its options (App. 7's unless widened for a slow VU); the `download` stimulus runs a session of its own",
  options: downloadClientOptions,
  ports: {
    vu: {
      description: "to the VU's download port",
      baud: 9600,
      codec: app7PortCodec,
      // DDP_019/027: the IDE sends a request again when no answer starts within P2 max
      exchange: { role: 'requests', answerWindow: (o) => ({ name: 'P2 max', ms: clientOptionsOf(o).timing!.p2MaxMs! }) },
    },
  },
  machine: ({ clock, options }) => ({ machine: createIdeMachine(clock, options) }),
  stimuli: {
    download: {
      description:
        "run a download session now, as a download operator would with the cards in the VU's slots (App. 7 §2.1): the overview, then `transfers` (eventsAndFaults, detailedSpeed, technicalData) and the `card` in a slot (TRTP 06), at `baud`; a `download` record of this device keeps the outcome (ok, refused with the VU's NRC, failed)",
      args: downloadArgs,
      toEvent: (args: DownloadArgs) => ({ type: 'ide.download', args }),
    },
  },
  recordKinds: ideRecordKinds,
  // The IDE's own memory of its sessions: the rig's equipment, read in-process.
  records: (device, rig) => ({
    read: async () => {
      const context = (rig.actor(device)?.getSnapshot() as { context: IdeContext } | undefined)?.context;
      if (!context) throw new Error(`device '${device}' is not emulated: its sessions are not known`);
      return context.sessions.map(sessionRecord);
    },
  }),
};

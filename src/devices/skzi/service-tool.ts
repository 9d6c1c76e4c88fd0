import { assign, enqueueActions, setup } from 'xstate';
import { z } from 'zod';
import { concatBytes, fromHex, toHex } from '../../crypto/bytes.ts';
import type { DeviceKind } from '../../harness/devices/device-kind.ts';
import { freeCode, noCode, type RecordKinds } from '../../harness/devices/record-kinds.ts';
import { CMD, encodeServiceFrame, encodeWriteVehicle, SERVICE_BAUD, serviceLinkCodec, STATUS_TEXT, takeServiceFrames } from '../../protocols/skzi-service-link/service-link.ts';
import { vinSchema } from './schemas.ts';

/**
 * «ШТРИХ-М: ТахоМастер» (or a programmer) on the tachograph's service link (seed 5.5 item 1, 6.45, 6.47): the
 * PC side of the rig's framing (protocols/skzi-service-link). It reads the tachograph's identity, writes VIN and
 * plate, or sends bytes as given (a damaged frame), and records each answer as it decodes it, or the silence
 * when none comes within its answer window. The tachograph's side is nkm-machine.ts (port `service`).
 */
export const serviceToolOptions = z.strictObject({
  /** How long it waits for the tachograph's answer (rig-defined: the seed gives no protocol). */
  answerWindowMs: z.number().int().min(1).default(1000),
});
export type ServiceToolOptions = z.output<typeof serviceToolOptions>;

interface ToolLogEntry {
  kind: 'answer' | 'noAnswer';
  at: number;
  code?: string;
  fields: Record<string, unknown>;
}

interface ToolContext {
  rx: string;
  log: ToolLogEntry[];
  /** What the last request asked (its command, hex), while its answer is awaited. */
  awaiting: string | null;
}

type ToolEvent = { type: 'tool.send'; bytes: Uint8Array; asked: string } | { type: 'port.rx'; port: string; bytes: Uint8Array };

/** An answer frame as the tool reads it: what it says, and its fields. */
function readAnswer(cmd: number, data: Uint8Array): { code: string; fields: Record<string, unknown> } {
  if (cmd === (CMD.readIdentity | 0x80)) {
    const [number1, number2, factoryNo, model] = new TextDecoder().decode(data).split(';');
    return { code: 'identity', fields: { cmd: '0x81', status: null, number1: number1 ?? null, number2: number2 ?? null, factoryNo: factoryNo ?? null, model: model ?? null } };
  }
  const status = data[0] ?? -1;
  return { code: STATUS_TEXT[status] ?? `status 0x${status.toString(16)}`, fields: { cmd: `0x${cmd.toString(16)}`, status, number1: null, number2: null, factoryNo: null, model: null } };
}

export function createServiceToolMachine(options: ServiceToolOptions, now: () => number) {
  return setup({
    types: { context: {} as ToolContext, events: {} as ToolEvent, emitted: {} as { type: 'port.tx'; port: string; bytes: Uint8Array } },
    delays: { answerWindow: () => options.answerWindowMs },
    actions: {
      send: enqueueActions(({ event, enqueue }) => {
        if (event.type !== 'tool.send') return;
        enqueue.assign({ awaiting: event.asked });
        enqueue.emit({ type: 'port.tx', port: 'tachograph', bytes: event.bytes });
      }),
      receive: assign(({ context, event }) => {
        if (event.type !== 'port.rx') return {};
        const { frames, rest } = takeServiceFrames(concatBytes(fromHex(context.rx), event.bytes));
        const entries = frames.map((f): ToolLogEntry => ({ kind: 'answer', at: now(), ...readAnswer(f.cmd, f.data) }));
        return { rx: toHex(rest), log: [...context.log, ...entries], awaiting: entries.length ? null : context.awaiting };
      }),
      silence: assign(({ context }) => ({ log: [...context.log, { kind: 'noAnswer' as const, at: now(), fields: { asked: context.awaiting ?? '' } }], awaiting: null })),
    },
    guards: { answered: ({ context }) => context.awaiting === null },
  }).createMachine({
    id: 'skzi-service-tool',
    context: { rx: '', log: [], awaiting: null },
    initial: 'idle',
    on: { 'port.rx': { actions: 'receive' } },
    states: {
      idle: { on: { 'tool.send': { target: 'waiting', actions: 'send' } } },
      waiting: {
        on: {
          'port.rx': { actions: 'receive', target: 'answered' },
          'tool.send': { target: 'waiting', reenter: true, actions: 'send' },
        },
        after: { answerWindow: { target: 'idle', actions: 'silence' } },
      },
      answered: { always: [{ guard: 'answered', target: 'idle' }, { target: 'waiting' }] },
    },
  });
}

const atTool = 'what ТахоМастер showed: the emulation keeps its log';

export const serviceToolRecordKinds: RecordKinds = {
  answer: {
    description: "an answer of the tachograph on the service link as ТахоМастер read it: identity, or a status in the rig's words (done, a card is inserted, malformed data, unknown command, bad checksum)",
    code: freeCode(z.string(), 'identity, or the status text'),
    time: 'instant',
    fields: z.strictObject({ cmd: z.string(), status: z.number().int().nullable(), number1: z.string().nullable(), number2: z.string().nullable(), factoryNo: z.string().nullable(), model: z.string().nullable() }),
    emulatedOnly: atTool,
  },
  noAnswer: { description: 'no answer within answerWindowMs', code: noCode, time: 'instant', fields: z.strictObject({ asked: z.string() }), emulatedOnly: atTool },
};

export const serviceToolKind: DeviceKind<ServiceToolOptions> = {
  kind: 'skzi-service-tool',
  description: '«ШТРИХ-М: ТахоМастер» / a programmer on the service link of a ШТРИХ-ТахоRUS (the rig framing): reads its identity, writes VIN and plate',
  options: serviceToolOptions as unknown as z.ZodType<ServiceToolOptions>,
  ports: {
    tachograph: {
      description: "the tachograph's service port (protocols/skzi-service-link), 9600 baud",
      baud: SERVICE_BAUD,
      codec: serviceLinkCodec,
      exchange: { role: 'requests', answerWindow: (o) => ({ name: 'answerWindowMs', ms: serviceToolOptions.parse(o ?? {}).answerWindowMs }) },
    },
  },
  machine: ({ options, clock }) => ({ machine: createServiceToolMachine(options, () => clock.now()) }),
  stimuli: {
    readIdentity: { description: 'READ_IDENTITY: the tachograph\'s «Номер 1», «Номер 2», the block\'s number and model', args: z.strictObject({}), toEvent: () => ({ type: 'tool.send', bytes: encodeServiceFrame(CMD.readIdentity), asked: '0x01' }) },
    writeVehicle: {
      description: '5.5 item 1: WRITE_VEHICLE, VIN and plate (ГРЗ) into the tachograph, with no card inserted',
      args: z.strictObject({ vin: vinSchema, vrn: z.string().min(1) }),
      toEvent: (a: { vin: string; vrn: string }) => ({ type: 'tool.send', bytes: encodeWriteVehicle(a.vin, a.vrn), asked: '0x10' }),
    },
    sendBytes: {
      description: 'send these bytes as they are (hex): a damaged frame, a command the tachograph does not know',
      args: z.strictObject({ hex: z.string().regex(/^([0-9a-fA-F]{2})+$/) }),
      toEvent: (a: { hex: string }) => ({ type: 'tool.send', bytes: fromHex(a.hex.toLowerCase()), asked: a.hex.toLowerCase() }),
    },
  },
  recordKinds: serviceToolRecordKinds,
  records: (device, rig) => ({
    read: async () => {
      const actor = rig.actor(device);
      if (!actor) throw new Error(`skzi-service-tool '${device}' is not emulated: what it showed is not reachable`);
      const { log } = (actor.getSnapshot() as { context: ToolContext }).context;
      return log.map((e) => ({ kind: e.kind, at: e.at, ...(e.code !== undefined ? { code: e.code } : {}), fields: e.fields }));
    },
  }),
};

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TEST_PKI_DEFAULT_SEED } from '../../../crypto/pki/test-pki.ts';
import { createRng } from '../../../crypto/random.ts';
import { FRAMING_8N1, NO_FAULTS } from '../../../harness/links/index.ts';
import { Rig, type RigPlan } from '../../../harness/rig/rig-runtime.ts';
import { encodeCardCurrentUse } from '../../../protocols/card-files/index.ts';
import { CardEmulator } from '../../cards/emulator/card-emulator.ts';
import { writeEf } from '../../cards/emulator/card-memory.ts';
import type { VirtualCard } from '../../cards/card-schema.ts';
import { acme, anna, wendy } from '../../cards/test-cards.ts';
import { listRecords } from '../data-memory/event-store.ts';
import { motionSensorKind } from '../../motion-sensor/index.ts';
import { vuKind } from '../index.ts';
import { vuOptionsSchema } from '../vu-options.ts';
import { authenticateCard, closeCardSessionOf } from './card-authentication.ts';

const AT = Date.UTC(2026, 2, 2, 8);
const vu = (at = AT) => ({ pkiSeed: TEST_PKI_DEFAULT_SEED, at, rng: createRng(1, 'vu') });
const open = (at: number) => ({ open: { at, vehicleRegistrationNation: 6, vehicleRegistrationNumber: 'B-RIG-001' } });
const device = (card: VirtualCard = anna) => new CardEmulator(card, { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(2, 'card') });

describe('the card session data (EF Current_Usage) at insertion and before release (Annex IC 145, 150, 77)', () => {
  it('opens a session in both applications; a session found open is reported; a closed one is not', () => {
    const card = device();
    expect(authenticateCard(anna, { ...vu(), cardSession: open(AT) }, card)).toEqual({ ok: true });
    const session = '69a54380' + '06' + '01' + '422d5249472d303031' + '20202020';
    expect([card.memory.files['tachograph-g2/0507'], card.memory.files['tachograph/0507']]).toEqual([session, session]);
    // inserted again without the session closed (the card pulled before the VU could write): the old session
    expect(authenticateCard(anna, { ...vu(AT + 3_600_000), cardSession: open(AT + 3_600_000) }, card)).toEqual({
      ok: true,
      lastSession: { insertion: AT, vehicleRegistrationNation: 6, vehicleRegistrationNumber: 'B-RIG-001', vuGeneration: 2 },
    });
    // closed before release: App. 2's default content in both, and the next insertion finds none
    expect(closeCardSessionOf(anna, vu(AT + 7_200_000), card)).toEqual({ ok: true });
    const none = '00000000' + '00' + '00' + '20'.repeat(13);
    expect([card.memory.files['tachograph-g2/0507'], card.memory.files['tachograph/0507']]).toEqual([none, none]);
    expect(authenticateCard(anna, { ...vu(), cardSession: open(AT + 9_000_000) }, card)).toEqual({ ok: true });
  });

  it('a session left open by a gen1 VU (DF Tachograph alone) is reported with generation 1; a workshop card has session data too', () => {
    const written = writeEf(device().memory, 'tachograph', 0x0507, 0, encodeCardCurrentUse({ sessionOpenTime: AT - 86_400_000, vehicleRegistrationNation: 0x0d, vehicleRegistrationNumber: 'D-XY 9' }));
    const card = new CardEmulator(anna, { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(2, 'card'), memory: written });
    expect(authenticateCard(anna, { ...vu(), cardSession: open(AT) }, card)).toEqual({
      ok: true,
      lastSession: { insertion: AT - 86_400_000, vehicleRegistrationNation: 0x0d, vehicleRegistrationNumber: 'D-XY 9', vuGeneration: 1 },
    });
    const workshop = device(wendy);
    expect(authenticateCard(wendy, { ...vu(), cardSession: open(AT) }, workshop)).toEqual({ ok: true });
    expect(authenticateCard(wendy, { ...vu(), cardSession: open(AT) }, workshop)).toMatchObject({ ok: true, lastSession: { insertion: AT } });
    // a company card keeps no session data: nothing is read or written
    const company = device(acme);
    expect(authenticateCard(acme, { ...vu(), cardSession: open(AT) }, company)).toEqual({ ok: true });
    expect(company.memory.files['tachograph-g2/0507']).toBeUndefined();
  });
});

describe('a VU records 0x06 for a card whose last session was not closed, and not for one it closed', () => {
  const link = (id: string, ends: [string, string]) => ({ id, ends, transport: 'memory' as const, baud: 9600, framing: FRAMING_8N1, pacing: true, faults: NO_FAULTS, deliveryQuantumMs: 0 });
  const plan = (): RigPlan => ({
    name: 'card-session',
    clock: 'virtual',
    seed: 1,
    devices: [
      { name: 'vu', kind: vuKind, mode: 'emulated', options: vuOptionsSchema.parse({}) },
      { name: 'sensor', kind: motionSensorKind, mode: 'emulated', options: motionSensorKind.options.parse({}) },
    ],
    links: [link('pulses', ['sensor.pulses', 'vu.pulses'])],
  });
  const events = (rig: Rig) => listRecords((rig.actor('vu')!.getSnapshot() as { context: { events: Parameters<typeof listRecords>[0] } }).context.events, rig.clock.now() / 1000);

  it('a card withdrawn from this VU and inserted again: no 0x06; a card carried from a VU that never closed its session: 0x06 with that session', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'card-session-'));
    const card = { ...anna, memoryFile: join(dir, 'anna.card.json') };
    const T0 = Date.UTC(2026, 2, 2, 6);
    try {
      const first = await Rig.start(plan(), { start: T0 });
      try {
        first.host.stimulate('vu', 'insertCard', { slot: 'driver', card });
        await first.clock.advance(60_000);
        first.host.stimulate('vu', 'withdrawCard', { slot: 'driver' });
        await first.clock.advance(60_000);
        first.host.stimulate('vu', 'insertCard', { slot: 'driver', card });
        await first.clock.advance(60_000);
        // closed at the withdrawal: the second insertion finds no session open
        expect(events(first).filter((r) => r.type === 0x06)).toEqual([]);
        // the run ends with the card in the slot: its session stays open on the card
      } finally {
        await first.close();
      }
      const second = await Rig.start(plan(), { start: T0 + 3_600_000 });
      try {
        second.host.stimulate('vu', 'insertCard', { slot: 'driver', card });
        await second.clock.advance(1_000);
        expect(events(second).map((r) => [r.type, r.begin, r.data])).toEqual([
          [0x06, (T0 + 3_600_000) / 1000, { lastSessionInsertion: (T0 + 120_000) / 1000, lastVehicleRegistrationNation: 6, lastVehicleRegistrationNumber: 'B-RIG-001', lastVuGeneration: 2 }],
        ]);
      } finally {
        await second.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

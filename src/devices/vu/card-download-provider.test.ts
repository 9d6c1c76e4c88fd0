import { describe, expect, it } from 'vitest';
import { TEST_PKI_DEFAULT_SEED } from '../../crypto/pki/test-pki.ts';
import { createRng } from '../../crypto/random.ts';
import type { DownloadSigner } from '../../protocols/app7-records/index.ts';
import { CardEmulator } from '../cards/emulator/card-emulator.ts';
import { anna } from '../cards/test-cards.ts';
import type { VirtualCard } from '../cards/card.ts';
import { createCardSlots } from './cards/card-slots.ts';
import { vuDownloadProvider, type CardDownloadAccess } from './download-provider.ts';
import { createVuClock } from './time/vu-clock.ts';
import type { VuContext } from './vu-machine.ts';

/**
 * TRTP 06 (DDP_047-051) with the card's writes (Annex IC 146, 149): what the VU's data side answers, and what it
 * reports to the VU machine (vu-machine.ts cardDownloadAccess turns a report into the card fault 0x40).
 */
const NOW = Date.UTC(2026, 2, 2, 8, 30);
const context = { slots: { ...createCardSlots(), driver: { card: anna, valid: true, iw: null } }, clock: createVuClock(NOW), options: { pki: { seed: TEST_PKI_DEFAULT_SEED } }, downloadSession: null } as unknown as VuContext;
/** Anna's card; `failPlainUpdates`: its memory refuses every plain UPDATE BINARY (the download's LastCardDownload, DDP_051). */
const access = (open: 'port' | 'store-failed', failPlainUpdates: boolean) => {
  const device = new CardEmulator(anna, { pkiSeed: TEST_PKI_DEFAULT_SEED, rng: createRng(1, 'card') });
  const failed: { card: VirtualCard; detail: string }[] = [];
  const a: CardDownloadAccess = {
    open: () => (open === 'store-failed' ? { writeFailed: 'secured UPDATE of CardCurrentUse: 6581 after 3 retries (Annex IC 149)' } : (b) => (failPlainUpdates && b[0] === 0x00 && b[1] === 0xd6 ? Uint8Array.of(0x65, 0x81) : device.transmit(b))),
    writeFailed: (card, detail) => failed.push({ card, detail }),
  };
  return { a, failed };
};
const download = (a: CardDownloadAccess) => vuDownloadProvider(context, NOW, {} as DownloadSigner, undefined, a).transferData({ trtp: 0x06, slot: 1 } as never);

describe('TRTP 06 and the card that cannot be written', () => {
  it('positive control: the card file given, nothing reported', () => {
    const { a, failed } = access('port', false);
    expect(download(a)).toMatchObject({ ok: true, trep: 0x06 });
    expect(failed).toEqual([]);
  });

  it('the session store refused (the card faulty and non-valid now): no download, FA (DDP_018)', () => {
    const { a } = access('store-failed', false);
    expect(download(a)).toEqual({ ok: false, nrc: 0xfa });
  });

  it('LastCardDownload refused after three retries: the file still given, the card reported faulty (Annex IC 149)', () => {
    const { a, failed } = access('port', true);
    expect(download(a)).toMatchObject({ ok: true, trep: 0x06 });
    expect(failed).toEqual([{ card: anna, detail: 'UPDATE BINARY LastCardDownload (tachograph): 6581 after 3 retries (Annex IC 149)' }]);
  });
});

import { describe, expect, it } from 'vitest';
import { fromHex } from '../../crypto/index.ts';
import { motionSensorLinkCodec, pulseCodec } from './port-codecs.ts';

describe('trace codecs', () => {
  const link = motionSensorLinkCodec();

  it('names frames and negative replies, and refuses malformed ones with the reason', () => {
    const d = link.createDeframer();
    const [a, b] = d.push(fromHex('a54000e5' + '5a7f024103' + '1f'));
    expect(link.describe(a!)).toEqual({ direction: 'request', instruction: '40', name: 'serial number request', payload: '' });
    expect(link.describe(b!)).toEqual({ direction: 'reply', instruction: '7f', name: 'negative reply', payload: '4103', refused: '41', reason: 'VU not authenticated: E(KID, Ns) matches no stored encryption' });
    expect(() => link.describe(fromHex('a54000e6'))).toThrow('bad-checksum: checksum e6 but the bytes sum to e5');
  });

  it('describes pulse frames', () => {
    const [f] = pulseCodec.createDeframer().push(fromHex('5000fa4a'));
    expect(pulseCodec.describe(f!)).toEqual({ pulses: 250 });
    expect(() => pulseCodec.describe(fromHex('5000fa4b'))).toThrow('pulse frame checksum does not match');
    expect(pulseCodec.describe(fromHex('43412e848000000000b6'))).toEqual({ noSignalFrom: '1970-01-01T00:16:40.000Z' });
  });
});

import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import type { PortTxEmitted } from '../../harness/devices/device-kind.ts';
import { serialSwitchMachine, serialSwitchOptions } from './index.ts';

function bench(position?: 'a' | 'b' | 'none') {
  const actor = createActor(serialSwitchMachine(serialSwitchOptions.parse(position ? { position } : {})));
  const out: string[] = [];
  actor.on('port.tx', (e: PortTxEmitted) => out.push(`${e.port} ${Buffer.from(e.bytes).toString('hex')}`));
  actor.start();
  const rx = (port: string, hex: string) => actor.send({ type: 'port.rx', port, bytes: Uint8Array.from(Buffer.from(hex, 'hex')) });
  return { actor, out, rx };
}

describe('serial A/B switch', () => {
  it('joins common to a by default, both ways; b is not heard', () => {
    const s = bench();
    s.rx('common', '0102');
    s.rx('a', '0304');
    s.rx('b', '0506');
    expect(s.out).toEqual(['a 0102', 'common 0304']);
  });

  it('turned to b, joins common to b; turned to none, joins nothing', () => {
    const s = bench();
    s.actor.send({ type: 'select', position: 'b' });
    s.rx('common', '01');
    s.rx('a', '02');
    s.rx('b', '03');
    s.actor.send({ type: 'select', position: 'none' });
    s.rx('common', '04');
    s.rx('a', '05');
    s.rx('b', '06');
    expect(s.out).toEqual(['b 01', 'common 03']);
  });

  it('starts where its option says', () => {
    const s = bench('none');
    s.rx('common', '01');
    expect(s.out).toEqual([]);
  });
});

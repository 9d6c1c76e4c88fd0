import { setup } from 'xstate';
import { z } from 'zod';
import type { DeviceKind } from '../../harness/devices/device-kind.ts';
import { app7PortCodec } from '../../protocols/app7/index.ts';

/**
 * The rig's intelligent dedicated equipment (IDE, App. 7): the download key plugged into a VU's front
 * connector. It has no behaviour of its own: the rig's download client (src/harness/download/) drives its
 * port when a record source or `rig download` reads a VU, emulated or real. Declaring it as a device puts
 * the VU's download line in the rig file like any other link, so a bench maps it to an adapter.
 */
const idleMachine = setup({}).createMachine({ id: 'ide' });

export const ideKind: DeviceKind<Record<string, never>> = {
  kind: 'ide',
  description: "the rig's download equipment (App. 7 IDE): its port is driven by the download client",
  options: z.strictObject({}),
  ports: { vu: { description: "to the VU's download port", baud: 9600, codec: app7PortCodec } },
  machine: () => ({ machine: idleMachine }),
  stimuli: {},
};

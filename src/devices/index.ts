import type { DeviceKind } from '../harness/devices/device-kind.ts';

/**
 * The product's device kinds. Each device lives in its own folder (vu/, motion-sensor/, gnss/, dsrc/,
 * seal/) and is added here when it lands.
 */
export const deviceKinds: DeviceKind<any>[] = [];

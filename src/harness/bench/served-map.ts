import type { TimeBase } from '../clock/time-base.ts';
import { HARDWARE_MAP_VERSION, type HardwareMap } from './hardware-map.ts';

/**
 * `rig serve --write-map`: the hardware map of a stand-in. Each line the served devices leave open is an adapter
 * named after the served device's port (`vu.download` → `vu-download`), as a bench names the USB-serial adapter
 * on that connector, so a bench rig file's `adapter:vu-download` reaches the stand-in as it reaches a real VU.
 */
export interface ServedEnd {
  /** The outside device's end (the bench's side of the line). */
  device: string;
  port: string;
  /** Where outside equipment opens it. */
  path: string;
  /** The served device's port on the other end, `device.port`. */
  peer: string;
}

/**
 * The served lines as a hardware map (version 1): a bench rig file's `adapter:` paths resolve through it. A
 * server on a scaled time base writes it too, so the rig testing it runs on the same one.
 */
export function servedHardwareMap(ends: readonly ServedEnd[], timeBase?: TimeBase): HardwareMap {
  const map: HardwareMap = { version: HARDWARE_MAP_VERSION, adapters: ends.map((e) => ({ name: e.peer.replace('.', '-'), path: e.path, loopback: false })) };
  if (timeBase && timeBase.scale !== 1) map.timeBase = { ...timeBase };
  return map;
}

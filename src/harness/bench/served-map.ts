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

export interface MapAdapter {
  name: string;
  path: string;
  loopback?: boolean;
}

export function servedAdapters(ends: readonly ServedEnd[]): MapAdapter[] {
  return ends.map((e) => ({ name: e.peer.replace('.', '-'), path: e.path }));
}

/** The map file's text (version 1: `adapters: [{ name, path, ... }]`). */
export function hardwareMapText(adapters: readonly MapAdapter[], comment: string): string {
  const lines = [`# ${comment}`, 'version: 1', 'adapters:'];
  for (const a of adapters) lines.push(`  - { name: ${a.name}, path: ${JSON.stringify(a.path)} }`);
  return lines.join('\n') + '\n';
}

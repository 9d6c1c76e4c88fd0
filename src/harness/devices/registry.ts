import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { DeviceKind } from './device-kind.ts';

/** The device kinds a rig can use: the product's own, plus any a rig file loads from its `modules`. */
export class DeviceRegistry {
  private kinds = new Map<string, DeviceKind<any>>();

  constructor(kinds: readonly DeviceKind<any>[] = []) {
    for (const k of kinds) this.register(k);
  }

  register(kind: DeviceKind<any>): void {
    const existing = this.kinds.get(kind.kind);
    if (existing && existing !== kind) throw new Error(`device kind '${kind.kind}' is registered twice`);
    // a record source without its declaration would let a misspelt kind or field match nothing unseen
    if (kind.records && !kind.recordKinds) throw new Error(`device kind '${kind.kind}' has a record source but declares no recordKinds`);
    this.kinds.set(kind.kind, kind);
  }

  get(kind: string): DeviceKind<any> | undefined {
    return this.kinds.get(kind);
  }

  names(): string[] {
    return [...this.kinds.keys()].sort();
  }

  /** A copy with more kinds, leaving this one as it was. */
  with(kinds: readonly DeviceKind<any>[]): DeviceRegistry {
    const copy = new DeviceRegistry([...this.kinds.values()]);
    for (const k of kinds) copy.register(k);
    return copy;
  }
}

/**
 * Loads device kinds from modules (a bench's own devices, or the test-only devices of the rig's own tests).
 * A module exports `deviceKinds: DeviceKind[]`.
 */
export async function loadDeviceModules(paths: readonly string[], baseDir: string): Promise<DeviceKind<any>[]> {
  const out: DeviceKind<any>[] = [];
  for (const p of paths) {
    const file = resolve(baseDir, p);
    let mod: { deviceKinds?: unknown };
    try {
      mod = await import(pathToFileURL(file).href);
    } catch (error) {
      throw new Error(`cannot load device module ${file}: ${(error as Error).message}`);
    }
    if (!Array.isArray(mod.deviceKinds)) throw new Error(`device module ${file} does not export deviceKinds: DeviceKind[]`);
    out.push(...(mod.deviceKinds as DeviceKind<any>[]));
  }
  return out;
}

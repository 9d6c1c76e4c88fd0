/**
 * The tanker's tank, part of the world (issue 19): what is in each compartment now. An on-board terminal's
 * level sensors read it; a scenario sets it (a loading, a drain while parked). Compartments are numbered
 * 1..6, as NDTP's Type 13 cells number them. A compartment nobody filled is empty.
 */
export interface Compartment {
  /** Fill level, fraction of the compartment's height, 0..1. */
  level: number;
  /** Product temperature, °C. */
  temperatureC: number;
  /** Alcohol strength, % by volume. */
  strength: number;
}

export const MAX_TANK_COMPARTMENTS = 6;
export const EMPTY_COMPARTMENT: Compartment = { level: 0, temperatureC: 20, strength: 0 };

export class Tank {
  private readonly compartments = new Map<number, Compartment>();

  /** What compartment n holds now (a copy). */
  compartment(n: number): Compartment {
    return { ...(this.compartments.get(n) ?? EMPTY_COMPARTMENT) };
  }

  /** Changes what compartment n holds from now on; unnamed properties stay as they were. */
  set(n: number, patch: Partial<Compartment>): void {
    if (!Number.isInteger(n) || n < 1 || n > MAX_TANK_COMPARTMENTS) throw new RangeError(`compartment ${n}: the tank has 1..${MAX_TANK_COMPARTMENTS}`);
    if (patch.level !== undefined && !(patch.level >= 0 && patch.level <= 1)) throw new RangeError(`level ${patch.level}: a fraction 0..1`);
    this.compartments.set(n, { ...this.compartment(n), ...patch });
  }
}

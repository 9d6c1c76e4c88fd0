/**
 * Durations in scenario files: a number of milliseconds, or a string of one or more `<number><unit>` parts
 * (`500ms`, `10s`, `3h`, `1h30m`, `31d`). Units: ms, s, m (minutes), h, d.
 */
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;

export function parseDuration(input: number | string): number {
  if (typeof input === 'number') {
    if (!Number.isFinite(input) || input < 0) throw new RangeError(`a duration must be a non-negative number of ms, got ${input}`);
    return input;
  }
  const text = input.replace(/\s+/g, '');
  if (text === '') throw new RangeError('empty duration');
  PART.lastIndex = 0;
  let total = 0;
  let consumed = 0;
  for (let m = PART.exec(text); m; m = PART.exec(text)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    consumed = PART.lastIndex;
  }
  if (consumed !== text.length) throw new RangeError(`'${input}' is not a duration (examples: 500ms, 10s, 1h30m, 31d)`);
  return total;
}

export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  // a bench window widened before the start (bench-adapt.ts widenWindows)
  if (ms < 0) return `-${formatDuration(-ms)}`;
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['d', 86_400_000], ['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(`${Number(rest.toFixed(3))}ms`);
  return parts.join('');
}

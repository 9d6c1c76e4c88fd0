/**
 * Counts the work JavaScript's built-ins do during one synchronous call: elements copied (Array and typed
 * array slice, from, concat, set), elements walked by spread and for..of, views made (subarray), and bytes
 * allocated by `new Uint8Array(n)`. Deterministic, unlike a stopwatch, so a test can hold a decoder to a
 * linear bound without timing it (the team's rule: speed is a benchmark's figure, never a test's).
 *
 * Quadratic decoders show up here because their extra work goes through these built-ins: re-slicing the
 * rest of a buffer after every frame, concatenating onto a growing array, or making a record view per
 * record a length field announces. Test code only: it patches prototypes for the length of the call.
 */
export function workOf(run: () => unknown): number {
  let work = 0;
  const restore: (() => void)[] = [];
  const patch = <T extends object>(target: T, key: PropertyKey, make: (original: any) => unknown) => {
    const original = (target as any)[key];
    (target as any)[key] = make(original);
    restore.push(() => ((target as any)[key] = original));
  };
  const TypedArray = Object.getPrototypeOf(Uint8Array) as { from: (...a: unknown[]) => ArrayLike<number>; prototype: object };
  const lengthOfResult = (original: (...a: unknown[]) => ArrayLike<number>) =>
    function (this: unknown, ...args: unknown[]) {
      const out = original.apply(this, args);
      work += out.length;
      return out;
    };
  const countingIterator = (original: () => Iterator<unknown>) =>
    function (this: unknown) {
      const it = original.call(this);
      return {
        next() {
          const r = it.next();
          if (!r.done) work++;
          return r;
        },
        [Symbol.iterator]() {
          return this;
        },
      };
    };
  patch(Array.prototype, 'slice', lengthOfResult);
  patch(Array.prototype, 'concat', lengthOfResult);
  patch(Array, 'from', lengthOfResult);
  patch(Array.prototype, Symbol.iterator, countingIterator);
  patch(TypedArray.prototype, 'slice', lengthOfResult);
  patch(TypedArray, 'from', lengthOfResult);
  patch(TypedArray.prototype, Symbol.iterator, countingIterator);
  patch(TypedArray.prototype, 'subarray', (original: (...a: unknown[]) => unknown) =>
    function (this: unknown, ...args: unknown[]) {
      work++;
      return original.apply(this, args);
    },
  );
  patch(TypedArray.prototype, 'set', (original: (source: ArrayLike<number>, offset?: number) => void) =>
    function (this: unknown, source: ArrayLike<number>, offset?: number) {
      work += source.length;
      return original.call(this, source, offset);
    },
  );
  patch(globalThis, 'Uint8Array', (original: Uint8ArrayConstructor) =>
    new Proxy(original, {
      construct(target, args, newTarget) {
        if (typeof args[0] === 'number') work += args[0];
        return Reflect.construct(target, args, newTarget);
      },
    }),
  );
  try {
    run();
  } finally {
    for (const undo of restore.reverse()) undo();
  }
  return work;
}

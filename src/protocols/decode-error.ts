/**
 * The one error a decoder of this folder may throw on bytes from outside: a device under test, a line, a
 * file. Each codec family has its own subclass (App7FrameError, DddError, NmeaError, ...) so a caller can
 * tell "these bytes are wrong" from a bug in the rig, which stays a TypeError or RangeError and must not be
 * caught as bad input. The fuzz tests (`*.fuzz.test.ts`) hold every decoder to this: whatever the bytes,
 * the decoder returns or throws its family's DecodeError.
 */
export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}


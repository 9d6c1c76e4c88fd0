/** Splits a byte stream into frames. Stateful: bytes of a frame may arrive in several chunks. */
export interface Deframer {
  push(bytes: Uint8Array): Uint8Array[];
}

/** A pure codec for the frames on one port, used by the trace (and by devices, which import it directly). */
export interface PortCodec {
  name: string;
  createDeframer(): Deframer;
  /** A JSON-able description of one frame, for the trace. Throws (with a reason) on a malformed frame. */
  describe(frame: Uint8Array): unknown;
}

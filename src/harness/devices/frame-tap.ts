import type { Trace } from '../trace/index.ts';
import { toHex } from '../trace/index.ts';
import type { Deframer, PortCodec } from './device-kind.ts';

/**
 * Watches the bytes one port sends and records them in the trace as frames: split and described by the
 * port's codec where it has one, otherwise one entry per chunk. Raw hex is always kept, so a frame the codec
 * rejects is still visible with the reason.
 */
export class FrameTap {
  private deframer?: Deframer;

  constructor(
    private readonly trace: Trace,
    private readonly route: { link: string; from: string; to: string },
    private readonly codec?: PortCodec,
    /** 'count': the link's frames are only counted (its `trace` setting). */
    private readonly level: 'frames' | 'count' = 'frames',
  ) {
    this.deframer = codec?.createDeframer();
  }

  push(bytes: Uint8Array): void {
    if (this.level === 'count' || !this.trace.detailed) return this.countOnly(bytes);
    if (!this.codec || !this.deframer) {
      this.trace.record({ kind: 'frame', ...this.route, hex: toHex(bytes) });
      return;
    }
    let frames: Uint8Array[];
    try {
      frames = this.deframer.push(bytes);
    } catch (error) {
      // A deframer that chokes must not hide the bytes: record them raw and start afresh.
      this.trace.record({ kind: 'frame', ...this.route, hex: toHex(bytes), codec: this.codec.name, decodeError: String(error) });
      this.deframer = this.codec.createDeframer();
      return;
    }
    for (const frame of frames) {
      try {
        this.trace.record({ kind: 'frame', ...this.route, hex: toHex(frame), codec: this.codec.name, decoded: this.codec.describe(frame) });
      } catch (error) {
        this.trace.record({ kind: 'frame', ...this.route, hex: toHex(frame), codec: this.codec.name, decodeError: (error as Error).message ?? String(error) });
      }
    }
  }

  /** Nobody reads the frames (or the link asks only for a count): split them only to count them. */
  private countOnly(bytes: Uint8Array): void {
    let frames = 1;
    if (this.deframer) {
      try {
        frames = this.deframer.push(bytes).length;
      } catch {
        this.deframer = this.codec!.createDeframer();
      }
    }
    for (let i = 0; i < frames; i++) this.trace.count('frame');
  }
}

import type { Link, LinkOptions } from '../links/index.ts';
import { MemoryLink, type LinkContext } from '../links/index.ts';

export interface LinkSpec extends LinkOptions {
  transport: Link['transport'];
  /** OS paths per port, for pty and serial ends. */
  paths?: Record<string, string>;
}

/** Builds the link a rig file describes. `local` says which ends belong to emulated devices. */
export function createLink(spec: LinkSpec, context: LinkContext, local: [boolean, boolean]): Link {
  switch (spec.transport) {
    case 'memory':
      if (!local[0] || !local[1]) throw new Error(`link ${spec.id}: a memory link cannot reach an external device; use pty or serial`);
      return new MemoryLink(spec, context);
    default:
      throw new Error(`link ${spec.id}: transport '${spec.transport}' is not wired yet`);
  }
}

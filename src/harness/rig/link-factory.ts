import { dirname, join } from 'node:path';
import type { Link, LinkOptions } from '../links/index.ts';
import { MemoryLink, PtyLink, SerialLink, TcpLink, type LinkContext } from '../links/index.ts';

export interface LinkSpec extends LinkOptions {
  transport: Link['transport'];
  /** OS paths per port, for pty and serial ends. */
  paths?: Record<string, string>;
}

/** Builds the link a rig file describes. `local` says which ends belong to emulated devices. */
export function createLink(spec: LinkSpec, context: LinkContext, local: [boolean, boolean]): Link {
  const paths = spec.ends.map((port) => spec.paths?.[port]) as [string | undefined, string | undefined];
  switch (spec.transport) {
    case 'memory':
      if (!local[0] || !local[1]) throw new Error(`link ${spec.id}: a memory link cannot reach an external device; use pty or serial`);
      return new MemoryLink(spec, context);
    case 'pty':
      return new PtyLink(spec, context, { local, paths: ptyPaths(spec.ends, paths) });
    case 'serial':
      // An external end has no path: it is the real device on the far side of the adapter's cable.
      return new SerialLink(spec, context, { paths: [local[0] ? paths[0] : undefined, local[1] ? paths[1] : undefined] });
    case 'tcp':
      // issue 19: the second end listens (a free loopback port, or its path tcp://host:port), the first connects
      return new TcpLink(spec, context, { local, paths });
  }
}

/**
 * A rig file may fix where a pty pair's links appear (so an external tool knows where to look). When it
 * names only one end, the other goes beside it under its port name; when it names none, a temp dir is used.
 */
function ptyPaths(ends: [string, string], paths: [string | undefined, string | undefined]): [string, string] | undefined {
  if (!paths[0] && !paths[1]) return undefined;
  const dir = dirname((paths[0] ?? paths[1])!);
  return [paths[0] ?? join(dir, ends[0]), paths[1] ?? join(dir, ends[1])];
}

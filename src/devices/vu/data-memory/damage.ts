/**
 * Damage to a data memory's stored bytes, as a memory cell gone bad or a byte changed by hand would do it: the
 * lowest bit of one byte in the middle of a part's body flipped. The rig's `damageDataMemory` stimulus and the
 * tests use it; the VU finds it with the part's MAC (persistence.ts) and records 0x15.
 */
export function damagePart(bytes: Uint8Array, part: string): Buffer {
  const data = Buffer.from(bytes);
  const names: string[] = [];
  let body: { start: number; end: number } | null = null;
  for (let pos = data.indexOf(0x0a) + 1; pos > 0 && pos < data.length; ) {
    const end = data.indexOf(0x0a, pos);
    const next = end < 0 ? data.length : end + 1;
    if (data[pos] === 0x7b && data[pos + 1] === 0x22) {
      if (body && body.end < 0) body.end = pos;
      const name = partName(data.subarray(pos, end < 0 ? data.length : end));
      if (name !== undefined) names.push(name);
      if (name === part && !body) body = { start: next, end: -1 };
    }
    pos = next;
  }
  if (!body) throw new Error(`no part '${part}' in the data memory; it has: ${names.join(', ') || 'none'}`);
  const end = body.end < 0 ? data.length : body.end;
  let at = body.start + Math.floor((end - body.start) / 2);
  while (at < end && data[at] === 0x0a) at++;
  if (at >= end) throw new Error(`part '${part}' of the data memory has no byte to damage`);
  data[at] = data[at]! ^ 0x01;
  return data;
}

function partName(line: Buffer): string | undefined {
  try {
    const header = JSON.parse(line.toString('utf8')) as { part?: unknown };
    return typeof header.part === 'string' ? header.part : undefined;
  } catch {
    return undefined;
  }
}

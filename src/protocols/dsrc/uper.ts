import { DsrcDecodeError } from './dsrc-error.ts';

/**
 * A small, table-driven UNALIGNED PER codec (ITU-T X.691, the "UNALIGNED" variant: no padding between
 * fields) for exactly the ASN.1 forms the App. 14 interrogation uses (DSC_43): BOOLEAN, constrained INTEGER
 * (extensible or not), fixed BIT STRING, OCTET STRING (size-constrained or not), SEQUENCE with OPTIONAL
 * components, SEQUENCE OF with a size constraint, CHOICE and OBJECT IDENTIFIER. A type is a plain object
 * ({@link UperType}) and one encoder and one decoder walk it. No npm library does PER, hence this.
 *
 * Not covered (the App. 14 types never need them): extension additions (a set extension bit is decoded as an
 * error, and a value outside an extensible root is refused when encoding), unconstrained or semi-constrained
 * INTEGER, fragmented lengths (>= 16K), REAL, strings other than OCTET STRING.
 */
export type UperType =
  | { kind: 'boolean' }
  | { kind: 'integer'; min: number; max: number; extensible?: boolean }
  | { kind: 'bitString'; size: number }
  | { kind: 'octetString'; size?: SizeConstraint }
  | { kind: 'sequence'; fields: readonly UperField[] }
  | { kind: 'sequenceOf'; size: SizeConstraint; item: UperType }
  | { kind: 'choice'; rootCount: number; extensible?: boolean; alternatives: Readonly<Record<number, { name: string; type: UperType }>> }
  | { kind: 'objectIdentifier' };

export interface SizeConstraint {
  min: number;
  max: number;
  extensible?: boolean;
}

export interface UperField {
  name: string;
  type: UperType;
  optional?: boolean;
}

/**
 * Values: boolean; number (INTEGER, and a BIT STRING as its unsigned value); Uint8Array (OCTET STRING);
 * arcs (OBJECT IDENTIFIER); an object of field values (SEQUENCE, absent OPTIONAL = undefined); an array
 * (SEQUENCE OF); { choice, value } (CHOICE).
 */
export type UperValue = boolean | number | Uint8Array | readonly number[] | UperSequence | readonly UperValue[] | UperChoice;
export interface UperSequence {
  readonly [field: string]: UperValue | undefined;
}
export interface UperChoice {
  readonly choice: string;
  readonly value: UperValue;
}

export class BitWriter {
  private readonly bits: number[] = [];

  write(value: number, width: number): void {
    if (width > 32) throw new RangeError(`a field of ${width} bits`);
    for (let i = width - 1; i >= 0; i--) this.bits.push(Math.floor(value / 2 ** i) % 2);
  }

  writeBytes(bytes: Uint8Array): void {
    for (const b of bytes) this.write(b, 8);
  }

  get length(): number {
    return this.bits.length;
  }

  /** X.691 §11.1: the complete encoding is a whole number of octets, trailing bits zero. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(Math.ceil(this.bits.length / 8));
    this.bits.forEach((bit, i) => {
      if (bit) out[i >> 3]! |= 0x80 >> (i & 7);
    });
    return out;
  }
}

export class BitReader {
  private at = 0;

  constructor(private readonly bytes: Uint8Array) {}

  read(width: number, what: string): number {
    if (this.at + width > this.bytes.length * 8) throw new DsrcDecodeError(`PER: ${what} runs past the end (bit ${this.at} + ${width} of ${this.bytes.length * 8})`);
    let v = 0;
    for (let i = 0; i < width; i++, this.at++) v = v * 2 + ((this.bytes[this.at >> 3]! >> (7 - (this.at & 7))) & 1);
    return v;
  }

  readBytes(n: number, what: string): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.read(8, what);
    return out;
  }

  get position(): number {
    return this.at;
  }

  get remainingBits(): number {
    return this.bytes.length * 8 - this.at;
  }
}

/** X.691 §11.5.3: bits of a constrained whole number in a range of `range` values (0 bits for one value). */
export function bitsFor(range: number): number {
  return range <= 1 ? 0 : Math.ceil(Math.log2(range));
}

function writeSize(w: BitWriter, n: number, size: SizeConstraint | undefined, what: string): void {
  if (!size) {
    // X.691 §11.9.3.6-7 (unaligned): a length < 128 in 8 bits '0xxxxxxx', < 16384 in 16 bits '10xxxxxx xxxxxxxx'
    if (n < 128) w.write(n, 8);
    else if (n < 16384) w.write(0x8000 | n, 16);
    else throw new RangeError(`${what}: a length of ${n} needs fragmentation, which this codec does not do`);
    return;
  }
  if (n < size.min || n > size.max) throw new RangeError(`${what}: size ${n} is outside ${size.min}..${size.max}${size.extensible ? ' (extension sizes are not supported)' : ''}`);
  // X.691 §11.9.3.3 / §16.6: an extensible size puts its extension bit first, 0 when the size is in the root
  if (size.extensible) w.write(0, 1);
  if (size.max !== size.min) w.write(n - size.min, bitsFor(size.max - size.min + 1));
}

function readSize(r: BitReader, size: SizeConstraint | undefined, what: string): number {
  if (!size) {
    const first = r.read(8, `${what} length`);
    if ((first & 0x80) === 0) return first;
    if ((first & 0xc0) === 0x80) return ((first & 0x3f) << 8) | r.read(8, `${what} length`);
    throw new DsrcDecodeError(`PER: ${what} has a fragmented length (${first.toString(2).padStart(8, '0')}), not supported`);
  }
  if (size.extensible && r.read(1, `${what} size extension bit`) === 1) throw new DsrcDecodeError(`PER: ${what} has a size outside its extension root`);
  if (size.max === size.min) return size.min;
  const n = size.min + r.read(bitsFor(size.max - size.min + 1), `${what} size`);
  if (n > size.max) throw new DsrcDecodeError(`PER: ${what} size ${n} is over ${size.max}`);
  return n;
}

/** X.690 §8.19: the content octets of an OBJECT IDENTIFIER (first two arcs as 40·a + b, base-128 arcs). */
export function oidContent(arcs: readonly number[]): Uint8Array {
  if (arcs.length < 2 || arcs[0]! > 2 || (arcs[0]! < 2 && arcs[1]! > 39)) throw new RangeError(`OID ${arcs.join('.')} has no valid first two arcs`);
  const out: number[] = [];
  for (const arc of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
    if (!Number.isSafeInteger(arc) || arc < 0) throw new RangeError(`OID arc ${arc}`);
    const groups: number[] = [];
    let v = arc;
    do {
      groups.unshift(v % 128);
      v = Math.floor(v / 128);
    } while (v > 0);
    groups.forEach((g, i) => out.push(i < groups.length - 1 ? g | 0x80 : g));
  }
  return Uint8Array.from(out);
}

export function oidArcs(content: Uint8Array): number[] {
  if (content.length === 0) throw new DsrcDecodeError('PER: an empty OBJECT IDENTIFIER');
  const values: number[] = [];
  let v = 0;
  let started = false;
  for (const b of content) {
    if (!started && b === 0x80) throw new DsrcDecodeError('PER: OBJECT IDENTIFIER arc with a leading 80 octet');
    started = true;
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      values.push(v);
      v = 0;
      started = false;
    }
  }
  if (started) throw new DsrcDecodeError('PER: OBJECT IDENTIFIER ends inside an arc');
  const first = values[0]!;
  return [first < 40 ? 0 : first < 80 ? 1 : 2, first < 80 ? first % 40 : first - 80, ...values.slice(1)];
}

export function encodeValue(w: BitWriter, type: UperType, value: UperValue | undefined, what: string): void {
  switch (type.kind) {
    case 'boolean':
      if (typeof value !== 'boolean') throw new TypeError(`${what}: expected a boolean`);
      w.write(value ? 1 : 0, 1);
      return;
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`${what}: expected an integer`);
      if (value < type.min || value > type.max) throw new RangeError(`${what}: ${value} is outside ${type.min}..${type.max}${type.extensible ? ' (extension values are not supported)' : ''}`);
      // X.691 §13.1 (extensible root value: bit 0) then §13.2.2 constrained whole number in the root range
      if (type.extensible) w.write(0, 1);
      w.write(value - type.min, bitsFor(type.max - type.min + 1));
      return;
    }
    case 'bitString':
      if (typeof value !== 'number' || value < 0 || value >= 2 ** type.size) throw new RangeError(`${what}: expected ${type.size} bits`);
      // X.691 §16.9: a fixed size <= 16 bits has no length and no alignment
      w.write(value, type.size);
      return;
    case 'octetString':
      if (!(value instanceof Uint8Array)) throw new TypeError(`${what}: expected octets`);
      writeSize(w, value.length, type.size, what);
      w.writeBytes(value);
      return;
    case 'objectIdentifier': {
      if (!Array.isArray(value)) throw new TypeError(`${what}: expected OID arcs`);
      // X.691 §24: an unconstrained length determinant, then the BER content octets
      const content = oidContent(value);
      writeSize(w, content.length, undefined, what);
      w.writeBytes(content);
      return;
    }
    case 'sequence': {
      if (typeof value !== 'object' || value === null || value instanceof Uint8Array || Array.isArray(value)) throw new TypeError(`${what}: expected a SEQUENCE value`);
      const seq = value as UperSequence;
      // X.691 §19.2: one presence bit per OPTIONAL component, in order, before the components
      for (const f of type.fields) if (f.optional) w.write(seq[f.name] === undefined ? 0 : 1, 1);
      for (const f of type.fields) {
        const v = seq[f.name];
        if (v === undefined) {
          if (!f.optional) throw new TypeError(`${what}.${f.name} is missing`);
          continue;
        }
        encodeValue(w, f.type, v, `${what}.${f.name}`);
      }
      return;
    }
    case 'sequenceOf': {
      if (!Array.isArray(value)) throw new TypeError(`${what}: expected a list`);
      writeSize(w, value.length, type.size, what);
      (value as readonly UperValue[]).forEach((item, i) => encodeValue(w, type.item, item, `${what}[${i}]`));
      return;
    }
    case 'choice': {
      const c = value as UperChoice;
      const entry = Object.entries(type.alternatives).find(([, alt]) => alt.name === c?.choice);
      if (!entry) throw new TypeError(`${what}: no alternative '${c?.choice}'`);
      // X.691 §23: extension bit (0, a root alternative), then the index as a constrained whole number
      if (type.extensible) w.write(0, 1);
      w.write(Number(entry[0]), bitsFor(type.rootCount));
      encodeValue(w, entry[1].type, c.value, `${what}.${c.choice}`);
      return;
    }
  }
}

export function decodeValue(r: BitReader, type: UperType, what: string): UperValue {
  switch (type.kind) {
    case 'boolean':
      return r.read(1, what) === 1;
    case 'integer': {
      if (type.extensible && r.read(1, `${what} extension bit`) === 1) throw new DsrcDecodeError(`PER: ${what} is an extension value, not supported`);
      const v = type.min + r.read(bitsFor(type.max - type.min + 1), what);
      if (v > type.max) throw new DsrcDecodeError(`PER: ${what} ${v} is over ${type.max}`);
      return v;
    }
    case 'bitString':
      return r.read(type.size, what);
    case 'octetString':
      return r.readBytes(readSize(r, type.size, what), what);
    case 'objectIdentifier':
      return oidArcs(r.readBytes(readSize(r, undefined, what), what));
    case 'sequence': {
      const present = new Map<string, boolean>();
      for (const f of type.fields) if (f.optional) present.set(f.name, r.read(1, `${what}.${f.name} presence`) === 1);
      const out: Record<string, UperValue> = {};
      for (const f of type.fields) {
        if (f.optional && !present.get(f.name)) continue;
        out[f.name] = decodeValue(r, f.type, `${what}.${f.name}`);
      }
      return out;
    }
    case 'sequenceOf': {
      const n = readSize(r, type.size, what);
      return Array.from({ length: n }, (_, i) => decodeValue(r, type.item, `${what}[${i}]`));
    }
    case 'choice': {
      if (type.extensible && r.read(1, `${what} extension bit`) === 1) throw new DsrcDecodeError(`PER: ${what} is an extension alternative, not supported`);
      const index = r.read(bitsFor(type.rootCount), `${what} index`);
      const alt = type.alternatives[index];
      if (!alt) throw new DsrcDecodeError(`PER: ${what} alternative ${index} is not one this rig decodes`);
      return { choice: alt.name, value: decodeValue(r, alt.type, `${what}.${alt.name}`) };
    }
  }
}

/** A complete encoding (X.691 §11.1): the value's bits padded with zeros to whole octets. */
export function uperEncode(type: UperType, value: UperValue, what = 'value'): Uint8Array {
  const w = new BitWriter();
  encodeValue(w, type, value, what);
  return w.toBytes();
}

/** Decodes a complete encoding; only the zero padding of the last octet may follow the value. */
export function uperDecode(type: UperType, bytes: Uint8Array, what = 'value'): UperValue {
  const r = new BitReader(bytes);
  const v = decodeValue(r, type, what);
  if (r.remainingBits >= 8) throw new DsrcDecodeError(`PER: ${Math.floor(r.remainingBits / 8)} octet(s) after the ${what}`);
  if (r.remainingBits > 0 && r.read(r.remainingBits, 'padding') !== 0) throw new DsrcDecodeError(`PER: the padding bits after the ${what} are not zero`);
  return v;
}

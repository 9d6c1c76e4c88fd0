import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';

/**
 * Errors in hand-written YAML files (rig files, scenario files) reported where the author has to look:
 * `file:line:column: path: message`. Validation works on plain values (zod, semantic checks), which have no
 * positions; this module maps a value path back to its node in the YAML document.
 */

export type IssuePath = (string | number)[];

/** A problem found in the parsed value, located by its path in that value. */
export interface PathIssue {
  path: IssuePath;
  message: string;
  /** 'key' points at the key of a map entry rather than its value: for unknown or malformed keys. */
  at?: 'key' | 'value';
}

/** A problem located in a file. Line and column are 1-based. */
export interface FileIssue {
  file: string;
  line: number;
  column: number;
  path: IssuePath;
  message: string;
}

export interface ParsedYamlFile {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The document as plain JS; meaningful only when `syntaxIssues` is empty. */
  value: unknown;
  /** YAML syntax errors, and warnings (an unresolved tag, ...): a config file should be clean of both. */
  syntaxIssues: FileIssue[];
}

export function parseYamlFile(text: string, file: string): ParsedYamlFile {
  const lineCounter = new LineCounter();
  // prettyErrors would fold a source excerpt into the message; positions come from lineCounter instead
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntaxIssues = [...doc.errors, ...doc.warnings].map((error): FileIssue => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    return { file, line, column: col, path: [], message: `${error.message} (${error.code})` };
  });
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (error) {
    // toJS refuses some broken documents (alias loops, too many aliases) that parsing let through
    syntaxIssues.push({ file, line: 1, column: 1, path: [], message: (error as Error).message });
  }
  return { doc, lineCounter, value, syntaxIssues };
}

export interface Location {
  line: number;
  column: number;
  /** False when the path leads past the document (a missing key): the location is its nearest existing parent. */
  exact: boolean;
}

/** The position of the node at `path`, or of its nearest existing ancestor when the path does not exist. */
export function locate(
  doc: Document,
  lineCounter: LineCounter,
  path: IssuePath,
  at: 'key' | 'value' = 'value',
): Location {
  let node: unknown = doc.contents;
  // the key of the map entry holding `node`, where it is held by a map
  let key: unknown;
  let depth = 0;
  for (const segment of path) {
    const container = isAlias(node) ? node.resolve(doc) : node;
    if (isMap(container)) {
      const pair = container.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      key = pair.key;
      node = pair.value;
    } else if (isSeq(container) && typeof segment === 'number' && segment < container.items.length) {
      key = undefined;
      node = container.items[segment];
    } else {
      break;
    }
    depth++;
  }
  const exact = depth === path.length;
  // A missing key belongs to the entry above it, and a whole collection is best named by its key: its value
  // starts on the next line, at its first child, which reads as if that child were at fault.
  const preferKey = !exact || at === 'key' || !isScalar(node) || node.value === null;
  const target = preferKey && rangeStart(key) !== undefined ? key : node;
  const offset = rangeStart(target) ?? rangeStart(doc.contents) ?? 0;
  const { line, col } = lineCounter.linePos(offset);
  return { line, column: col, exact };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}

/** Locates path issues in the file, in file order. */
export function toFileIssues(
  doc: Document,
  lineCounter: LineCounter,
  file: string,
  issues: readonly PathIssue[],
): FileIssue[] {
  return sortIssues(
    issues.map((issue) => {
      const { line, column } = locate(doc, lineCounter, issue.path, issue.at);
      return { file, line, column, path: issue.path, message: issue.message };
    }),
  );
}

export function sortIssues(issues: readonly FileIssue[]): FileIssue[] {
  return [...issues].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column);
}

export interface ZodIssueContext {
  /** The schema that produced the issues: it knows the keys an unknown key may be a typo of. */
  schema?: z.ZodType;
  /** The value that was validated: it tells a missing key from a wrong value. */
  input?: unknown;
  /** Where the validated value sits in the file's value (a device's options inside a rig file). */
  prefix?: IssuePath;
}

type ZodIssue = z.core.$ZodIssue;

/** Zod issues as path issues with messages written for a file's author. */
export function zodIssuesToPathIssues(issues: readonly ZodIssue[], context: ZodIssueContext = {}): PathIssue[] {
  const prefix = context.prefix ?? [];
  const out: PathIssue[] = [];
  // `trasport: pty` yields both "unknown key trasport" and "missing transport": the hint explains the second
  const hinted = new Set<string>();
  const expand = (issue: ZodIssue, base: IssuePath): void => {
    const path = [...base, ...(issue.path as IssuePath)];
    switch (issue.code) {
      case 'unrecognized_keys': {
        const known = context.schema ? knownKeys(context.schema, path) : undefined;
        for (const key of issue.keys) {
          const suggestion = known && closest(key, known);
          if (suggestion) hinted.add(pathKey([...path, suggestion]));
          const hint = suggestion
            ? ` (did you mean '${suggestion}'?)`
            : known?.length
              ? ` (expected one of: ${known.join(', ')})`
              : '';
          out.push({ path: [...prefix, ...path, key], at: 'key', message: `unknown key '${key}'${hint}` });
        }
        return;
      }
      case 'invalid_key': {
        const reasons = issue.issues.map((i) => i.message).join('; ');
        const key = String(path.at(-1));
        out.push({ path: [...prefix, ...path], at: 'key', message: `invalid key '${key}': ${reasons}` });
        return;
      }
      case 'invalid_union': {
        if (isDiscriminatorIssue(issue)) {
          out.push({ path: [...prefix, ...path], message: discriminatorMessage(issue, path, context) });
          return;
        }
        const branch = informativeBranch(issue.errors);
        if (branch) {
          for (const inner of branch) expand(inner, path);
          return;
        }
        const unknown = unknownKeysOfEveryBranch(issue.errors);
        if (unknown.length) {
          // every branch refused a key of the value: the key is the typo, whichever branch was meant
          expand({ code: 'unrecognized_keys', keys: unknown, path: [], message: '', input: undefined } as ZodIssue, path);
          return;
        }
        out.push({ path: [...prefix, ...path], message: unionMessage(issue, path, context) });
        return;
      }
      case 'invalid_value': {
        const missing = path.length > 0 && context.input !== undefined && !hasPath(context.input, path);
        out.push({
          path: [...prefix, ...path],
          message: missing ? `missing required key '${String(path.at(-1))}' (${expectation(issue)})` : valueMessage(issue, valueAt(context.input, path)),
        });
        return;
      }
      default: {
        // an absent key fails as a wrong type or a wrong enum value; the author needs to hear it is missing
        const missing = path.length > 0 && context.input !== undefined && !hasPath(context.input, path);
        out.push({
          path: [...prefix, ...path],
          message: missing ? `missing required key '${String(path.at(-1))}' (${expectation(issue)})` : issueMessage(issue, valueAt(context.input, path)),
        });
      }
    }
  };
  for (const issue of issues) expand(issue, []);
  const explained = (issue: PathIssue) =>
    issue.message.startsWith('missing required key') && hinted.has(pathKey(issue.path.slice(prefix.length)));
  return out.filter((issue) => !explained(issue));
}

export function zodIssuesToFileIssues(
  doc: Document,
  lineCounter: LineCounter,
  file: string,
  issues: readonly ZodIssue[],
  context: ZodIssueContext = {},
): FileIssue[] {
  return toFileIssues(doc, lineCounter, file, zodIssuesToPathIssues(issues, context));
}

function expectation(issue: ZodIssue): string {
  if (issue.code === 'invalid_type') return `expected ${typeName(issue.expected)}`;
  if (issue.code === 'invalid_value') return `expected one of: ${issue.values.map(String).join(', ')}`;
  return issue.message.replace(/^Invalid (input|option): /, '');
}

function typeName(expected: string): string {
  return expected === 'int' ? 'a whole number' : expected;
}

/** zod's own wording ("Invalid input: ...") as opposed to a message a schema wrote for its author. */
function isGenericMessage(message: string): boolean {
  return /^Invalid (input|option|discriminator value)\b/.test(message);
}

/** A message for a value of the wrong type: zod's, with "int" said as "a whole number". */
function issueMessage(issue: ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_type' && issue.expected === 'int' && typeof value === 'number') return `expected a whole number, got ${value}`;
  return issue.message;
}

/**
 * A value not among the allowed ones (an enum, a literal): what was written, the closest allowed value and
 * the full list. A schema's own message (a card the rig does not define) comes first, with the same hint.
 */
export function valueMessage(issue: Extract<ZodIssue, { code: 'invalid_value' }>, value: unknown): string {
  const allowed = issue.values.map(String);
  const suggestion = typeof value === 'string' ? closest(value, allowed) : undefined;
  const hint = suggestion ? ` (did you mean '${suggestion}'?)` : '';
  // the schema's own message: the hint goes before its list ("no card 'ana' (did you mean 'anna'?); it has: ...")
  if (!isGenericMessage(issue.message)) return issue.message.replace(/(;|$)/, `${hint}$1`);
  const shown = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
  return `${shown} is not allowed${hint}; expected one of: ${allowed.join(', ')}`;
}

type UnionIssue = Extract<ZodIssue, { code: 'invalid_union' }>;

function isDiscriminatorIssue(issue: UnionIssue): issue is UnionIssue & { discriminator: string; options: unknown[] } {
  const i = issue as UnionIssue & { discriminator?: unknown; options?: unknown };
  return i.errors.length === 0 && typeof i.discriminator === 'string' && Array.isArray(i.options);
}

/**
 * `do: wiat`: "unknown step 'wiat' (did you mean 'wait'?); a step is one of: wait, until, ...". The union's
 * `meta({ title })` names what it chooses between; without one, the discriminator key does.
 */
function discriminatorMessage(issue: UnionIssue & { discriminator: string; options: unknown[] }, path: IssuePath, context: ZodIssueContext): string {
  const options = issue.options.map(String);
  const owner = path.at(-1) === issue.discriminator ? path.slice(0, -1) : path;
  const title = context.schema ? titleAt(context.schema, owner) : undefined;
  const noun = title ?? `${issue.discriminator} value`;
  const list = `${title ? `${article(title)} ${title}` : issue.discriminator} is one of: ${options.join(', ')}`;
  const value = valueAt(context.input, [...owner, issue.discriminator]);
  if (value === undefined) return `missing '${issue.discriminator}': ${list}`;
  const suggestion = typeof value === 'string' ? closest(value, options) : undefined;
  return `unknown ${noun} ${typeof value === 'string' ? `'${value}'` : JSON.stringify(value)}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}; ${list}`;
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) ? 'an' : 'a';
}

/**
 * A union fails as a whole; the useful report is the one branch the value was evidently meant for: the
 * branch that did not reject the value's type outright, nor refuse a key of the value that another
 * branch takes (`records:` is meant for the branch that has `records`).
 */
function informativeBranch(branches: ZodIssue[][]): ZodIssue[] | undefined {
  const rejectsType = (b: ZodIssue[]) => b.length === 1 && b[0]!.path.length === 0 && b[0]!.code === 'invalid_type';
  let candidates = branches.filter((b) => !rejectsType(b));
  const takesKeys = candidates.filter((b) => unknownRootKeys(b).length === 0);
  if (takesKeys.length > 0) candidates = takesKeys;
  return candidates.length === 1 ? candidates[0] : undefined;
}

function unknownRootKeys(branch: ZodIssue[]): string[] {
  return branch.flatMap((i) => (i.code === 'unrecognized_keys' && i.path.length === 0 ? i.keys : []));
}

/** Keys of the value that every branch refused; empty unless every branch refused some. */
function unknownKeysOfEveryBranch(branches: ZodIssue[][]): string[] {
  const [first, ...rest] = branches.map(unknownRootKeys);
  if (!first?.length) return [];
  return first.filter((k) => rest.every((keys) => keys.includes(k)));
}

/**
 * No branch stands out. A message the union's schema wrote (`count: once` → "expected a whole number, or
 * { min, max }") says best what it takes; else the types or keys the branches wanted.
 */
function unionMessage(issue: UnionIssue, path: IssuePath, context: ZodIssueContext): string {
  if (!isGenericMessage(issue.message)) return issue.message;
  const expected = issue.errors.flatMap((b) =>
    b.length === 1 && b[0]!.code === 'invalid_type' && b[0]!.path.length === 0 ? [typeName(b[0]!.expected)] : [],
  );
  if (expected.length === issue.errors.length) return `Invalid input: expected ${[...new Set(expected)].join(' or ')}`;
  // each branch misses a key the others do not need: { records } or { absent }
  const missingKeys = issue.errors.map((b) => {
    const missing = b.filter((i) => i.code === 'invalid_type' && i.path.length === 1 && context.input !== undefined && !hasPath(context.input, [...path, ...(i.path as IssuePath)]));
    return missing.length === b.length && missing.length > 0 ? String(missing[0]!.path[0]) : undefined;
  });
  if (missingKeys.every((k) => k !== undefined)) return `missing a key: one of ${[...new Set(missingKeys)].map((k) => `'${k}'`).join(', ')}`;
  const messages = [...new Set(issue.errors.flatMap((b) => b.map((i) => i.message)))];
  return `Invalid input: ${messages.join('; or ')}`;
}

function pathKey(path: IssuePath): string {
  return JSON.stringify(path.map(String));
}

function valueAt(value: unknown, path: IssuePath): unknown {
  let v = value;
  for (const segment of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[segment];
  }
  return v;
}

function hasPath(value: unknown, path: IssuePath): boolean {
  const parent = valueAt(value, path.slice(0, -1));
  return parent !== null && typeof parent === 'object' && Object.hasOwn(parent, path.at(-1)!);
}

/** Loose view of a zod schema's definition, enough to walk object shapes through wrappers. */
interface SchemaDef {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  options?: z.ZodType[];
  shape?: Record<string, z.ZodType>;
  valueType?: z.ZodType;
  element?: z.ZodType;
  items?: z.ZodType[];
  getter?: () => z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
}

/** The keys an object at `path` may have, per the schema; undefined where the schema has no object there. */
export function knownKeys(schema: z.ZodType, path: IssuePath): string[] | undefined {
  const keys = schemasAt(schema, path).flatMap((s) => unwrapSchema(s)).flatMap((s) => Object.keys(def(s).shape ?? {}));
  return keys.length ? [...new Set(keys)] : undefined;
}

/** The schemas that may check the value at `path` (each still wrapped: optional, default, ...). */
export function schemasAt(schema: z.ZodType, path: IssuePath): z.ZodType[] {
  let current = [schema];
  for (const segment of path) current = current.flatMap((s) => unwrapSchema(s).flatMap((u) => child(u, segment)));
  return current;
}

/** The `meta({ title })` of the schema at `path`, through its wrappers: what the author calls that value. */
function titleAt(schema: z.ZodType, path: IssuePath): string | undefined {
  for (const s of schemasAt(schema, path)) {
    for (const candidate of [s, ...wrappersOf(s)]) {
      const title = candidate.meta()?.title;
      if (typeof title === 'string') return title;
    }
  }
  return undefined;
}

/** The schemas inside optional/default/nullable wrappers, outermost first, down to the first that is not one. */
function wrappersOf(schema: z.ZodType): z.ZodType[] {
  const out: z.ZodType[] = [];
  let d = def(schema);
  while (d.innerType) {
    out.push(d.innerType);
    d = def(d.innerType);
  }
  return out;
}

function def(schema: z.ZodType): SchemaDef {
  return schema._zod.def as unknown as SchemaDef;
}

/** The schemas a value may actually be checked against, through optional/default/pipe/union/lazy wrappers. */
export function unwrapSchema(schema: z.ZodType, seen = new Set<z.ZodType>()): z.ZodType[] {
  if (seen.has(schema)) return [];
  seen.add(schema);
  const d = def(schema);
  const lazy = d.type === 'lazy' ? d.getter?.() : undefined;
  const inner = [d.innerType, d.in, d.out, d.left, d.right, ...(d.options ?? []), lazy];
  const wrapped = inner.filter((s): s is z.ZodType => s !== undefined);
  return wrapped.length && !d.shape ? wrapped.flatMap((s) => unwrapSchema(s, seen)) : [schema];
}

function child(schema: z.ZodType, segment: string | number): z.ZodType[] {
  const d = def(schema);
  if (d.shape) return d.shape[segment] ? [d.shape[segment]] : [];
  if (d.type === 'record' && d.valueType) return [d.valueType];
  if (d.type === 'array' && d.element) return [d.element];
  if (d.type === 'tuple' && d.items && typeof segment === 'number' && d.items[segment]) return [d.items[segment]];
  return [];
}

/**
 * The candidate closest to `word` by edit distance (with transpositions), if within 2 edits and closer
 * than the word is long: `trasport` → `transport`, but `x` suggests nothing.
 */
export function closest(word: string, candidates: readonly string[], maxDistance = 2): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= maxDistance && bestDistance < word.length ? best : undefined;
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** `links[0].paths["vu.download"]`: the path as the author would point at it. */
export function formatPath(path: IssuePath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** `rigs/x.yaml:12:5: links[0].transport: message` */
export function formatIssue(issue: FileIssue): string {
  const where = issue.path.length ? `${formatPath(issue.path)}: ` : '';
  return `${issue.file}:${issue.line}:${issue.column}: ${where}${issue.message}`;
}

export function formatIssues(issues: readonly FileIssue[]): string {
  return issues.map(formatIssue).join('\n');
}

/** A file refused for one or more issues; the message lists them all, one per line. */
export class FileIssuesError extends Error {
  readonly issues: FileIssue[];

  constructor(issues: readonly FileIssue[]) {
    super(formatIssues(issues));
    this.name = 'FileIssuesError';
    this.issues = [...issues];
  }
}

import { z } from 'zod';
import { HardwareMapSchema } from './bench/hardware-map.ts';
import type { DeviceRegistry } from './devices/registry.ts';
import type { RecordCodeSpec, RecordKindSpec } from './devices/record-kinds.ts';
import { RigFileSchema } from './rig/rig-schema.ts';
import type { RigPlan } from './rig/rig-runtime.ts';
import { worldStimuli } from './world/index.ts';
import { scenarioSchema } from '../scenarios/engine/schema.ts';

/**
 * JSON Schemas of the two file formats, generated from the same zod schemas that validate them, for editor
 * completion (`# yaml-language-server: $schema=../schemas/rig.schema.json`). `rig schema` writes them; a
 * test keeps the committed copies in step and validates the shipped files against them.
 *
 * What only the device kinds know is added as `if`/`then` per value, so an editor completes it:
 * - rig files: the registered kinds, and each kind's `options`;
 * - scenario files, for one rig (`rig schema --rig R`, default rigs/loopback.yaml): its device, port and
 *   link names; per device its stimuli and their `args` (with the names the rig defines, such as a VU's
 *   cards); the world stimuli; per device its record kinds with their codes and fields.
 * Shapes used by several devices are written once under `$defs`.
 */
export function jsonSchemas(context: { registry: DeviceRegistry; plan?: RigPlan }): Record<'rig.schema.json' | 'scenario.schema.json' | 'hardware-map.schema.json', string> {
  const text = (schema: JsonObject) => JSON.stringify(hoistRepeats(schema), null, 2) + '\n';
  return {
    'rig.schema.json': text(rigJsonSchema(context.registry)),
    'scenario.schema.json': text(scenarioJsonSchema(context.plan)),
    // a bench's adapters by name (issue 13): `rig bench discover --out` writes these files
    'hardware-map.schema.json': text(hardwareMapJsonSchema()),
  };
}

type JsonObject = { [key: string]: unknown };

const DRAFT = 'https://json-schema.org/draft/2020-12/schema';

function toJson(schema: z.ZodType): JsonObject {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonObject;
  return rest;
}

/** Restricts a subschema to these values; with none, nothing is valid (JSON Schema wants a non-empty enum). */
function onlyValues(node: JsonObject, values: readonly unknown[]): JsonObject {
  if (values.length) node['enum'] = [...values];
  else node['not'] = {};
  return node;
}

/** `{ [key]: list }`, or nothing for an empty list (JSON Schema wants at least one subschema). */
function nonEmpty(key: string, list: unknown[]): JsonObject {
  return list.length ? { [key]: list } : {};
}

function ref(name: string): JsonObject {
  return { $ref: `#/$defs/${name}` };
}

/** `{ if: { properties: { key: { const: value } }, required: [key] }, then }` */
function when(key: string, value: unknown, then: JsonObject): JsonObject {
  return { if: { properties: { [key]: { const: value } }, required: [key] }, then };
}

export function rigJsonSchema(registry: DeviceRegistry): JsonObject {
  const schema = { $schema: DRAFT, ...toJson(RigFileSchema) } as JsonObject;
  const defs: JsonObject = {};
  const device = path(schema, ['properties', 'devices', 'additionalProperties']);
  const kinds = registry.names();
  const kind = path(device, ['properties', 'kind']);
  // a rig's `modules` may register more kinds: the list completes, the plain string still validates
  kind['anyOf'] = [{ enum: kinds }, { type: 'string', description: "a kind from the rig's modules" }];
  // YAML 1.2 reads an unquoted 8E1 as the number 80; the rig loader takes it back as that framing
  const framing = path(schema, ['properties', 'links', 'items', 'properties', 'framing']);
  const { type: _t, pattern, ...about } = framing;
  path(schema, ['properties', 'links', 'items', 'properties'])['framing'] = { ...about, anyOf: [{ type: 'string', pattern }, { enum: [50, 60, 70, 80, 500, 600, 700, 800], description: 'an unquoted 5E1..8E2 as YAML reads it' }] };
  device['allOf'] = kinds.map((k) => {
    defs[`options.${k}`] = { description: registry.get(k)!.description, ...toJson(registry.get(k)!.options) };
    return when('kind', k, { properties: { options: ref(`options.${k}`) } });
  });
  return { ...schema, $defs: defs };
}

export function hardwareMapJsonSchema(): JsonObject {
  const schema = { $schema: DRAFT, ...toJson(HardwareMapSchema) } as JsonObject;
  const adapter = path(schema, ['properties', 'adapters', 'items', 'properties']);
  // YAML reads an unquoted 0403 or 6001 as a number; the map loader takes its digits back as the hex id
  for (const key of ['vendorId', 'productId']) {
    const { type: _t, pattern, ...about } = adapter[key] as JsonObject;
    adapter[key] = { ...about, anyOf: [{ type: 'string', pattern }, { type: 'integer', minimum: 0, maximum: 9999, description: 'an unquoted all-digit id as YAML reads it' }] };
  }
  return schema;
}

export function scenarioJsonSchema(plan?: RigPlan): JsonObject {
  const schema = { $schema: DRAFT, ...toJson(scenarioSchema) } as JsonObject;
  const defs: JsonObject = {};
  const steps = path(schema, ['properties', 'steps', 'items']);
  const step = (name: string) => (steps['oneOf'] as JsonObject[]).find((s) => (path(s, ['properties', 'do']) as JsonObject)['const'] === name)!;

  const world = step('world');
  onlyValues(path(world, ['properties', 'name']), Object.keys(worldStimuli));
  world['allOf'] = Object.entries(worldStimuli).map(([name, spec]) => {
    defs[`args.world.${name}`] = { description: spec.description, ...toJson(spec.args) };
    return when('name', name, { properties: { args: ref(`args.world.${name}`) } });
  });
  if (!plan) return { ...schema, $defs: defs };

  schema['description'] = `A scenario for rig ${plan.name} (generated by \`rig schema --rig\`: device names, stimuli and records are this rig's).`;
  const devices = plan.devices.map((d) => d.name);
  for (const list of ['emulated', 'mayBeExternal']) onlyValues(path(schema, ['properties', 'requires', 'properties', list, 'items']), devices);

  const stimulus = step('stimulus');
  onlyValues(path(stimulus, ['properties', 'device']), plan.devices.filter((d) => Object.keys(d.kind.stimuli).length).map((d) => d.name));
  // one definition per device kind, unless a device's own names (its cards) make its arguments differ
  stimulus['allOf'] = plan.devices.map((d) => {
    const stimuli = Object.entries(d.kind.stimuli);
    const block = {
      properties: { name: onlyValues({}, stimuli.map(([name]) => name)) },
      ...nonEmpty('allOf', stimuli.map(([name, spec]) => {
        const own = spec.argsFor?.({ name: d.name, options: d.options });
        const key = define(defs, `args.${d.kind.kind}.${name}`, d.name, { description: spec.description, ...toJson(own ?? spec.args) });
        return when('name', name, { properties: { args: ref(key) } });
      })),
    };
    return when('device', d.name, ref(define(defs, `stimuli.${d.kind.kind}`, d.name, block)));
  });

  const link = step('link');
  const links = plan.links.map((l) => l.id).concat(plan.broker ? ['broker'] : []);
  onlyValues(path(link, ['properties', 'link']), links);
  onlyValues(path(link, ['properties', 'port']), plan.links.flatMap((l) => l.ends));

  // a matcher's kind, code and fields depend on the device's kind: one definition per kind, one per device
  const withRecords = plan.devices.filter((d) => d.kind.records && d.kind.recordKinds);
  for (const d of withRecords) {
    const key = `records.${d.kind.kind}`;
    if (defs[key]) continue;
    const kinds = Object.entries(d.kind.recordKinds!);
    defs[key] = {
      properties: { kind: onlyValues({}, kinds.map(([k]) => k)) },
      allOf: kinds.map(([k, spec]) => {
        defs[`${key}.${k}.fields`] = { description: `fields of ${d.kind.kind} ${k} records (any of them; nested objects in part)`, ...partial(toJson(spec.fields)) };
        defs[`${key}.${k}.code`] = codeSchema(spec.code, spec);
        return when('kind', k, {
          description: spec.description,
          properties: { code: ref(`${key}.${k}.code`), fields: ref(`${key}.${k}.fields`), ...(spec.time === 'none' ? { window: false } : {}), ...(spec.time !== 'span' ? { ended: false } : {}) },
        });
      }),
    };
  }
  defs['matcher'] = { allOf: withRecords.map((d) => when('device', d.name, ref(`records.${d.kind.kind}`))) };
  for (const matcher of matchers(schema)) {
    onlyValues(path(matcher, ['properties', 'device']), withRecords.map((d) => d.name));
    matcher['allOf'] = [ref('matcher')];
  }
  return { ...schema, $defs: defs };
}

/**
 * Puts a definition under `name`, or under the existing name that holds the same content (devices of one
 * kind share it), or, when `name` holds something else, under `name.device`. Returns the name used.
 */
function define(defs: JsonObject, name: string, device: string, content: JsonObject): string {
  const text = JSON.stringify(content);
  const same = Object.keys(defs).find((k) => (k === name || k.startsWith(`${name}.`)) && JSON.stringify(defs[k]) === text);
  if (same) return same;
  const key = defs[name] === undefined ? name : `${name}.${device}`;
  defs[key] = content;
  return key;
}

/** Every record matcher in the scenario schema: the objects of `records` and `absent` expectations. */
function matchers(node: unknown, out: JsonObject[] = []): JsonObject[] {
  if (Array.isArray(node)) node.forEach((n) => matchers(n, out));
  else if (node && typeof node === 'object') {
    const o = node as JsonObject;
    const props = o['properties'] as JsonObject | undefined;
    if (props && 'device' in props && 'kind' in props && 'fields' in props) out.push(o);
    else Object.values(o).forEach((v) => matchers(v, out));
  }
  return out;
}

function codeSchema(code: RecordCodeSpec, spec: RecordKindSpec): unknown {
  switch (code.type) {
    case 'none':
      return false;
    case 'free':
      return { description: code.description, ...toJson(code.schema) };
    case 'enum': {
      const values = code.values.map((v) => ({ const: v.value, ...(v.name ? { description: v.name } : {}) }));
      // 0x0B in YAML is the number 11; '0x0B' quoted is a string that compares as the number
      const hex = code.hex ? [{ type: 'string', pattern: '^0[xX][0-9a-fA-F]+$' }] : [];
      return { description: code.description ?? spec.description, anyOf: [...values, ...hex] };
    }
  }
}

/** A matcher's `fields` name some keys at every depth: nothing is required. */
function partial(node: unknown): JsonObject {
  const walk = (n: unknown): unknown => {
    if (Array.isArray(n)) return n.map(walk);
    if (!n || typeof n !== 'object') return n;
    return Object.fromEntries(Object.entries(n as JsonObject).filter(([k, v]) => !(k === 'required' && Array.isArray(v))).map(([k, v]) => [k, walk(v)]));
  };
  return walk(node) as JsonObject;
}

/**
 * Large shapes that occur more than once (a card described inline in every VU's insertCard arguments) are
 * written once under `$defs` as `shared.N` and referred to, so the file stays small enough for an editor.
 */
function hoistRepeats(schema: JsonObject, minLength = 1000): JsonObject {
  const { $defs = {}, ...body } = schema as JsonObject & { $defs?: JsonObject };
  const counts = new Map<string, number>();
  // only subschemas are replaced by a reference: not a `properties` map, an `enum` list, a `const`
  const walk = (n: unknown, at: Position, visit: (node: JsonObject) => JsonObject | undefined): unknown => {
    if (!n || typeof n !== 'object') return n;
    if (at === 'schema' && !Array.isArray(n)) {
      const replaced = visit(n as JsonObject);
      if (replaced) return replaced;
    }
    if (at === 'schemas') return (n as unknown[]).map((v) => walk(v, 'schema', visit));
    if (at === 'map') return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, walk(v, 'schema', visit)]));
    if (at !== 'schema') return n;
    return Object.fromEntries(Object.entries(n).map(([k, v]) => [k, walk(v, positionOf(k), visit)]));
  };
  const inside = (root: unknown, visit: (node: JsonObject) => JsonObject | undefined) =>
    walk(root, 'schema', (node) => (node === root ? undefined : visit(node)));
  const countAll = (root: unknown) =>
    inside(root, (node) => {
      const key = JSON.stringify(node);
      if (key.length >= minLength) counts.set(key, (counts.get(key) ?? 0) + 1);
      return undefined;
    });
  countAll(body);
  for (const v of Object.values($defs)) countAll(v);
  const shared: JsonObject = {};
  const names = new Map<string, string>();
  const rewrite = (root: unknown): unknown =>
    inside(root, (node) => {
      const key = JSON.stringify(node);
      if ((counts.get(key) ?? 0) < 2) return undefined;
      let name = names.get(key);
      if (!name) {
        name = `shared.${names.size + 1}`;
        names.set(key, name);
        shared[name] = rewrite(node);
      }
      return ref(name);
    });
  const out = rewrite(body) as JsonObject;
  const defs = Object.fromEntries(Object.entries($defs).map(([k, v]) => [k, rewrite(v)]));
  const ordered = Object.keys(shared).sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
  return { ...out, $defs: { ...defs, ...Object.fromEntries(ordered.map((k) => [k, shared[k]])) } };
}

type Position = 'schema' | 'schemas' | 'map' | 'value';

/** What the value under a JSON Schema keyword is: a subschema, a list of them, a map of them, or data. */
function positionOf(keyword: string): Position {
  if (['properties', 'patternProperties', '$defs', 'dependentSchemas'].includes(keyword)) return 'map';
  if (['anyOf', 'oneOf', 'allOf', 'prefixItems'].includes(keyword)) return 'schemas';
  if (['items', 'additionalProperties', 'not', 'if', 'then', 'else', 'contains', 'propertyNames', 'unevaluatedProperties', 'unevaluatedItems'].includes(keyword)) return 'schema';
  return 'value';
}

function path(node: JsonObject, keys: readonly string[]): JsonObject {
  let current: unknown = node;
  for (const k of keys) {
    current = (current as JsonObject)[k];
    if (!current || typeof current !== 'object') throw new Error(`JSON Schema: no ${keys.join('.')}`);
  }
  return current as JsonObject;
}

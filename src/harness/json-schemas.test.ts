import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { deviceKinds } from '../devices/index.ts';
import { loadScenarioFile } from '../scenarios/engine/loader.ts';
import { DeviceRegistry } from './devices/registry.ts';
import { jsonSchemas } from './json-schemas.ts';
import { loadRigFile } from './rig/rig-loader.ts';
import { planFromRig } from './rig/plan.ts';

/** The schemas `rig schema` writes for a rig: the rig file schema, and the scenario schema for that rig. */
async function schemasFor(rigFile: string) {
  const registry = new DeviceRegistry(deviceKinds);
  const rig = await loadRigFile(rigFile, registry);
  return jsonSchemas({ registry, plan: planFromRig(rig, rig.registry) });
}

/** A real JSON Schema validator, as an editor's language server would apply the schema. */
function validator(schemaText: string) {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(schemaText));
  return (value: unknown): ErrorObject[] => (validate(value) ? [] : validate.errors!);
}

async function files(dir: string, pattern: RegExp): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && pattern.test(entry.name)) out.push(join(entry.parentPath, entry.name));
  }
  return out.sort();
}

const yamlOf = async (file: string) => parse(await readFile(file, 'utf8')) as unknown;
const where = (errors: ErrorObject[]) => errors.map((e) => `${e.instancePath} ${e.keyword}`);

let loopback: Record<string, string>;
beforeAll(async () => {
  loopback = await schemasFor('rigs/loopback.yaml');
});

describe('committed JSON Schemas', () => {
  it('match the zod schemas and the default rig (run `npx rig schema` after changing a file format or rigs/loopback.yaml)', async () => {
    for (const [name, content] of Object.entries(loopback)) {
      expect(await readFile(`schemas/${name}`, 'utf8'), name).toBe(content);
    }
  });

  it('describe the fields an editor completes', () => {
    const scenario = JSON.parse(loopback['scenario.schema.json']!);
    expect(Object.keys(scenario.properties)).toEqual(['id', 'title', 'description', 'tags', 'covers', 'requires', 'start', 'seed', 'steps', 'expect']);
    expect(scenario.$defs['records.vu'].properties.kind.enum).toEqual([
      'event', 'fault', 'overview', 'activity', 'place', 'placeRefused',
      // issue 15: specific conditions, gen2 v2 records
      'specificCondition', 'loadUnload', 'borderCrossing', 'specificConditionRefused',
      'detailedSpeed', 'gnssAccumulatedDriving', 'accumulatedDriving',
      'cardInsertion', 'timeAdjustment', 'vuIdentification', 'sensorPaired', 'calibration', 'calibrationError', 'gnssCoupling',
      'companyLock', 'controlActivity', 'overSpeedingControl',
      // issue 15: read through a card download when a check names them
      'driverCardDownload', 'driverCardDay', 'driverCardActivity', 'driverCardVehicle', 'driverCardEvent', 'driverCardFault', 'driverCardPlace',
      'driverCardVehicleUnit', 'driverCardGnssAccumulatedDriving', 'driverCardSpecificCondition', 'driverCardLoadUnload', 'driverCardBorderCrossing',
      'driverCardLoadType', 'driverCardControlActivity', 'controlCardActivity', 'companyCardActivity', 'workshopCardCalibrationAddData', 'workshopCardCalibration',
      'workshopCardDay', 'workshopCardActivity', 'workshopCardVehicle', 'workshopCardEvent', 'workshopCardFault', 'workshopCardPlace',
      'workshopCardVehicleUnit', 'workshopCardGnssAccumulatedDriving', 'workshopCardSpecificCondition',
      // issue 15: version 2 cards' EFs
      'workshopCardLoadUnload', 'workshopCardBorderCrossing', 'workshopCardLoadType',
    ]);
    expect(scenario.$defs['args.vu.insertCard'].properties.card.anyOf[0].enum).toEqual(['anna', 'wendy', 'acme', 'bolt', 'carla', 'other-root-driver', 'altered-driver']);
    const rig = JSON.parse(loopback['rig.schema.json']!);
    expect(Object.keys(rig.properties)).toEqual(expect.arrayContaining(['clock', 'seed', 'broker', 'devices', 'links']));
    expect(rig.properties.devices.additionalProperties.properties.kind.anyOf[0].enum).toEqual(['bench-actuator', 'card', 'dsrc-reader', 'dsrc-vu', 'gnss', 'ide', 'keypad', 'lab-psu', 'motion-sensor', 'ndtp-server', 'ndtp-terminal', 'relay-board', 'replay', 'seal', 'seal-operator', 'seal-radio', 'seal-reader', 'serial-switch', 'skzi-data-centre', 'skzi-service-tool', 'skzi-tachograph', 'skzi-workstation', 'vu']);
  });
});

describe('a JSON Schema validator (ajv) with the generated schemas', () => {
  it('accepts every shipped rig file', async () => {
    const check = validator(loopback['rig.schema.json']!);
    const rigs = [...(await files('rigs', /\.ya?ml$/)), ...(await files('test/rigs', /\.ya?ml$/))];
    expect(rigs.length).toBeGreaterThan(3);
    for (const file of rigs) expect(where(check(await yamlOf(file))), file).toEqual([]);
  });

  it('accepts every shipped scenario, each against the schema of the rig it runs on', async () => {
    const product = validator(loopback['scenario.schema.json']!);
    const scenarios = await files('src/scenarios', /\.scenario\.ya?ml$/);
    expect(scenarios.length).toBeGreaterThan(25);
    for (const file of scenarios) expect(where(product(await yamlOf(file))), file).toEqual([]);
    // TypeScript scenarios, as built
    for (const file of await files('src/scenarios', /\.scenario\.ts$/)) {
      for (const { scenario } of await loadScenarioFile(file)) expect(where(product(scenario)), file).toEqual([]);
    }
    const backbone = validator((await schemasFor('test/rigs/beacon-logger.yaml'))['scenario.schema.json']!);
    for (const file of await files('test/scenarios', /\.scenario\.ya?ml$/)) expect(where(backbone(await yamlOf(file))), file).toEqual([]);
  });

  it("refuses what the device kinds do not have: a record kind, code or field, a stimulus, a card, an option", () => {
    const scenario = validator(loopback['scenario.schema.json']!);
    const base = { id: 'x', title: 't', start: '2026-03-02T08:00:00Z', requires: { emulated: ['vu'] } };
    expect(where(scenario({ ...base, expect: [{ absent: { device: 'vu', kind: 'falut' } }] }))).toContain('/expect/0/absent/kind enum');
    expect(where(scenario({ ...base, expect: [{ records: { device: 'vu', kind: 'event', code: 0x99 } }] }))).toContain('/expect/0/records/code anyOf');
    expect(where(scenario({ ...base, expect: [{ records: { device: 'vu', kind: 'event', code: 0x07 } }] }))).toEqual([]);
    expect(where(scenario({ ...base, expect: [{ records: { device: 'vu', kind: 'event', fields: { maxSpeeed: 1 } } }] }))).toContain('/expect/0/records/fields additionalProperties');
    expect(where(scenario({ ...base, expect: [{ records: { device: 'vu', kind: 'event', fields: { maxSpeed: 'fast' } } }] }))).toContain('/expect/0/records/fields/maxSpeed type');
    expect(where(scenario({ ...base, expect: [{ records: { device: 'vuu', kind: 'event' } }] }))).toContain('/expect/0/records/device enum');
    expect(where(scenario({ ...base, steps: [{ do: 'stimulus', device: 'vu', name: 'insertCrd' }] }))).toContain('/steps/0/name enum');
    expect(where(scenario({ ...base, steps: [{ do: 'stimulus', device: 'vu', name: 'insertCard', args: { slot: 'driver', card: 'ana' } }] }))).toContain('/steps/0/args/card anyOf');
    expect(where(scenario({ ...base, steps: [{ do: 'stimulus', device: 'vu', name: 'insertCard', args: { slot: 'driver', card: 'anna' } }] }))).toEqual([]);
    const rig = validator(loopback['rig.schema.json']!);
    expect(where(rig({ devices: { vu: { kind: 'vu', options: { bogus: 1 } } } }))).toContain('/devices/vu/options additionalProperties');
    expect(where(rig({ devices: { vu: { kind: 'vu', options: { gnss: { receiver: 'internal' } } } } }))).toEqual([]);
  });
});

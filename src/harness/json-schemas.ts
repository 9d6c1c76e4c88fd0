import { z } from 'zod';
import { RigFileSchema } from './rig/rig-schema.ts';
import { scenarioSchema } from '../scenarios/engine/schema.ts';

/**
 * JSON Schemas of the two file formats, generated from the same zod schemas that validate them, for editor
 * completion (`# yaml-language-server: $schema=../schemas/rig.schema.json`). `rig schema` writes them;
 * a test keeps the committed copies in step.
 */
export function jsonSchemas(): Record<'rig.schema.json' | 'scenario.schema.json', string> {
  const render = (schema: z.ZodType) => JSON.stringify(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }), null, 2) + '\n';
  return { 'rig.schema.json': render(RigFileSchema), 'scenario.schema.json': render(scenarioSchema) };
}

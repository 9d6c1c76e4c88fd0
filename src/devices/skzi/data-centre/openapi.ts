import { z } from 'zod';
import { ROUTES } from './api.ts';

/** The OpenAPI 3.1 document of the data centre's API, generated from api.ts's zod schemas (openapi.json is this, committed). */
export function dataCentreOpenApi(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES) {
    const parameters = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const responses = Object.fromEntries(
      Object.entries(route.responses).map(([status, r]) => [status, { description: r.description, content: { 'application/json': { schema: z.toJSONSchema(r.schema, { io: 'output' }) } } }]),
    );
    (paths[route.path] ??= {})[route.method] = {
      operationId: route.operationId,
      summary: route.summary,
      ...(parameters.length > 0 ? { parameters } : {}),
      ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: z.toJSONSchema(route.body, { io: 'input' }) } } } } : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'tacho-rig СКЗИ activation: data centre (ЦОД) and ФБУ «Росавтотранс» registry',
      version: '1',
      description: 'The rig\'s own API for the activation flow of the seed «Инструкция по активизации блоков СКЗИ тахографа»; error bodies carry the seed\'s exact texts. Generated from src/devices/skzi/data-centre/api.ts.',
    },
    servers: [{ url: 'http://skzi-data-centre.rig/api/v1' }],
    paths,
  };
}

export function dataCentreOpenApiText(): string {
  return `${JSON.stringify(dataCentreOpenApi(), null, 2)}\n`;
}

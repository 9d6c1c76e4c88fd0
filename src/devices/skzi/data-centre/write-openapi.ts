import { writeFileSync } from 'node:fs';
import { dataCentreOpenApiText } from './openapi.ts';

/** Writes openapi.json beside this file from the API's zod schemas (api.test.ts checks it is current). */
writeFileSync(new URL('./openapi.json', import.meta.url), dataCentreOpenApiText());

import openapiTS, { astToString } from 'openapi-typescript';

/** The source of web/src/api.gen.ts for an OpenAPI document (scripts/api-types.mts writes it, src/contract.test.ts compares it). */
export async function apiTypesSource(doc: object): Promise<string> {
  const header =
    '// Generated from GET /api/openapi.json by `npm run api:types` (openapi-typescript). Do not edit.\n' +
    '// src/contract.test.ts fails when this file and the document disagree.\n\n';
  return header + astToString(await openapiTS(doc as never));
}

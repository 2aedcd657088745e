// Issue 15: the admin app's API types are generated from the OpenAPI document the app serves, with
// openapi-typescript (the generator src/contract.test.ts also drives a client with). Run after a change
// to a route's schema: `npm run api:types`. src/contract.test.ts fails when web/src/api.gen.ts is not
// what this script would write.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestApp } from '../test/harness.js';
import { apiTypesSource } from '../test/api-types.js';

const target = join(dirname(fileURLToPath(import.meta.url)), '..', 'web', 'src', 'api.gen.ts');
const t = await startTestApp();
try {
  const res = await t.app.inject({ url: '/api/openapi.json' });
  writeFileSync(target, await apiTypesSource(res.json()));
  console.log(`wrote ${target}`);
} finally {
  await t.close();
}

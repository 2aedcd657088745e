import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setUp, startTestApp, type TestApp } from '../test/harness.js';
import { loadAjv2020 } from '../test/openapi-check.js';

/**
 * OBLIGATIONS SVC-5: the OpenAPI 3.1 document at /api/openapi.json is what an integrator builds on:
 * every operation has a summary and a described tag, the introduction explains authentication,
 * idempotency keys and problem+json, the integration routes have examples, and every example in the
 * document is valid against the schema it stands beside.
 */

type Json = Record<string, unknown>;
type Doc = Json & {
  openapi: string;
  info: { description?: string };
  tags?: { name: string; description?: string }[];
  paths: Record<string, Record<string, Operation>>;
  components: Json & { schemas?: Record<string, Json>; responses?: Record<string, Json> };
};
interface MediaType {
  schema?: Json;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}
interface Operation {
  summary?: string;
  tags?: string[];
  requestBody?: { content?: Record<string, MediaType> };
  responses?: Record<string, { $ref?: string; content?: Record<string, MediaType> }>;
  parameters?: { schema?: Json }[];
}

/** The routes issue 4 names for integrators: contacts upsert, profile fields, inviting, results, surveys. */
const INTEGRATION_ROUTES = [
  ['post', '/api/v1/contacts'],
  ['post', '/api/v1/contacts/batch'],
  ['get', '/api/v1/contacts/{id}'],
  ['get', '/api/v1/profile-fields'],
  ['post', '/api/v1/surveys/{id}/invitations'],
  ['post', '/api/v1/surveys/{id}/distributions'],
  ['post', '/api/v1/surveys/{id}/distributions/preview'],
  ['get', '/api/v1/surveys/{id}/results'],
  ['get', '/api/v1/surveys'],
  ['post', '/api/v1/surveys'],
] as const;

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

function operations(doc: Doc): [string, string, Operation][] {
  return Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.entries(ops)
      .filter(([m]) => METHODS.has(m))
      .map(([m, op]) => [m, path, op] as [string, string, Operation]),
  );
}

/** A local reference (#/components/...) in the document. */
function pointed(doc: Doc, ref: string): Json {
  assert.ok(ref.startsWith('#/'), `only local references: ${ref}`);
  let at: unknown = doc;
  for (const part of ref.slice(2).split('/')) at = (at as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
  assert.ok(at && typeof at === 'object', `${ref} resolves`);
  return at as Json;
}

/** A schema with its references to #/components/schemas inlined, so it compiles on its own. */
function inline(doc: Doc, schema: unknown, depth = 0): unknown {
  assert.ok(depth < 20, 'no recursive schemas');
  if (Array.isArray(schema)) return schema.map((s) => inline(doc, s, depth));
  if (!schema || typeof schema !== 'object') return schema;
  const s = schema as Json;
  if (typeof s.$ref === 'string') {
    const { $ref, ...rest } = s;
    return { ...(inline(doc, pointed(doc, $ref), depth + 1) as Json), ...rest };
  }
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, inline(doc, v, depth)]));
}

const mediaExamples = (m: MediaType | undefined): unknown[] =>
  m ? [...(m.example !== undefined ? [m.example] : []), ...Object.values(m.examples ?? {}).map((e) => e.value)] : [];

/** Every example in the document with the schema it must satisfy and where it is. */
function allExamples(doc: Doc): { where: string; schema: Json; value: unknown }[] {
  const out: { where: string; schema: Json; value: unknown }[] = [];
  const seen = new Set<unknown>();
  const walkSchema = (s: unknown, where: string): void => {
    if (!s || typeof s !== 'object' || Array.isArray(s) || seen.has(s)) return;
    seen.add(s);
    const schema = s as Json;
    for (const v of Array.isArray(schema.examples) ? schema.examples : [])
      out.push({ where: `${where} (schema examples)`, schema, value: v });
    if (schema.example !== undefined) out.push({ where: `${where} (schema example)`, schema, value: schema.example });
    for (const k of [
      'items',
      'additionalProperties',
      'propertyNames',
      'not',
      'contains',
      'if',
      'then',
      'else',
      'unevaluatedProperties',
      'unevaluatedItems',
    ])
      walkSchema(schema[k], `${where}/${k}`);
    for (const k of ['anyOf', 'oneOf', 'allOf', 'prefixItems'])
      if (Array.isArray(schema[k])) (schema[k] as unknown[]).forEach((x, i) => walkSchema(x, `${where}/${k}/${i}`));
    for (const k of ['properties', 'patternProperties', '$defs', 'dependentSchemas'])
      for (const [n, x] of Object.entries((schema[k] as Json | undefined) ?? {})) walkSchema(x, `${where}/${k}/${n}`);
  };
  const walkMedia = (content: Record<string, MediaType> | undefined, where: string): void => {
    for (const [type, m] of Object.entries(content ?? {})) {
      if (!m.schema) continue;
      for (const v of mediaExamples(m)) out.push({ where: `${where} ${type}`, schema: m.schema, value: v });
      walkSchema(m.schema, `${where} ${type}`);
    }
  };
  for (const [m, p, op] of operations(doc)) {
    walkMedia(op.requestBody?.content, `${m} ${p} request`);
    for (const [status, r] of Object.entries(op.responses ?? {})) walkMedia(r.content, `${m} ${p} ${status}`);
    (op.parameters ?? []).forEach((x, i) => walkSchema(x.schema, `${m} ${p} parameter ${i}`));
  }
  for (const [name, r] of Object.entries(doc.components.responses ?? {}))
    walkMedia((r as { content?: Record<string, MediaType> }).content, `components/responses/${name}`);
  for (const [name, s] of Object.entries(doc.components.schemas ?? {})) walkSchema(s, `components/schemas/${name}`);
  return out;
}

describe('SVC-5 the OpenAPI document for integrators', () => {
  let t: TestApp;
  let doc: Doc;
  const Ajv = loadAjv2020();
  // Formats are left to the patterns zod writes beside them (uuid, date-time); unknown keywords of
  // OpenAPI (example, discriminator) are annotations.
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  const problemsOf = (schema: Json, value: unknown): string[] => {
    const validate = ajv.compile(inline(doc, schema) as Json);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
  };

  before(async () => {
    t = await startTestApp();
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    assert.equal(res.statusCode, 200);
    doc = res.json();
  });
  after(() => t.close());

  test('SVC-5 it is OpenAPI 3.1 and its introduction explains authentication, idempotency keys and problem+json', () => {
    assert.match(doc.openapi, /^3\.1\.\d+$/);
    const intro = doc.info.description ?? '';
    for (const must of [
      'peil_session',
      'x-csrf-token',
      'Authorization: Bearer peil_',
      'Idempotency-Key',
      'Idempotent-Replayed',
      'application/problem+json',
      'pointer',
    ]) {
      assert.ok(intro.includes(must), `the introduction mentions ${must}`);
    }
    assert.ok(doc.components.schemas?.Problem, 'the Problem schema is in the components');
  });

  test('SVC-5 every operation has a summary and a tag, and every tag a description', () => {
    const declared = new Map((doc.tags ?? []).map((x) => [x.name, x.description ?? '']));
    const ops = operations(doc);
    assert.ok(ops.length > 50, `${ops.length} operations`);
    for (const [m, p, op] of ops) {
      assert.ok(op.summary?.trim(), `${m} ${p} has a summary`);
      assert.ok(op.tags?.length, `${m} ${p} has a tag`);
      for (const tag of op.tags ?? [])
        assert.ok(declared.get(tag)?.trim(), `the tag "${tag}" of ${m} ${p} is declared with a description`);
    }
  });

  test('SVC-5 the integration routes have examples of their request body, success response and 422 problem', () => {
    for (const [m, p] of INTEGRATION_ROUTES) {
      const op = doc.paths[p]?.[m];
      assert.ok(op, `${m} ${p} is in the document`);
      if (op.requestBody)
        assert.ok(
          mediaExamples(op.requestBody.content?.['application/json']).length > 0,
          `${m} ${p}: the request body has an example`,
        );
      const success = Object.entries(op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
      assert.ok(success.length > 0, `${m} ${p} has a success response`);
      for (const [status, r] of success)
        assert.ok(
          mediaExamples(r.content?.['application/json']).length > 0,
          `${m} ${p}: the ${status} response has an example`,
        );
      if (op.requestBody) {
        const ref = op.responses?.['422']?.$ref;
        assert.ok(ref, `${m} ${p} documents its 422`);
        const problem = pointed(doc, ref).content as Record<string, MediaType>;
        const example = mediaExamples(problem['application/problem+json'])[0] as {
          status: number;
          errors: { pointer: string; reason: string }[];
        };
        assert.equal(example.status, 422);
        assert.ok(
          example.errors.length > 0 && example.errors.every((e) => e.pointer.startsWith('/body/') && e.reason),
          `${m} ${p}: the 422 example points at the fields`,
        );
      }
    }
  });

  test('SVC-5 every example in the document is valid against its schema', () => {
    const examples = allExamples(doc);
    // The integration routes alone have more than 20 examples (request, response, problem).
    assert.ok(examples.length > 20, `${examples.length} examples`);
    const invalid = examples.flatMap(({ where, schema, value }) =>
      problemsOf(schema, value).map((problem) => `${where}: ${problem}`),
    );
    assert.deepEqual(invalid, []);
  });

  test('SVC-5 the contact examples are accepted as they stand: an integrator can send them', async () => {
    const { ownerCookie } = await setUp(t);
    for (const p of ['/api/v1/contacts', '/api/v1/contacts/batch']) {
      const examples = mediaExamples(doc.paths[p]!.post!.requestBody!.content!['application/json']);
      assert.ok(examples.length > 0);
      for (const payload of examples) {
        const res = await t.app.inject({
          method: 'POST',
          url: p,
          headers: { cookie: ownerCookie },
          payload: payload as Json,
        });
        assert.ok(res.statusCode === 200 || res.statusCode === 201, `${p}: ${res.body}`);
      }
    }
  });

  test('SVC-5 the example check refuses an example that does not fit its schema', () => {
    const media = doc.paths['/api/v1/surveys/{id}/results']!.get!.responses!['200']!.content!['application/json']!;
    const good = mediaExamples(media)[0] as Json;
    assert.deepEqual(problemsOf(media.schema!, good), []);
    assert.notDeepEqual(problemsOf(media.schema!, { ...good, nps: 'hoog' }), []);
    assert.notDeepEqual(problemsOf(media.schema!, { ...good, scores: [1, 2, 3] }), []);
    const { surveyId: _, ...withoutId } = good;
    assert.notDeepEqual(problemsOf(media.schema!, withoutId), []);
  });
});

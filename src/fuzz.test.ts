import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import type { LightMyRequestResponse } from 'fastify';
import {
  dbKind,
  importCsv,
  operatorCookie,
  OWNER,
  setUp,
  signIn,
  startTestApp,
  type TestApp,
} from '../test/harness.js';

/**
 * OBLIGATIONS SEC-3 (issue 16 items 6 and 7, and the fuzz pass): every operation of the OpenAPI
 * document gets generated hostile input, signed in as the owner (or the operator, for /operator/
 * routes) and without a session: a NUL (and a lone surrogate) in every parameter and string field,
 * 100,000-character strings, 1,000-deep JSON, wrong content types, broken JSON, bad %-encoding and
 * over-long path parameters. No answer may be a 5xx; every error under /api/ is problem+json with a
 * requestId; a NUL anywhere in the input is a 422 whose pointer names where it was.
 */

type Json = Record<string, unknown>;
interface Parameter {
  in: 'path' | 'query' | 'header' | 'cookie';
  name: string;
  schema?: Json;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Json }> };
}
type Doc = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Json> } };

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
type Method = (typeof METHODS)[number];

/**
 * Operations whose success would end the run's own session or organisation: they get the hostile
 * cases without a session only (sign-out), or none of the "valid apart from one field" bodies.
 */
const SESSION_ENDING = new Set(['post /api/v1/auth/sign-out']);
const ORGANISATION_ENDING = new Set(['post /api/v1/agreement/notice', 'post /api/v1/ending/choice']);

const HUGE = 'x'.repeat(100_000);
const NUL = 'a\u0000b';
const LONE_SURROGATE = 'a\uD800b';

function deepJson(depth: number): unknown {
  let v: unknown = 'bodem';
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
  return v;
}

/** A plausible value for a JSON schema (bounded depth; `$ref`s into the document's components). */
function sample(doc: Doc, schema: Json | undefined, depth = 0): unknown {
  if (!schema || depth > 5) return null;
  if (typeof schema.$ref === 'string')
    return sample(doc, doc.components?.schemas?.[schema.$ref.split('/').pop()!], depth + 1);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  if ('default' in schema && schema.default !== undefined && typeof schema.default !== 'object') return schema.default;
  for (const k of ['anyOf', 'oneOf', 'allOf'] as const) {
    const options = schema[k] as Json[] | undefined;
    if (options?.length) return sample(doc, options.find((o) => o.type !== 'null') ?? options[0], depth + 1);
  }
  const type = Array.isArray(schema.type)
    ? (schema.type as string[]).find((x) => x !== 'null')
    : (schema.type as string | undefined);
  switch (type) {
    case 'object': {
      const out: Json = {};
      for (const [k, s] of Object.entries((schema.properties ?? {}) as Record<string, Json>))
        out[k] = sample(doc, s, depth + 1);
      return out;
    }
    case 'array':
      return [sample(doc, schema.items as Json | undefined, depth + 1)];
    case 'integer':
    case 'number':
      return typeof schema.minimum === 'number' ? schema.minimum : 1;
    case 'boolean':
      return false;
    case 'string': {
      if (schema.format === 'email') return 'fuzz@voorbeeld.nl';
      if (schema.format === 'uuid') return randomUUID();
      if (schema.format === 'date-time') return new Date().toISOString();
      if (schema.format === 'date') return '2026-01-31';
      if (schema.format === 'uri') return 'https://voorbeeld.nl/haak';
      const min = typeof schema.minLength === 'number' ? schema.minLength : 1;
      return 'fuzz'.padEnd(min, 'z');
    }
    default:
      return null;
  }
}

/** JSON pointers (RFC 6901) of the string leaves of `value`, at most `max`. */
function stringPaths(value: unknown, at = '', out: string[] = [], max = 12): string[] {
  if (out.length >= max) return out;
  if (typeof value === 'string') out.push(at);
  else if (Array.isArray(value)) value.forEach((v, i) => stringPaths(v, `${at}/${i}`, out, max));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value))
      stringPaths(v, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out, max);
  return out;
}

function withValue(value: unknown, pointer: string, replacement: unknown): unknown {
  const copy = structuredClone(value) as Json;
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  let at = copy as Record<string, unknown>;
  for (const p of parts.slice(0, -1)) at = at[p] as Record<string, unknown>;
  at[parts.at(-1)!] = replacement;
  return copy;
}

interface Case {
  what: string;
  method: Method;
  url: string;
  headers?: Record<string, string>;
  payload?: string | Buffer;
  /** A NUL (or lone surrogate) was put here: the answer must be a 422 pointing at it. */
  unstorableAt?: string;
}

/** The hostile cases of one operation (bounded: a few dozen at most). */
function casesOf(
  doc: Doc,
  method: Method,
  path: string,
  op: Operation,
  /** ids of objects that exist, by the collection in front of the parameter (`surveys` → a survey's id) */
  real: Record<string, string> = {},
): Case[] {
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path');
  const queryParams = params.filter((p) => p.in === 'query');
  // A parameter of a collection with a real object gets its id (not for DELETE: the object is kept for
  // the operations after it), so a hostile body reaches the handler and the database, not a 404.
  const realOf = (name: string) => {
    if (method === 'delete') return undefined;
    const collection = /\/([a-z-]+)\/\{([A-Za-z]+)\}/.exec(path.slice(0, path.indexOf(`{${name}}`) + name.length + 2));
    return collection && collection[2] === name ? real[collection[1]!] : undefined;
  };
  const urlWith = (values: Record<string, string> = {}, query = '') => {
    let url = path;
    for (const p of pathParams) url = url.replace(`{${p.name}}`, values[p.name] ?? realOf(p.name) ?? randomUUID());
    return query ? `${url}?${query}` : url;
  };
  const jsonSchema = op.requestBody?.content?.['application/json']?.schema;
  const body = jsonSchema ? sample(doc, jsonSchema) : undefined;
  const json = (payload: unknown) => ({
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  });
  const base = body === undefined ? {} : json(body);
  const cases: Case[] = [];

  for (const p of pathParams) {
    cases.push({
      what: `NUL in path parameter ${p.name}`,
      method,
      url: urlWith({ [p.name]: 'a%00b' }),
      ...base,
      unstorableAt: `/params/${p.name}`,
    });
    cases.push({ what: `long path parameter ${p.name}`, method, url: urlWith({ [p.name]: 'x'.repeat(150) }), ...base });
    cases.push({
      what: `bad %-encoding in path parameter ${p.name}`,
      method,
      url: urlWith({ [p.name]: '%zz%E0%A4%A' }),
      ...base,
    });
    cases.push({ what: `odd path parameter ${p.name}`, method, url: urlWith({ [p.name]: '..%2F..%2Fetc' }), ...base });
    cases.push({ what: `number path parameter ${p.name}`, method, url: urlWith({ [p.name]: '-1' }), ...base });
  }
  for (const q of queryParams) {
    cases.push({
      what: `NUL in query ${q.name}`,
      method,
      url: urlWith({}, `${q.name}=a%00b`),
      ...base,
      unstorableAt: `/query/${q.name}`,
    });
    cases.push({
      what: `lone surrogate in query ${q.name}`,
      method,
      url: urlWith({}, `${q.name}=${encodeURIComponent('a')}%ED%A0%80`),
      ...base,
    });
    cases.push({ what: `100k query ${q.name}`, method, url: urlWith({}, `${q.name}=${HUGE}`), ...base });
    cases.push({ what: `repeated query ${q.name}`, method, url: urlWith({}, `${q.name}=1&${q.name}=2`), ...base });
    cases.push({ what: `bad %-encoding in query ${q.name}`, method, url: urlWith({}, `${q.name}=%zz`), ...base });
  }
  cases.push({
    what: 'NUL in an unknown query parameter',
    method,
    url: urlWith({}, 'onbekend=a%00b'),
    ...base,
    unstorableAt: '/query/onbekend',
  });

  if (method !== 'get' && method !== 'delete') {
    if (body !== undefined) {
      for (const at of stringPaths(body)) {
        cases.push({
          what: `NUL in body ${at}`,
          method,
          url: urlWith(),
          ...json(withValue(body, at, NUL)),
          unstorableAt: `/body${at}`,
        });
        cases.push({
          what: `lone surrogate in body ${at}`,
          method,
          url: urlWith(),
          ...json(withValue(body, at, LONE_SURROGATE)),
          unstorableAt: `/body${at}`,
        });
        cases.push({ what: `100k string in body ${at}`, method, url: urlWith(), ...json(withValue(body, at, HUGE)) });
      }
      if (body && typeof body === 'object' && !Array.isArray(body)) {
        for (const k of Object.keys(body).slice(0, 6))
          cases.push({
            what: `deep JSON in body /${k}`,
            method,
            url: urlWith(),
            ...json(withValue(body, `/${k}`, deepJson(1000))),
          });
        cases.push({
          what: 'NUL in a body key',
          method,
          url: urlWith(),
          ...json({ ...(body as Json), 'sleut\u0000el': 1 }),
          unstorableAt: '/body/sleut\uFFFDel',
        });
      }
      cases.push({
        what: 'text/plain body',
        method,
        url: urlWith(),
        headers: { 'content-type': 'text/plain' },
        payload: JSON.stringify(body),
      });
      cases.push({
        what: 'form body',
        method,
        url: urlWith(),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'name=a%00b&x=1',
      });
      cases.push({
        what: 'broken JSON',
        method,
        url: urlWith(),
        headers: { 'content-type': 'application/json' },
        payload: '{"name": "abc',
      });
      cases.push({
        what: 'JSON null',
        method,
        url: urlWith(),
        headers: { 'content-type': 'application/json' },
        payload: 'null',
      });
    }
    cases.push({ what: 'deep JSON body', method, url: urlWith(), ...json(deepJson(1000)) });
    cases.push({
      what: 'very deep JSON body',
      method,
      url: urlWith(),
      headers: { 'content-type': 'application/json' },
      payload: `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
    });
    cases.push({
      what: 'XML body',
      method,
      url: urlWith(),
      headers: { 'content-type': 'application/xml' },
      payload: '<a>\u0000</a>',
    });
    cases.push({
      what: 'multipart garbage',
      method,
      url: urlWith(),
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      payload:
        '--x\r\nContent-Disposition: form-data; name="file"; filename="a\u0000.csv"\r\n\r\n\u0000\u0000\r\n--x--\r\n',
    });
  }
  return cases;
}

function check(c: Case, res: LightMyRequestResponse, who: string): string[] {
  const problems: string[] = [];
  const where = `${who} ${c.method.toUpperCase()} ${c.url.slice(0, 120)} (${c.what})`;
  if (res.statusCode >= 500) problems.push(`${where}: ${res.statusCode} ${res.body.slice(0, 200)}`);
  if (c.url.startsWith('/api/') && res.statusCode >= 400) {
    if (!String(res.headers['content-type']).startsWith('application/problem+json'))
      problems.push(`${where}: ${res.statusCode} is not problem+json (${res.headers['content-type']})`);
    else {
      const p = res.json() as { requestId?: string; status?: number; errors?: { pointer?: string }[] };
      if (!p.requestId) problems.push(`${where}: no requestId`);
      if (p.status !== res.statusCode) problems.push(`${where}: status ${p.status} in a ${res.statusCode}`);
      if (c.unstorableAt && (res.statusCode !== 422 || !p.errors?.some((e) => e.pointer === c.unstorableAt))) {
        problems.push(
          `${where}: expected 422 pointing at ${c.unstorableAt}, got ${res.statusCode} ${res.body.slice(0, 200)}`,
        );
      }
    }
  } else if (c.unstorableAt && res.statusCode !== 422) {
    problems.push(`${where}: expected 422 for unstorable text, got ${res.statusCode}`);
  }
  return problems;
}

describe(`SEC-3 fuzz pass over every operation of the OpenAPI document (${dbKind})`, () => {
  let t: TestApp;
  let owner: string;
  let operator: string;
  let doc: Doc;
  let real: Record<string, string> = {};

  before(async () => {
    // Sign-in limits would answer the fuzzer's sign-ins 429 (fine) and the re-sign-ins too (not).
    t = await startTestApp({ SIGN_IN_RATE_PER_MINUTE: '100000', SIGN_IN_RATE_PER_ACCOUNT: '100000' });
    ({ ownerCookie: owner } = await setUp(t));
    operator = await operatorCookie(t);
    doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    // Real objects for the path parameters of surveys and contacts.
    const survey = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner },
      payload: { name: 'Fuzz' },
    });
    assert.equal(survey.statusCode, 201, survey.body);
    const imported = await importCsv(t, owner, 'email;voornaam\nfuzz@example.nl;Fuzz\n');
    assert.equal(imported.statusCode, 200, imported.body);
    const contacts = await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie: owner } });
    real = { surveys: survey.json().id, contacts: contacts.json().contacts[0].id };
  });
  after(() => t.close());

  test('SEC-3 no generated case gets a 5xx; every /api/ error is problem+json with a requestId; NUL is a 422 with its pointer', async (c) => {
    const problems: string[] = [];
    let count = 0;
    let resignIns = 0;
    let withReal = 0;
    let operations = 0;
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const op = ops[method];
        if (!op) continue;
        operations++;
        const key = `${method} ${path}`;
        const cases = casesOf(doc, method, path, op, real);
        const asOperator = path.startsWith('/api/v1/operator/');
        for (const kase of cases) {
          // Without a session: the cases that reach code before access control (parsing, the text
          // check, routing), for sign-out and the ending operations too. Variants of a body field are
          // refused 401 there like any other body, so once is enough.
          if (
            SESSION_ENDING.has(key) ||
            ORGANISATION_ENDING.has(key) ||
            !/^(100k string|lone surrogate|deep JSON in body) /.test(kase.what)
          ) {
            const anon = await t.app.inject({
              method: kase.method.toUpperCase() as 'GET',
              url: kase.url,
              headers: kase.headers ?? {},
              ...(kase.payload !== undefined ? { payload: kase.payload } : {}),
            });
            problems.push(...check(kase, anon, 'anonymous'));
            count++;
          }
          if (SESSION_ENDING.has(key) || (ORGANISATION_ENDING.has(key) && kase.unstorableAt === undefined)) continue;
          const cookie = asOperator ? operator : owner;
          const res = await t.app.inject({
            method: kase.method.toUpperCase() as 'GET',
            url: kase.url,
            headers: { ...(kase.headers ?? {}), cookie },
            ...(kase.payload !== undefined ? { payload: kase.payload } : {}),
          });
          problems.push(...check(kase, res, asOperator ? 'operator' : 'owner'));
          count++;
          if (Object.values(real).some((id) => kase.url.includes(id))) withReal++;
        }
        // A case may have ended the session after all (a password change, …): sign in again.
        const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: owner } });
        if (me.statusCode === 401) {
          resignIns++;
          owner = await signIn(t, OWNER.email, OWNER.password);
        }
      }
    }
    // FUZZ_REPORT=<file>: every problem found, for reading beyond the 40 the assertion shows.
    if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, problems.join('\n'));
    c.diagnostic(
      `${operations} operations, ${count} requests (${withReal} on a real survey or contact), ${problems.length} problems, ${resignIns} re-sign-ins`,
    );
    assert.ok(withReal > 300, `only ${withReal} requests reached a real survey or contact`);
    assert.ok(operations > 150, `the document has ${operations} operations`);
    assert.deepEqual(problems.slice(0, 40), []);
  });

  test('SEC-3 the NUL places of issue 16 (audit filter, names of users, surveys, templates, API keys, support reasons, label ids) are 422 with a pointer', async () => {
    const cases: [string, string, unknown, string][] = [
      ['GET', '/api/v1/audit?action=a%00b', undefined, '/query/action'],
      ['POST', '/api/v1/users', { email: 'nul@voorbeeld.nl', name: NUL, role: 'viewer' }, '/body/name'],
      ['POST', '/api/v1/surveys', { name: NUL }, '/body/name'],
      ['POST', '/api/v1/email-templates', { name: NUL }, '/body/name'],
      ['POST', '/api/v1/api-keys', { name: NUL, scopes: ['contacts:read'] }, '/body/name'],
      ['POST', '/api/v1/support-access', { reason: NUL, hours: 1 }, '/body/reason'],
      ['PUT', `/api/v1/responses/${randomUUID()}/labels`, { labels: [NUL] }, '/body/labels/0'],
    ];
    for (const [method, url, payload, pointer] of cases) {
      const res = await t.app.inject({
        method: method as 'GET',
        url,
        headers: { cookie: owner },
        ...(payload ? { payload: payload as Json } : {}),
      });
      assert.equal(res.statusCode, 422, `${method} ${url}: ${res.body}`);
      const p = res.json();
      assert.equal(p.code, 'validation_failed');
      assert.ok(p.requestId);
      assert.deepEqual(
        p.errors.map((e: { pointer: string }) => e.pointer),
        [pointer],
      );
    }
  });

  test('SEC-3 errors before routing are problem+json with a requestId: bad %-encoding (400), long parameters (414), unknown paths (404)', async () => {
    for (const [url, status, code] of [
      ['/api/v1/contacts/%zz', 400, 'bad_request'],
      ['/api/v1/surveys/%E0%A4%A/results', 400, 'bad_request'],
      [`/api/v1/contacts/${'a'.repeat(150)}`, 414, 'uri_too_long'],
      ['/api/v1/bestaat-niet', 404, 'not_found'],
    ] as const) {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie: owner } });
      assert.equal(res.statusCode, status, url);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/);
      const p = res.json();
      assert.equal(p.code, code);
      assert.ok(p.requestId);
      assert.equal(res.headers['x-request-id'], p.requestId);
    }
    // A respondent's page answers such errors as a page, not as JSON.
    const page = await t.app.inject({ method: 'GET', url: '/s/%zz' });
    assert.equal(page.statusCode, 400);
    assert.match(String(page.headers['content-type']), /^text\/html/);
  });

  test('SEC-3 errors of the body and method are problem+json with a requestId: a body over the limit (413), broken JSON (400), a content type no route takes (415), a method the path does not have', async () => {
    const huge = JSON.stringify({ name: 'x'.repeat(3 * 1024 * 1024) });
    for (const [what, req, status] of [
      [
        'a body over the limit',
        { method: 'POST', url: '/api/v1/surveys', payload: huge, headers: { 'content-type': 'application/json' } },
        413,
      ],
      [
        'broken JSON',
        {
          method: 'POST',
          url: '/api/v1/surveys',
          payload: '{"name": "a",',
          headers: { 'content-type': 'application/json' },
        },
        400,
      ],
      [
        'a content type no route takes',
        {
          method: 'POST',
          url: '/api/v1/surveys',
          payload: '<a/>',
          headers: { 'content-type': 'application/x-unknown' },
        },
        415,
      ],
      ['a method the path does not have', { method: 'PUT', url: '/api/v1/audit', headers: {} }, 404],
    ] as const) {
      const res = await t.app.inject({ ...req, headers: { ...req.headers, cookie: owner } });
      assert.equal(res.statusCode, status, `${what}: ${res.body.slice(0, 200)}`);
      assert.match(String(res.headers['content-type']), /^application\/problem\+json/, what);
      const p = res.json();
      assert.equal(p.status, status, what);
      assert.ok(p.code && p.requestId, `${what}: code and requestId`);
      assert.equal(res.headers['x-request-id'], p.requestId, what);
    }
  });

  test('SEC-3 what Node refuses before Fastify (a URL over 16 KiB: 431; not HTTP: 400) is problem+json with a requestId', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as { port: number };
    const long = await fetch(`http://127.0.0.1:${port}/api/v1/contacts?email=${'a'.repeat(20_000)}`);
    assert.equal(long.status, 431);
    assert.match(String(long.headers.get('content-type')), /^application\/problem\+json/);
    const p = (await long.json()) as { code: string; requestId: string };
    assert.equal(p.code, 'headers_too_large');
    assert.equal(long.headers.get('x-request-id'), p.requestId);

    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('NONSENSE \u0000 HTTP/9\r\n\r\n'));
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    assert.match(raw, /^HTTP\/1\.1 400 /);
    assert.match(raw, /content-type: application\/problem\+json/i);
    assert.match(raw, /"requestId":"[0-9a-f-]{36}"/);
  });
});

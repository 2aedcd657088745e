import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import SwaggerParser from '@apidevtools/swagger-parser';
import openapiTS, { astToString } from 'openapi-typescript';
import createClient, { type Middleware } from 'openapi-fetch';
import type { AddressInfo } from 'node:net';
import { dbKind, eventually, outbox, setUp, startTestApp, type TestApp } from '../test/harness.js';
import { ContractChecker, type DereferencedDoc } from '../test/openapi-check.js';
import { apiTypesSource } from '../test/api-types.js';

/**
 * Issue 15: the OpenAPI document is the contract. The running app's document is valid (swagger-parser,
 * `redocly lint` without errors or warnings), a client generated from it with a mainstream generator
 * (openapi-typescript + openapi-fetch) drives the main flow and type-checks, and every answer the
 * client gets is what the document says (status, headers, media type, body).
 */

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);
const exec = promisify(execFile);
/** A tool from node_modules/.bin, without the test runner's `--import tsx` (it would not resolve from a temporary folder). */
const run = (file: string, args: string[], opts: { cwd?: string } = {}) =>
  exec(file, args, { ...opts, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NODE_OPTIONS: '' } });

type Json = Record<string, unknown>;
type Doc = Json & {
  paths: Record<
    string,
    Record<string, Json & { operationId?: string; security?: Json[]; responses?: Record<string, Json> }>
  >;
};
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/** test/contract-flow.mts as this file sees it (it is not imported here: it needs the generated types). */
interface FlowOptions {
  baseUrl: string;
  owner: { cookie: string; csrf: string };
  check: Middleware;
  respond: (email: string) => Promise<void>;
}
type Flow = { mainFlow: (create: typeof createClient, o: FlowOptions) => Promise<{ steps: string[] }> };

describe(`issue 15 the OpenAPI contract, with a generated client (${dbKind})`, () => {
  let t: TestApp;
  let baseUrl: string;
  let dir: string;
  let docFile: string;
  let doc: Doc;
  let ownerCookie: string;

  before(async () => {
    // A small API key limit, so that the flow reaches it (429) in a few requests.
    t = await startTestApp({ API_KEY_RATE_PER_MINUTE: '150' });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    dir = mkdtempSync(join(tmpdir(), 'peil-contract-'));
    const res = await fetch(`${baseUrl}/api/openapi.json`);
    assert.equal(res.status, 200);
    doc = (await res.json()) as Doc;
    docFile = join(dir, 'openapi.json');
    writeFileSync(docFile, JSON.stringify(doc, null, 2));
    ({ ownerCookie } = await setUp(t));
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the document the app serves is valid OpenAPI 3.1 for swagger-parser', async () => {
    // validate() changes the object it reads: give it a copy.
    await SwaggerParser.validate(structuredClone(doc) as never);
  });

  test('redocly lint finds no error and no warning in it (redocly.yaml)', async () => {
    // redocly exits with 1 when it finds errors; its JSON report is on standard output either way.
    const out = await run(bin('redocly'), [
      'lint',
      docFile,
      '--config',
      join(root, 'redocly.yaml'),
      '--format',
      'json',
      '--max-problems',
      '1000',
    ]).catch((e: { stdout?: string; stderr?: string }) => ({ stdout: e.stdout ?? '', stderr: e.stderr ?? '' }));
    assert.ok(out.stdout.includes('{'), `redocly's report: ${out.stderr}`);
    const report = JSON.parse(out.stdout.slice(out.stdout.indexOf('{'))) as {
      totals: { errors: number; warnings: number };
      problems: { ruleId: string; message: string }[];
    };
    assert.deepEqual(
      report.problems.map((p) => `${p.ruleId}: ${p.message}`),
      [],
    );
    assert.deepEqual({ errors: report.totals.errors, warnings: report.totals.warnings }, { errors: 0, warnings: 0 });
  });

  test('every operation has a unique camelCase operationId, its security, a 4XX answer and the headers of its answers', () => {
    const ids = new Set<string>();
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const method of METHODS) {
        const op = ops[method];
        if (!op) continue;
        const where = `${method} ${path}`;
        assert.match(op.operationId ?? '', /^[a-z][A-Za-z0-9]*$/, `${where}: operationId`);
        assert.ok(!ids.has(op.operationId!), `${where}: ${op.operationId} is unique`);
        ids.add(op.operationId!);
        assert.ok(Array.isArray(op.security), `${where} states its security`);
        const responses = op.responses ?? {};
        assert.ok(
          Object.keys(responses).some((s) => /^4/.test(s)),
          `${where} has a 4XX answer`,
        );
        if (responses['201'])
          assert.ok((responses['201'].headers as Json | undefined)?.Location, `${where}: Location on 201`);
        if (path.startsWith('/api/')) {
          if (responses['401'])
            assert.equal((responses['401'] as { $ref?: string }).$ref, '#/components/responses/Unauthenticated');
          if (responses['429'])
            assert.equal((responses['429'] as { $ref?: string }).$ref, '#/components/responses/TooManyRequests');
        }
      }
    }
    // The derived ids read as the path does; routes may name their own.
    assert.equal(doc.paths['/api/v1/surveys/{id}/results']!.get!.operationId, 'getSurveysResults');
    assert.equal(doc.paths['/s/{token}']!.post!.operationId, 'postRespondentPage');
    // An API key's scope is in the operation's security; routes a key may not call do not list it.
    assert.deepEqual(doc.paths['/api/v1/contacts']!.post!.security, [
      { session: ['contacts:write'], csrf: [] },
      { bearer: ['contacts:write'] },
    ]);
    assert.deepEqual(doc.paths['/api/v1/api-keys']!.post!.security, [{ session: ['integrations:manage'], csrf: [] }]);
    assert.deepEqual(doc.paths['/api/v1/auth/sign-in']!.post!.security, []);
    // The respondent's page post is a form answered by a redirect, not JSON.
    const post = doc.paths['/s/{token}']!.post! as Json & {
      requestBody: { content: Json };
      responses: Record<string, Json & { headers?: Json }>;
    };
    assert.deepEqual(Object.keys(post.requestBody.content), ['application/x-www-form-urlencoded']);
    assert.ok(post.responses['303']?.headers?.Location);
    // The preview's query has real parameters, not the parts of a schema.
    const preview = doc.paths['/s/preview/{id}']!.get! as { parameters: { name: string; in: string }[] };
    assert.deepEqual(
      preview.parameters
        .filter((p) => p.in === 'query')
        .map((p) => p.name)
        .sort(),
      ['lang', 'nav', 'page'],
    );
    // Files are what they are.
    const csv = doc.paths['/api/v1/surveys/{id}/responses.csv']!.get!.responses!['200'] as { content: Json };
    assert.deepEqual(Object.keys(csv.content), ['text/csv']);
    assert.ok(doc.servers && (doc.servers as { url: string }[])[0]!.url === 'http://peil.test');
  });

  test("the admin app's types are generated from this document: web/src/api.gen.ts is what `npm run api:types` writes", async () => {
    const committed = readFileSync(join(root, 'web', 'src', 'api.gen.ts'), 'utf8');
    const fresh = await apiTypesSource(doc);
    // Not assert.equal on 1 MB of text: name the first line that differs.
    const a = committed.split('\n');
    const b = fresh.split('\n');
    const at = a.findIndex((line, i) => line !== b[i]);
    assert.ok(
      at === -1 && a.length === b.length,
      `web/src/api.gen.ts is out of date (line ${at + 1}: ${JSON.stringify(a[at])} vs ${JSON.stringify(b[at])}); run npm run api:types`,
    );
  });

  test("every /api path is unambiguous (redocly's no-ambiguous-paths is off for the respondent links only)", () => {
    const apiPaths = Object.keys(doc.paths).filter((p) => p.startsWith('/api/'));
    const shape = (p: string) => p.split('/').map((s) => (s.startsWith('{') ? '{}' : s));
    for (const a of apiPaths) {
      for (const b of apiPaths) {
        if (a >= b) continue;
        const [x, y] = [shape(a), shape(b)];
        if (x.length !== y.length) continue;
        // Ambiguous: each side has a parameter where the other has a fixed word, somewhere.
        const aParam = x.some((s, i) => s === '{}' && y[i] !== '{}');
        const bParam = y.some((s, i) => s === '{}' && x[i] !== '{}');
        const clash = x.every((s, i) => s === y[i] || s === '{}' || y[i] === '{}');
        assert.ok(!(clash && aParam && bParam), `${a} and ${b} are ambiguous`);
      }
    }
  });

  test('a client generated by openapi-typescript type-checks the main flow, drives it with openapi-fetch alone, and every answer is as documented', async () => {
    // The types, from the document the app served.
    const ast = await openapiTS(structuredClone(doc) as never);
    writeFileSync(join(dir, 'api.d.ts'), astToString(ast));
    copyFileSync(join(root, 'test', 'contract-flow.mts'), join(dir, 'flow.mts'));
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          lib: ['ES2023', 'DOM'],
          types: [],
          baseUrl: '.',
          paths: { 'openapi-fetch': [join(root, 'node_modules', 'openapi-fetch', 'dist', 'index.d.mts')] },
        },
        files: ['flow.mts', 'api.d.ts'],
      }),
    );
    const tsc = await run(bin('tsc'), ['-p', join(dir, 'tsconfig.json')], { cwd: dir }).then(
      () => '',
      (e: { stdout?: string; stderr?: string }) => `${e.stdout ?? ''}${e.stderr ?? ''}` || String(e),
    );
    assert.equal(tsc, '', 'the flow type-checks against the generated client');
    // And the check can fail: a path the document does not have is a type error.
    writeFileSync(
      join(dir, 'flow.mts'),
      readFileSync(join(root, 'test', 'contract-flow.mts'), 'utf8').replace(
        "'/api/v1/surveys/{id}/open'",
        "'/api/v1/surveys/{id}/opne'",
      ),
    );
    const broken = await run(bin('tsc'), ['-p', join(dir, 'tsconfig.json')], { cwd: dir }).then(
      () => '',
      (e: { stdout?: string }) => e.stdout ?? '',
    );
    assert.match(broken, /flow\.mts\(\d+,\d+\): error TS\d+: .*opne/);
    copyFileSync(join(root, 'test', 'contract-flow.mts'), join(dir, 'flow.mts'));

    // Every answer the client gets, checked against the dereferenced document.
    const checker = new ContractChecker(
      (await SwaggerParser.dereference(structuredClone(doc) as never)) as unknown as DereferencedDoc,
    );
    const problems: string[] = [];
    const check: Middleware = {
      async onResponse({ request, response, schemaPath }) {
        problems.push(
          ...checker.problems({
            method: request.method,
            path: schemaPath,
            status: response.status,
            headers: response.headers,
            body: await response.clone().text(),
          }),
        );
      },
    };

    const csrf = /(?:^|;\s*)peil_csrf=([^;]+)/.exec(ownerCookie)![1]!;
    const respond: FlowOptions['respond'] = async (email) => {
      const mail = await eventually(
        async () => (await outbox(t, ownerCookie)).find((m) => m.to === email),
        20_000,
        'the invitation mail',
      );
      const path = new URL(/https?:\/\/\S+\/s\/[A-Za-z0-9_-]+/.exec(mail.text)![0]).pathname;
      // The respondent's browser: a form post under /s/, answered by a redirect (plain fetch).
      const res = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'score=9&why=Snel+geholpen&lang=nl',
      });
      const body = await res.text();
      problems.push(
        ...checker.problems({ method: 'POST', path: '/s/{token}', status: res.status, headers: res.headers, body }),
      );
      assert.equal(res.status, 303, body);
    };

    const flow = (await import(pathToFileURL(join(dir, 'flow.mts')).href)) as Flow;
    const result = await flow.mainFlow(createClient, { baseUrl, owner: { cookie: ownerCookie, csrf }, check, respond });
    assert.equal(result.steps.length, 10, result.steps.join(', '));
    assert.deepEqual(problems, []);
    // The check saw every answer, errors as well as successes.
    assert.ok(checker.seen.length >= 18, checker.seen.join('\n'));
    for (const status of ['201', '401', '415', '422', '303', '404', '429'])
      assert.ok(
        checker.seen.some((s) => s.endsWith(` ${status}`)),
        `an answer ${status} was checked`,
      );
  });

  test('HTTP conventions: 415 for bodies a route does not declare, Location on 201 (also replayed), WWW-Authenticate on 401, RateLimit-* on 429', async () => {
    // JSON only where JSON is declared; the contact import takes its file as multipart.
    const form = await t.app.inject({
      method: 'POST',
      url: '/api/v1/contacts',
      headers: { cookie: ownerCookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'email=form%40example.nl',
    });
    assert.equal(form.statusCode, 415, form.body);
    assert.match(String(form.headers['content-type']), /^application\/problem\+json/);
    assert.equal(form.json().errors[0].pointer, '/headers/content-type');
    const text = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: ownerCookie, 'content-type': 'text/plain' },
      payload: '{"name":"x"}',
    });
    assert.equal(text.statusCode, 415);
    const upload = await t.app.inject({
      method: 'POST',
      url: '/api/v1/contact-imports',
      headers: { cookie: ownerCookie, 'content-type': 'application/json' },
      payload: '{}',
    });
    assert.equal(upload.statusCode, 415);
    const none = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/contacts?email=form%40example.nl',
        headers: { cookie: ownerCookie },
      })
    ).json();
    assert.equal(JSON.stringify(none).includes('form@example.nl'), false, 'the refused form post stored nothing');

    // Location on 201, and the same Location when the answer is replayed for its Idempotency-Key.
    const create = () =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: ownerCookie, 'idempotency-key': 'survey-once' },
        payload: { name: 'Eenmalig' },
      });
    const first = await create();
    assert.equal(first.statusCode, 201);
    assert.equal(first.headers.location, `/api/v1/surveys/${first.json().id}`);
    const replay = await create();
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal(replay.headers.location, first.headers.location);

    // 401: the challenge fits the route and what was sent.
    const users = await t.app.inject({ method: 'GET', url: '/api/v1/users' });
    assert.equal(users.statusCode, 401);
    assert.equal(
      users.headers['www-authenticate'],
      'Cookie realm="peil", form-action="/api/v1/auth/sign-in", cookie-name="peil_session"',
    );
    const contacts = await t.app.inject({ method: 'GET', url: '/api/v1/contacts' });
    assert.match(String(contacts.headers['www-authenticate']), /^Bearer realm="peil", Cookie realm="peil"/);
    const badKey = await t.app.inject({
      method: 'GET',
      url: '/api/v1/contacts',
      headers: { authorization: 'Bearer peil_geheim' },
    });
    assert.equal(badKey.statusCode, 401);
    assert.match(String(badKey.headers['www-authenticate']), /^Bearer realm="peil", error="invalid_token"/);
    const operator = await t.app.inject({ method: 'GET', url: '/api/v1/operator/tenants' });
    assert.match(String(operator.headers['www-authenticate']), /form-action="\/api\/v1\/operator\/sign-in"/);

    // 429 of a route limit (@fastify/rate-limit: sign-in per address) and of the per-account limit.
    let limited;
    for (let i = 0; i < 100; i++) {
      limited = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        remoteAddress: '192.0.2.77',
        payload: { email: `niemand${i}@example.nl`, password: 'fout-wachtwoord' },
      });
      if (limited.statusCode === 429) break;
    }
    assert.equal(limited!.statusCode, 429);
    assert.ok(Number(limited!.headers['retry-after']) > 0);
    assert.ok(Number(limited!.headers['ratelimit-limit']) > 0);
    assert.equal(limited!.headers['ratelimit-remaining'], '0');
    assert.ok(Number(limited!.headers['ratelimit-reset']) > 0);
    assert.equal(limited!.json().code, 'rate_limited');
    let account;
    for (let i = 0; i < 100; i++) {
      account = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        remoteAddress: `198.51.100.${i}`,
        payload: { email: 'doelwit@example.nl', password: 'fout-wachtwoord' },
      });
      if (account.statusCode === 429) break;
    }
    assert.equal(account!.statusCode, 429);
    assert.ok(Number(account!.headers['retry-after']) > 0);
    assert.equal(account!.headers['ratelimit-remaining'], '0');
  });

  test('the check refuses an answer that is not as documented', async () => {
    const checker = new ContractChecker(
      (await SwaggerParser.dereference(structuredClone(doc) as never)) as unknown as DereferencedDoc,
    );
    const json = new Headers({ 'content-type': 'application/json' });
    const problem = new Headers({ 'content-type': 'application/problem+json' });
    const unauthenticated = JSON.stringify({
      type: 'https://peil.dev/problems/unauthenticated',
      title: 'Sign-in required',
      status: 401,
      detail: 'Not signed in.',
      code: 'unauthenticated',
    });
    const has = (problems: string[], part: string) =>
      assert.ok(
        problems.some((p) => p.includes(part)),
        `${part} in ${problems.join('; ')}`,
      );
    has(
      checker.problems({ method: 'GET', path: '/api/v1/nergens', status: 200, headers: json, body: '{}' }),
      'not in the document',
    );
    has(
      checker.problems({ method: 'POST', path: '/api/v1/surveys', status: 201, headers: json, body: '{}' }),
      'Location',
    );
    has(checker.problems({ method: 'POST', path: '/api/v1/surveys', status: 201, headers: json, body: '{}' }), 'body');
    has(
      checker.problems({
        method: 'GET',
        path: '/api/v1/surveys',
        status: 401,
        headers: problem,
        body: unauthenticated,
      }),
      'WWW-Authenticate',
    );
    has(
      checker.problems({ method: 'GET', path: '/api/v1/surveys', status: 404, headers: json, body: '{}' }),
      'application/problem+json',
    );
    has(
      checker.problems({ method: 'POST', path: '/s/{token}', status: 303, headers: new Headers(), body: '' }),
      'Location',
    );
    assert.deepEqual(
      checker.problems({
        method: 'GET',
        path: '/api/v1/surveys',
        status: 401,
        headers: new Headers({ 'content-type': 'application/problem+json', 'www-authenticate': 'Bearer realm="peil"' }),
        body: unauthenticated,
      }),
      [],
    );
  });
});

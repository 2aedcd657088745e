import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import {
  appOnDatabase,
  eventually,
  freshDatabase,
  importCsv,
  OWNER,
  setUp,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../test/harness.js';
import { MasterKey } from '../../lib/crypto/keyring.js';
import { parseEnv } from '../../lib/env.js';
import { productionProblems } from '../../lib/production.js';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { newWebhookSecret } from './signing.js';

/**
 * OBLIGATIONS SVC-5: integrations from the outside: API keys (scoped, hashed, last use, revocable),
 * idempotency keys on POST, webhooks on a completed response (signed, retried with back-off, logged,
 * SSRF-safe), the responses API with cursor pagination, and the OpenAPI document.
 */

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local receiver on 127.0.0.1: answers with the next status of the script (then 200). */
async function receiver(
  script: number[],
): Promise<{ url: string; got: Received[]; hold: (on: boolean) => void; close: () => Promise<void> }> {
  const got: Received[] = [];
  let held: (() => void)[] | null = null;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      got.push({ headers: req.headers, body });
      const answer = () => {
        const status = script.shift() ?? 200;
        res.writeHead(status, { 'content-type': 'text/plain' }).end(status === 200 ? 'ok' : 'x'.repeat(2000));
      };
      if (held) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    got,
    hold(on) {
      if (on) held = [];
      else {
        const waiting = held ?? [];
        held = null;
        waiting.forEach((f) => f());
      }
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe('SVC-5 integrations', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;
  let surveyId: string;

  const respond = async (n: number) => {
    const mails = await eventually(
      async () => {
        const m = (await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: { cookie: owner } }))
          .json()
          .messages.filter((x: { kind: string }) => x.kind === 'invitation');
        return m.length >= n ? m : null;
      },
      20_000,
      'invitations',
    );
    for (const [i, mail] of mails.slice(0, n).entries()) {
      const path = new URL(/https?:\/\/\S+\/s\/[A-Za-z0-9_-]{86}/.exec(mail.text)![0]).pathname;
      const r = await t.app.inject({
        method: 'POST',
        url: path,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: `score=${7 + i}&why=Reden+${i}&lang=nl`,
      });
      assert.equal(r.statusCode, 303, r.body);
    }
  };

  before(async () => {
    t = await startTestApp({
      PEIL_WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_SWEEP_MS: '100',
      WEBHOOK_RETRY_BASE_MS: '50',
      WEBHOOK_MAX_ATTEMPTS: '4',
      WEBHOOK_TIMEOUT_MS: '5000',
    });
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    await importCsv(
      t,
      owner,
      'email;voornaam\nanna@klant.example;Anna\nbert@klant.example;Bert\ncees@klant.example;Cees\n',
    );
    surveyId = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: owner },
        payload: { name: 'Service' },
      })
    ).json().id;
  });
  after(() => t.close());

  const createKey = async (scopes: string[], name = 'CRM') => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: { cookie: owner },
      payload: { name, scopes },
    });
    assert.equal(res.statusCode, 201, res.body);
    return res.json() as { id: string; key: string; prefix: string };
  };
  const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

  test('SVC-5 an API key is shown once, stored hashed, listed with its last use, limited to its scopes, and revocable', async () => {
    const k = await createKey(['surveys:read', 'results:read']);
    assert.match(k.key, /^peil_[A-Za-z0-9_-]{62}$/);
    assert.ok(k.key.startsWith(k.prefix));
    // Only the hash is in the database.
    const stored = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('api_keys').selectAll().where('id', '=', k.id).executeTakeFirstOrThrow(),
    );
    assert.ok(!JSON.stringify(stored).includes(k.key.slice(13)));
    assert.equal(stored.secret_hash.length, 32);

    const before = (await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: { cookie: owner } })).json();
    const listed = before.keys.find((x: { id: string }) => x.id === k.id);
    assert.equal(listed.lastUsedAt, null);
    assert.ok(!('key' in listed));
    assert.ok(
      !before.scopes.includes('users:manage') &&
        !before.scopes.includes('tenant:manage') &&
        !before.scopes.includes('integrations:manage'),
    );

    // Reads surveys and results with the key.
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/surveys', headers: bearer(k.key) })).statusCode,
      200,
    );
    const results = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${surveyId}/results`,
      headers: bearer(k.key),
    });
    assert.equal(results.statusCode, 200, results.body);
    // Outside its scopes: 403 problem, and recorded.
    const denied = await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: bearer(k.key) });
    assert.equal(denied.statusCode, 403);
    assert.equal(denied.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.match(denied.json().detail, /scope contacts:read/);
    // Never user routes, sessions or key management, whatever the scopes.
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: bearer(k.key) })).statusCode,
      403,
    );
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: bearer(k.key) })).statusCode,
      401,
    );
    // A key together with a session cookie is refused.
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/surveys', headers: { ...bearer(k.key), cookie: owner } }))
        .statusCode,
      400,
    );

    const after1 = (await t.app.inject({ method: 'GET', url: '/api/v1/api-keys', headers: { cookie: owner } }))
      .json()
      .keys.find((x: { id: string }) => x.id === k.id);
    assert.ok(after1.lastUsedAt, 'last use is shown');
    assert.equal(after1.lastUsedIp, '127.0.0.1');

    // A survey created with a key is audited with the key as actor.
    const k2 = await createKey(['surveys:write']);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: bearer(k2.key),
      payload: { name: 'Via de API' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const log = (await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: owner } })).json()
      .entries as { action: string; actor: { kind: string; id: string } }[];
    assert.ok(
      log.some((e) => e.action === 'survey.created' && e.actor.kind === 'apikey' && e.actor.id === k2.id),
      'survey.created by the key',
    );
    assert.ok(
      log.some((e) => e.action === 'auth.access_denied' && e.actor.kind === 'apikey' && e.actor.id === k.id),
      'the refusal is recorded',
    );
    assert.ok(log.some((e) => e.action === 'api_key.created' && e.actor.kind === 'user'));

    // The chain still verifies with key actors in it.
    const verified = await t.app.inject({
      method: 'POST',
      url: '/api/v1/audit/verification',
      headers: { cookie: owner },
    });
    assert.equal(verified.statusCode, 200, verified.body);
    assert.equal(verified.json().ok, true, verified.body);

    // Revoked: 401 at once.
    assert.equal(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/api-keys/${k.id}`, headers: { cookie: owner } }))
        .statusCode,
      204,
    );
    const revoked = await t.app.inject({ method: 'GET', url: '/api/v1/surveys', headers: bearer(k.key) });
    assert.equal(revoked.statusCode, 401);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/surveys', headers: bearer(`${k.key.slice(0, -2)}xx`) }))
        .statusCode,
      401,
    );
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/surveys', headers: bearer('garbage') })).statusCode,
      401,
    );
    const log2 = (await t.app.inject({ method: 'GET', url: '/api/v1/audit', headers: { cookie: owner } })).json()
      .entries as { action: string; subject: { id: string } | null }[];
    assert.ok(log2.some((e) => e.action === 'api_key.revoked' && e.subject?.id === k.id));
    // Scopes a key may not hold are refused at creation.
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: { cookie: owner },
      payload: { name: 'x', scopes: ['users:manage'] },
    });
    assert.equal(bad.statusCode, 422);
  });

  test('SVC-5 Idempotency-Key: a retry replays the answer without running the handler again, another body is 422', async () => {
    const k = await createKey(['surveys:write', 'surveys:read']);
    const headers = { ...bearer(k.key), 'idempotency-key': 'create-survey-1' };
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers,
      payload: { name: 'Eenmalig' },
    });
    assert.equal(first.statusCode, 201, first.body);
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers,
      payload: { name: 'Eenmalig' },
    });
    assert.equal(again.statusCode, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.json().id, first.json().id);
    const all = (await t.app.inject({ method: 'GET', url: '/api/v1/surveys', headers: bearer(k.key) })).json()
      .surveys as { name: string }[];
    assert.equal(all.filter((s) => s.name === 'Eenmalig').length, 1, 'the handler ran once');
    const other = await t.app.inject({ method: 'POST', url: '/api/v1/surveys', headers, payload: { name: 'Anders' } });
    assert.equal(other.statusCode, 422);
    assert.equal(other.json().errors[0].pointer, '/headers/idempotency-key');
    // The stored answer is sealed with the tenant key, not in clear.
    const row = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('idempotency_keys').selectAll().where('key', '=', 'create-survey-1').executeTakeFirstOrThrow(),
    );
    assert.ok(!row.response_enc!.toString('latin1').includes('Eenmalig'));
    // Keys are per principal: the owner's session may use the same key for its own request.
    const mine = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner, 'idempotency-key': 'create-survey-1' },
      payload: { name: 'Van de eigenaar' },
    });
    assert.equal(mine.statusCode, 201);
    assert.equal(mine.headers['idempotent-replayed'], undefined);
  });

  test('SVC-5 webhooks: signed delivery to a local receiver, retried with back-off after a 500, logged per attempt, redelivered by hand (Idempotency-Key: 409 while the first runs); the payload of an identified survey names the contact', async () => {
    const rx = await receiver([500]);
    try {
      const created = await t.app.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        headers: { cookie: owner },
        payload: { url: rx.url, events: ['response.completed'] },
      });
      assert.equal(created.statusCode, 201, created.body);
      const { id: hookId, secret } = created.json();
      assert.match(secret, /^whsec_/);
      assert.ok(
        !(
          'secret' in
          (await t.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: { cookie: owner } })).json()
            .webhooks[0]
        ),
      );

      const d = await t.app.inject({
        method: 'POST',
        url: `/api/v1/surveys/${surveyId}/distributions`,
        headers: { cookie: owner },
        payload: { all: true },
      });
      assert.equal(d.statusCode, 202, d.body);
      await respond(3);

      const log = await eventually(
        async () => {
          const ds = (
            await t.app.inject({
              method: 'GET',
              url: `/api/v1/webhooks/${hookId}/deliveries`,
              headers: { cookie: owner },
            })
          ).json().deliveries as { status: string; attempts: number; log: { statusCode: number; excerpt: string }[] }[];
          return ds.length === 3 && ds.every((x) => x.status === 'delivered') ? ds : null;
        },
        30_000,
        'three delivered events',
      );
      const retried = log.filter((x) => x.attempts === 2);
      assert.equal(retried.length, 1, 'the first attempt got a 500 and was retried');
      assert.deepEqual(
        retried[0]!.log.map((a) => a.statusCode),
        [500, 200],
      );
      assert.ok(retried[0]!.log[0]!.excerpt.length <= 500, 'only a short excerpt of the answer is kept');

      assert.equal(rx.got.length, 4);
      const contacts = (await t.app.inject({ method: 'GET', url: '/api/v1/contacts', headers: { cookie: owner } }))
        .json()
        .contacts.map((c: { id: string }) => c.id);
      for (const r of rx.got) {
        // Standard Webhooks: verified with the standardwebhooks library, as a receiver would.
        const ev = new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as {
          id: string;
          type: string;
          data: Record<string, unknown> & { answers: Record<string, unknown> };
        };
        assert.throws(
          () => new Webhook(newWebhookSecret()).verify(r.body, r.headers as Record<string, string>),
          WebhookVerificationError,
        );
        assert.equal(r.headers['webhook-id'], ev.id);
        assert.equal(r.headers['peil-signature'], undefined, 'a new (standard) secret signs no legacy header');
        assert.equal(ev.type, 'response.completed');
        assert.equal(ev.data.surveyId, surveyId);
        assert.equal(ev.data.anonymity, 'identified');
        assert.ok(contacts.includes(ev.data.contactId), 'identified: the contact id is in the payload');
        assert.match(String(ev.data.answers.why), /^Reden \d$/);
        assert.equal(typeof ev.data.answers.score, 'number', 'answers per question id, typed');
        assert.ok(!('answers' in ev.data.answers), 'not the storage wrapper');
        assert.equal(r.headers['peil-event-id'], ev.id);
      }
      // Retries carry the same event id.
      assert.equal(new Set(rx.got.map((r) => JSON.parse(r.body).id)).size, 3);

      // Manual redeliver adds an attempt to the log; with an Idempotency-Key a retry while it runs is 409.
      const one = log[0] as unknown as { id: string; attempts: number };
      rx.hold(true);
      const key = { cookie: owner, 'idempotency-key': `redeliver-${one.id}` };
      const running = t.app.inject({
        method: 'POST',
        url: `/api/v1/webhook-deliveries/${one.id}/redeliver`,
        headers: key,
      });
      await eventually(async () => rx.got.length === 5, 10_000, 'the redelivery to arrive');
      const meanwhile = await t.app.inject({
        method: 'POST',
        url: `/api/v1/webhook-deliveries/${one.id}/redeliver`,
        headers: key,
      });
      assert.equal(meanwhile.statusCode, 409, meanwhile.body);
      rx.hold(false);
      const done = await running;
      assert.equal(done.statusCode, 202, done.body);
      assert.equal(done.json().attempts, one.attempts + 1);
      const replay = await t.app.inject({
        method: 'POST',
        url: `/api/v1/webhook-deliveries/${one.id}/redeliver`,
        headers: key,
      });
      assert.equal(replay.statusCode, 202);
      assert.equal(replay.headers['idempotent-replayed'], 'true');
      assert.equal(rx.got.length, 5, 'the replay did not send again');

      // Deactivated: no new deliveries.
      const off = await t.app.inject({
        method: 'PATCH',
        url: `/api/v1/webhooks/${hookId}`,
        headers: { cookie: owner },
        payload: { active: false },
      });
      assert.equal(off.json().active, false);
    } finally {
      rx.hold(false);
      await rx.close();
    }
  });

  test('SVC-5 responses API: cursor pagination with contact ids for an identified survey', async () => {
    const k = await createKey(['responses:export']);
    const p1 = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${surveyId}/responses?limit=2`,
      headers: bearer(k.key),
    });
    assert.equal(p1.statusCode, 200, p1.body);
    const b1 = p1.json();
    assert.equal(b1.anonymity, 'identified');
    assert.equal(b1.responses.length, 2);
    assert.ok(b1.next);
    assert.ok(b1.responses.every((r: { contactId: string | null }) => typeof r.contactId === 'string'));
    const p2 = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/surveys/${surveyId}/responses?limit=2&after=${b1.next}`,
        headers: bearer(k.key),
      })
    ).json();
    assert.equal(p2.responses.length, 1);
    assert.equal(p2.next, null);
    const ids = [...b1.responses, ...p2.responses].map((r: { id: string }) => r.id);
    assert.equal(new Set(ids).size, 3);
    assert.deepEqual(p2.responses[0].answers.why !== undefined, true);
    const bad = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${surveyId}/responses?after=nonsense`,
      headers: bearer(k.key),
    });
    assert.equal(bad.statusCode, 422);
  });

  test('SVC-5 the OpenAPI document has the bearer scheme, marks the routes keys may call, and has examples on the integration routes', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    assert.equal(doc.openapi, '3.1.0');
    assert.deepEqual(doc.components.securitySchemes.bearer, {
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'peil_…',
      description: doc.components.securitySchemes.bearer.description,
    });
    assert.ok(doc.components.securitySchemes.session);
    const sec = (p: string, m: string) => JSON.stringify(doc.paths[p][m].security ?? doc.security);
    assert.match(sec('/api/v1/surveys/{id}/results', 'get'), /bearer/);
    assert.match(sec('/api/v1/surveys/{id}/responses', 'get'), /bearer/);
    assert.doesNotMatch(sec('/api/v1/api-keys', 'post'), /bearer/);
    assert.doesNotMatch(sec('/api/v1/users', 'post'), /bearer/);
    const text = (p: string, m: string) => JSON.stringify(doc.paths[p][m]);
    for (const [p, m] of [
      ['/api/v1/api-keys', 'post'],
      ['/api/v1/api-keys', 'get'],
      ['/api/v1/webhooks', 'post'],
      ['/api/v1/webhooks/{id}/deliveries', 'get'],
      ['/api/v1/surveys/{id}/responses', 'get'],
    ] as const) {
      assert.match(text(p, m), /"examples?"/, `${m} ${p} has examples`);
    }
  });
});

describe('SVC-5 webhooks with the default configuration', () => {
  let t: TestApp;
  let owner: string;
  before(async () => {
    t = await startTestApp({ WEBHOOK_SWEEP_MS: '0', API_KEY_RATE_PER_MINUTE: '3' });
    ({ ownerCookie: owner } = await setUp(t));
  });
  after(() => t.close());

  test('SVC-5 SEC-3 a webhook to a private, loopback, link-local or metadata address is refused at registration', async () => {
    for (const url of [
      'https://127.0.0.1/hook',
      'https://10.1.2.3/hook',
      'https://169.254.169.254/latest/meta-data',
      'https://localhost/hook',
      'https://[::1]/hook',
      'https://192.168.1.10/x',
      'http://example.com/hook',
    ]) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        headers: { cookie: owner },
        payload: { url },
      });
      assert.equal(res.statusCode, 422, `${url}: ${res.body}`);
      assert.equal(res.json().errors[0].pointer, '/body/url');
    }
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/webhooks', headers: { cookie: owner } })).json().webhooks
        .length,
      0,
    );
  });

  test('SVC-5 SEC-5 production refuses PEIL_WEBHOOK_ALLOW_PRIVATE (development and tests only)', () => {
    const good = {
      PEIL_ENV: 'production',
      SMTP_URL: 'smtps://p:s@smtp.example.nl:465',
      PEIL_BASE_URL: 'https://peil.example.nl',
      PEIL_TRUSTED_PROXIES: '10.0.0.0/8',
      DATABASE_URL: 'postgres://peil@db.example.nl/peil',
    };
    const facts = { masterKey: { origin: 'env' as const, bytes: randomBytes(32) } };
    assert.deepEqual(productionProblems(parseEnv(good), facts), []);
    const p = productionProblems(parseEnv({ ...good, PEIL_WEBHOOK_ALLOW_PRIVATE: 'true' }), facts);
    assert.equal(p.length, 1);
    assert.match(p[0]!, /PEIL_WEBHOOK_ALLOW_PRIVATE/);
  });

  test('SVC-5 requests with one API key are rate-limited per key', async () => {
    const mk = async () =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/api-keys',
          headers: { cookie: owner },
          payload: { name: 'snel', scopes: ['surveys:read'] },
        })
      ).json().key as string;
    const [a, b] = [await mk(), await mk()];
    const codes = [];
    for (let i = 0; i < 4; i++)
      codes.push(
        (await t.app.inject({ method: 'GET', url: '/api/v1/surveys', headers: { authorization: `Bearer ${a}` } }))
          .statusCode,
      );
    assert.deepEqual(codes, [200, 200, 200, 429]);
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/surveys', headers: { authorization: `Bearer ${b}` } }))
        .statusCode,
      200,
      'another key has its own limit',
    );
  });
});

const setUpCookie = (t: TestApp) => signIn(t, OWNER.email, OWNER.password);

describe('SVC-5 webhook events survive a restart', () => {
  test('SVC-5 responses that came in while no dispatcher ran are delivered after the restart, once each; the delivery log is kept 30 days', async () => {
    const db = await freshDatabase();
    const master = new MasterKey(randomBytes(32));
    const rx = await receiver([]);
    const overrides = { PEIL_WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '50' };
    let t: TestApp | undefined;
    try {
      // First run: no dispatcher at all (as if it crashed before its first round).
      t = await appOnDatabase(db.handle, master, { ...overrides, WEBHOOK_SWEEP_MS: '0' }, { closeHandle: false });
      const { ownerCookie: owner } = await setUp(t);
      await importCsv(t, owner, 'email\nx@klant.example\ny@klant.example\n');
      const hook = await t.app.inject({
        method: 'POST',
        url: '/api/v1/webhooks',
        headers: { cookie: owner },
        payload: { url: rx.url },
      });
      assert.equal(hook.statusCode, 201, hook.body);
      const surveyId = (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/surveys',
          headers: { cookie: owner },
          payload: { name: 'Herstart' },
        })
      ).json().id;
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/surveys/${surveyId}/distributions`,
        headers: { cookie: owner },
        payload: { all: true },
      });
      const mails = await eventually(async () => {
        const m = (await t!.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: { cookie: owner } }))
          .json()
          .messages.filter((x: { kind: string }) => x.kind === 'invitation');
        return m.length >= 2 ? m : null;
      });
      for (const mail of mails) {
        const path = new URL(/https?:\/\/\S+\/s\/[A-Za-z0-9_-]{86}/.exec(mail.text)![0]).pathname;
        await t.app.inject({
          method: 'POST',
          url: path,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: 'score=10&lang=nl',
        });
      }
      await t.close();
      t = undefined;
      assert.equal(rx.got.length, 0);

      // Second run, on the same database: the dispatcher finds both events.
      t = await appOnDatabase(db.handle, master, { ...overrides, WEBHOOK_SWEEP_MS: '100' }, { closeHandle: false });
      await eventually(async () => rx.got.length >= 2, 20_000, 'both events after the restart');
      const ids = rx.got.map((r) => JSON.parse(r.body).data.responseId as string);
      assert.equal(new Set(ids).size, 2);

      // The delivery log (sealed answers) is kept 30 days: a log from 31 days ago is gone after the next prune (at start).
      const hookId = hook.json().id as string;
      const owner2 = await setUpCookie(t);
      const log = async () =>
        (
          await t!.app.inject({
            method: 'GET',
            url: `/api/v1/webhooks/${hookId}/deliveries`,
            headers: { cookie: owner2 },
          })
        ).json().deliveries as { status: string }[];
      await eventually(
        async () => (await log()).every((d) => d.status === 'delivered') && (await log()).length === 2,
        20_000,
        'both delivered',
      );
      await t.close();
      t = undefined;
      // As if the first response and its delivery were 31 days old.
      await db.handle.pool.query(
        "UPDATE webhook_deliveries SET created_at = now() - interval '31 days' WHERE event_id = $1",
        [ids[0]],
      );
      await db.handle.pool.query("UPDATE responses SET submitted_at = now() - interval '31 days' WHERE id = $1", [
        ids[0],
      ]);
      t = await appOnDatabase(db.handle, master, { ...overrides, WEBHOOK_SWEEP_MS: '100' }, { closeHandle: false });
      const owner3 = await setUpCookie(t);
      const remaining = await eventually(
        async () => {
          const ds = (
            await t!.app.inject({
              method: 'GET',
              url: `/api/v1/webhooks/${hookId}/deliveries`,
              headers: { cookie: owner3 },
            })
          ).json().deliveries as { eventId: string }[];
          return ds.length === 1 ? ds : null;
        },
        20_000,
        'the old delivery pruned',
      );
      assert.equal(remaining[0]!.eventId, ids[1]);
    } finally {
      await t?.close();
      await rx.close();
      await db.handle.close();
      await db.drop();
    }
  });
});

import { after, before, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { buildApp } from '../../app.js';
import {
  eventually,
  importCsv,
  injectLikeTheAdminApp,
  setUp,
  startTestApp,
  type TestApp,
} from '../../../test/harness.js';
import { startSmtp, type TestSmtp } from '../../../test/smtp.js';
import { signedRowToken } from '../../lib/tokens.js';
import { unsubscribeLink } from '../distribution/mail.js';
import { answersByQuestion } from '../surveys/answers.js';
import type { SurveyDefinition } from '../surveys/definition.js';
import { EVENT_SCHEMAS } from './event-schemas.js';
import { asStandardSecret } from './signing.js';

/**
 * Issue 15, OBLIGATIONS SVC-5: webhooks to the Standard Webhooks specification, received by a real
 * HTTP server on 127.0.0.1 that verifies every delivery with the `standardwebhooks` library (as an
 * integrator's receiver would); secret rotation with an overlap; ping, delete, event types; failed
 * attempts logged and shown; answers per question id in the API and the events. OBLIGATIONS SVC-4:
 * events about confidential and anonymous surveys carry nothing that links a person to an answer.
 */

interface Got {
  headers: Record<string, string>;
  body: string;
}

async function receiver(): Promise<{ url: string; got: Got[]; status: { code: number }; close: () => Promise<void> }> {
  const got: Got[] = [];
  const status = { code: 200 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      got.push({ headers: req.headers as Record<string, string>, body });
      res
        .writeHead(status.code, { 'content-type': 'text/plain' })
        .end(status.code === 200 ? 'ok' : 'ontvanger-zegt-nee');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    got,
    status,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

const typeOf = (g: Got) => (JSON.parse(g.body) as { type: string }).type;

const DEFINITION = {
  questions: [
    { id: 'score', type: 'nps', required: true, text: { nl: 'Aanbevelen?', en: 'Recommend?' } },
    {
      id: 'channel',
      type: 'single',
      text: { nl: 'Kanaal', en: 'Channel' },
      options: [
        { value: 'phone', label: { nl: 'Telefoon', en: 'Phone' } },
        { value: 'mail', label: { nl: 'Mail', en: 'Mail' } },
      ],
    },
    {
      id: 'topics',
      type: 'multiple',
      text: { nl: 'Onderwerpen', en: 'Topics' },
      options: [
        { value: 'price', label: { nl: 'Prijs', en: 'Price' } },
        { value: 'speed', label: { nl: 'Snelheid', en: 'Speed' } },
        { value: 'staff', label: { nl: 'Personeel', en: 'Staff' } },
      ],
    },
    { id: 'stars', type: 'rating', min: 1, max: 5, text: { nl: 'Sterren', en: 'Stars' } },
    { id: 'effort', type: 'ces', text: { nl: 'Moeite', en: 'Effort' } },
    { id: 'visits', type: 'number', text: { nl: 'Bezoeken', en: 'Visits' } },
    { id: 'visit', type: 'date', text: { nl: 'Datum', en: 'Date' } },
    { id: 'why', type: 'text', text: { nl: 'Waarom?', en: 'Why?' } },
    { id: 'extra', type: 'text', text: { nl: 'Nog iets?', en: 'Anything else?' } },
  ],
  invitation: { subject: { nl: 'Vraag', en: 'Question' }, body: { nl: 'Doe mee: {{link}}', en: 'Join: {{link}}' } },
  thanks: { nl: 'Dank', en: 'Thanks' },
};

describe('SVC-5 Standard Webhooks', () => {
  let t: TestApp;
  let logged: FastifyInstance;
  let smtp: TestSmtp;
  let owner: string;
  let tenantId: string;
  let rx: Awaited<ReturnType<typeof receiver>>;
  const lines: string[] = [];
  const form = { 'content-type': 'application/x-www-form-urlencoded' };

  before(async () => {
    smtp = await startSmtp();
    t = await startTestApp({
      SMTP_URL: smtp.url,
      PEIL_WEBHOOK_ALLOW_PRIVATE: 'true',
      WEBHOOK_SWEEP_MS: '100',
      WEBHOOK_RETRY_BASE_MS: '50',
      WEBHOOK_MAX_ATTEMPTS: '2',
      LOG_LEVEL: 'info',
    });
    logged = await buildApp(t.ctx, {
      logger: true,
      logStream: { write: (line) => void lines.push(line) },
      startWorkers: false,
    });
    await logged.ready();
    injectLikeTheAdminApp(logged);
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    smtp.reject.add('weg@bounce.example');
    await importCsv(
      t,
      owner,
      'email;voornaam\nanna@klant.example;Anna\nbert@klant.example;Bert\nweg@bounce.example;Weg\n',
    );
    rx = await receiver();
  });
  after(async () => {
    await logged.close();
    await t.close();
    await rx.close();
    await smtp.close();
  });

  const api = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) => {
    const res = await t.app.inject({
      method,
      url,
      headers: { cookie: owner },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.body ? res.json() : null };
  };
  const createHook = async (events: string[]) => {
    const r = await api('POST', '/api/v1/webhooks', { url: rx.url, events });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body as { id: string; secret: string; events: string[] };
  };
  /** A survey, sent to all contacts, to the given ones, or (null) to nobody. */
  async function survey(anonymity: 'identified' | 'anonymous' | 'confidential', contacts: 'all' | string[] | null) {
    const s = await api('POST', '/api/v1/surveys', {
      name: `Webhooks ${anonymity} ${randomUUID().slice(0, 6)}`,
      kind: 'custom',
      anonymity,
      definition: DEFINITION,
    });
    assert.equal(s.status, 201, JSON.stringify(s.body));
    if (contacts) {
      const d = await api(
        'POST',
        `/api/v1/surveys/${s.body.id}/distributions`,
        contacts === 'all' ? { all: true } : { contactIds: contacts },
      );
      assert.equal(d.status, 202, JSON.stringify(d.body));
    }
    return s.body.id as string;
  }
  const contactIdOf = async (email: string) =>
    ((await api('GET', '/api/v1/contacts')).body.contacts as { id: string; email: string }[]).find(
      (c) => c.email === email,
    )!.id;
  async function invitations(surveyId: string) {
    return eventually(
      async () => {
        const rows = await t.ctx.db.tenant(tenantId, (tx) =>
          tx
            .selectFrom('invitations')
            .select(['id', 'status', 'contact_id'])
            .where('survey_id', '=', surveyId)
            .orderBy('id')
            .execute(),
        );
        return rows.length && rows.every((r) => r.status !== 'queued') ? rows : null;
      },
      30_000,
      'invitations sent',
    );
  }
  async function answer(surveyId: string, invitationId: string, fields: string) {
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const res = await t.app.inject({
      method: 'POST',
      url: `/s/${signedRowToken(tenantId, invitationId, (b) => keys.tokenMac(b), surveyId)}`,
      headers: form,
      payload: fields,
    });
    assert.equal(res.statusCode, 303, res.body);
  }
  const verified = (secret: string, g: Got) =>
    new Webhook(secret).verify(g.body, g.headers) as { id: string; type: string; data: Record<string, unknown> };

  test('SVC-5 answers per question id, typed per question type, the same in the responses API and the response.completed event (verified with the standardwebhooks library)', async () => {
    const hook = await createHook(['response.completed']);
    assert.match(hook.secret, /^whsec_[A-Za-z0-9+/]{43}=$/);
    // Only to Anna: the bouncing address is kept for the last test.
    const surveyId = await survey('identified', [await contactIdOf('anna@klant.example')]);
    const [inv] = await invitations(surveyId);
    await answer(
      surveyId,
      inv!.id,
      'score=9&channel=phone&topics=speed&topics=price&stars=4&effort=2&visits=3,5&visit=2026-11-20&why=Snel+geholpen&lang=nl',
    );
    const got = await eventually(
      async () => rx.got.find((g) => typeOf(g) === 'response.completed' && g.body.includes(surveyId)),
      20_000,
      'the event',
    );
    const ev = verified(hook.secret, got);
    const expected = {
      score: 9,
      channel: 'phone',
      topics: ['price', 'speed'],
      stars: 4,
      effort: 2,
      visits: 3.5,
      visit: '2026-11-20',
      why: 'Snel geholpen',
    };
    assert.deepEqual(ev.data.answers, expected);
    const k = await api('POST', '/api/v1/api-keys', { name: 'Lezer', scopes: ['responses:export'] });
    const page = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${surveyId}/responses`,
      headers: { authorization: `Bearer ${k.body.key}` },
    });
    assert.equal(page.statusCode, 200, page.body);
    assert.deepEqual(page.json().responses[0].answers, expected);
    // The document describes what the server sends.
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const schema = JSON.stringify(doc.paths['/api/v1/surveys/{id}/responses'].get.responses['200']);
    assert.match(schema, /per question id of the survey/);
    assert.doesNotMatch(schema, /"why":\s*\{/, 'no storage wrapper');
    assert.equal((await api('DELETE', `/api/v1/webhooks/${hook.id}`)).status, 204);
  });

  test('SVC-5 responses stored before typed answers ({score, why}) are given per question id too', () => {
    const def = DEFINITION as unknown as SurveyDefinition;
    assert.deepEqual(answersByQuestion(def, { score: 7, why: 'Oud antwoord' }), { score: 7, why: 'Oud antwoord' });
    assert.deepEqual(
      answersByQuestion(def, { score: 7, why: null, answers: { score: 7, topics: 'price', gone: 'x' } }),
      { score: 7, topics: ['price'] },
    );
  });

  test('SVC-5 SEC-3 the receiver refuses a tampered body, a replayed (old) delivery and a signature with another secret', async () => {
    const hook = await createHook(['survey.closed']);
    const before = rx.got.length;
    const surveyId = await survey('identified', null);
    assert.equal((await api('POST', `/api/v1/surveys/${surveyId}/close`)).status, 200);
    const got = await eventually(
      async () => rx.got.slice(before).find((g) => g.body.includes(surveyId)),
      20_000,
      'survey.closed',
    );
    const ev = verified(hook.secret, got);
    assert.equal(ev.type, 'survey.closed');
    assert.equal(ev.data.surveyId, surveyId);
    assert.equal(got.headers['webhook-id'], ev.id);
    const wh = new Webhook(hook.secret);
    // Tampered body (same length, another survey id), and another webhook's secret.
    assert.throws(() => wh.verify(got.body.replace(surveyId, randomUUID()), got.headers), WebhookVerificationError);
    assert.throws(
      () =>
        wh.verify(got.body, {
          ...got.headers,
          'webhook-timestamp': String(Number(got.headers['webhook-timestamp']) - 1),
        }),
      WebhookVerificationError,
    );
    const other = await createHook(['survey.closed']);
    assert.throws(() => new Webhook(other.secret).verify(got.body, got.headers), WebhookVerificationError);
    await api('DELETE', `/api/v1/webhooks/${other.id}`);
    // The same delivery replayed ten minutes later: too old.
    mock.timers.enable({ apis: ['Date'], now: Date.now() + 10 * 60_000 });
    try {
      assert.throws(() => wh.verify(got.body, got.headers), /too old/);
    } finally {
      mock.timers.reset();
    }
    assert.ok(wh.verify(got.body, got.headers));
    await api('DELETE', `/api/v1/webhooks/${hook.id}`);
  });

  test('SVC-5 rotation: during the overlap deliveries carry both signatures, after it only the new secret verifies; without overlap the old secret stops at once', async () => {
    const hook = await createHook(['survey.closed']);
    const closeOne = async () => {
      const before = rx.got.length;
      const surveyId = await survey('identified', null);
      await api('POST', `/api/v1/surveys/${surveyId}/close`);
      // Two webhooks may receive it; take the delivery signed for this one (its secrets verify it).
      return eventually(
        async () => {
          const got = rx.got.slice(before).filter((g) => g.body.includes(surveyId));
          return got.length ? got : null;
        },
        20_000,
        'the event',
      );
    };
    const rotated = await api('POST', `/api/v1/webhooks/${hook.id}/rotate-secret`, { overlapHours: 24 });
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body));
    const fresh: string = rotated.body.secret;
    assert.notEqual(fresh, hook.secret);
    assert.ok(rotated.body.previousSecretUntil);
    const during = await closeOne();
    const mine = during.find((g) => g.headers['webhook-signature']!.split(' ').length === 2)!;
    assert.ok(mine, 'two signatures during the overlap');
    assert.ok(verified(fresh, mine));
    assert.ok(verified(hook.secret, mine), 'the old secret still verifies during the overlap');
    // The overlap ends (as if 24 hours passed).
    await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .updateTable('webhooks')
        .set({ previous_until: new Date(Date.now() - 1000) })
        .where('id', '=', hook.id)
        .execute(),
    );
    const listed = (await api('GET', '/api/v1/webhooks')).body.webhooks.find((w: { id: string }) => w.id === hook.id);
    assert.equal(listed.previousSecretUntil, null);
    const afterOverlap = (await closeOne()).filter((g) => {
      try {
        return !!verified(fresh, g);
      } catch {
        return false;
      }
    });
    assert.equal(afterOverlap.length, 1);
    assert.equal(afterOverlap[0]!.headers['webhook-signature']!.split(' ').length, 1);
    assert.throws(
      () => verified(hook.secret, afterOverlap[0]!),
      WebhookVerificationError,
      'the rotated-away secret no longer verifies',
    );
    // No overlap: the previous secret is gone at once.
    const again = await api('POST', `/api/v1/webhooks/${hook.id}/rotate-secret`, { overlapHours: 0 });
    assert.equal(again.body.previousSecretUntil, null);
    const now = (await closeOne()).filter((g) => {
      try {
        return !!verified(again.body.secret, g);
      } catch {
        return false;
      }
    });
    assert.equal(now.length, 1);
    assert.throws(() => verified(fresh, now[0]!), WebhookVerificationError);
    const log = (await api('GET', '/api/v1/audit')).body.entries as {
      action: string;
      subject: { id: string } | null;
    }[];
    assert.equal(log.filter((e) => e.action === 'webhook.secret_rotated' && e.subject?.id === hook.id).length, 2);
    await api('DELETE', `/api/v1/webhooks/${hook.id}`);
  });

  test('SVC-5 a secret issued before Standard Webhooks (legacy) keeps working: the old Peil-Signature header, and the library with whsec_ + base64 of the old secret', async () => {
    const hook = await createHook(['survey.closed']);
    const old = 'whsec_3q2-7wE9bN0xYk1LmP4rS6tU8vW0zA2cD4eF6gH8iJ0';
    const keys = await t.ctx.keyring.forTenant(tenantId);
    await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .updateTable('webhooks')
        .set({ secret_enc: keys.seal(old), secret_scheme: 'legacy' })
        .where('id', '=', hook.id)
        .execute(),
    );
    const before = rx.got.length;
    const surveyId = await survey('identified', null);
    await api('POST', `/api/v1/surveys/${surveyId}/close`);
    const got = await eventually(
      async () => rx.got.slice(before).find((g) => g.body.includes(surveyId) && g.headers['peil-signature']),
      20_000,
      'the event',
    );
    const [tPart, vPart] = got.headers['peil-signature']!.split(',');
    const at = tPart!.slice(2);
    assert.equal(
      vPart!.slice(3),
      createHmac('sha256', old).update(`${at}.${got.body}`).digest('hex'),
      'the old scheme verifies',
    );
    assert.ok(verified(asStandardSecret({ secret: old, scheme: 'legacy' }), got));
    assert.equal(
      (await api('GET', '/api/v1/webhooks')).body.webhooks.find((w: { id: string }) => w.id === hook.id).secretScheme,
      'legacy',
    );
    await api('DELETE', `/api/v1/webhooks/${hook.id}`);
  });

  test("SVC-5 ping reports the receiver's answer; a failed attempt is logged (no payload, secret or URL) and shown in the last attempts; delete stops deliveries", async () => {
    const hook = await createHook(['survey.closed']);
    const ok = await api('POST', `/api/v1/webhooks/${hook.id}/ping`);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.ok, true);
    assert.equal(ok.body.statusCode, 200);
    const ping = rx.got.find((g) => g.headers['webhook-id'] === ok.body.eventId)!;
    assert.equal(verified(hook.secret, ping).type, 'webhook.ping');

    rx.status.code = 503;
    const res = await logged.inject({
      method: 'POST',
      url: `/api/v1/webhooks/${hook.id}/ping`,
      headers: { cookie: owner },
    });
    rx.status.code = 200;
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual([res.json().ok, res.json().statusCode, res.json().excerpt], [false, 503, 'ontvanger-zegt-nee']);
    const failed = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((l) => l.event === 'webhook.delivery_failed');
    assert.equal(failed.length, 1);
    assert.equal(failed[0]!.statusCode, 503);
    assert.equal(failed[0]!.deliveryId, res.json().deliveryId);
    assert.equal(failed[0]!.level, 40);
    const all = lines.join('\n');
    for (const leak of [
      hook.secret,
      hook.secret.slice(6, 20),
      rx.url,
      '127.0.0.1:',
      'Testbericht',
      'ontvanger-zegt-nee',
    ])
      assert.ok(!all.includes(leak), `the log holds ${leak}`);

    const listed = (await api('GET', '/api/v1/webhooks')).body.webhooks.find((w: { id: string }) => w.id === hook.id);
    assert.deepEqual(
      listed.lastAttempts.map((a: { statusCode: number; ok: boolean; eventType: string }) => [
        a.eventType,
        a.statusCode,
        a.ok,
      ]),
      [
        ['webhook.ping', 503, false],
        ['webhook.ping', 200, true],
      ],
    );

    assert.equal((await api('DELETE', `/api/v1/webhooks/${hook.id}`)).status, 204);
    assert.equal((await api('DELETE', `/api/v1/webhooks/${hook.id}`)).status, 404);
    assert.equal((await api('POST', `/api/v1/webhooks/${hook.id}/ping`)).status, 404);
    const rows = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM webhook_deliveries WHERE webhook_id = ${hook.id}::uuid`.execute(
      t.ctx.db.handle.kysely,
    );
    assert.equal(rows.rows[0]!.n, 0, 'its delivery log went with it');
  });

  test('SVC-5 SVC-4 event types per webhook: invitation.bounced, contact.unsubscribed and survey.closed; an anonymous survey gives no answer, response id or survey link through them', async () => {
    const start = rx.got.length;
    const contactsOnly = await createHook(['invitation.bounced', 'contact.unsubscribed']);
    const closedOnly = await createHook(['survey.closed']);
    const sees = (secret: string) =>
      rx.got
        .filter((g) => {
          try {
            return !!verified(secret, g);
          } catch {
            return false;
          }
        })
        .map((g) => JSON.parse(g.body) as { type: string; data: Record<string, unknown> });
    const surveyId = await survey('anonymous', 'all');
    const invs = await invitations(surveyId);
    const contacts = (await api('GET', '/api/v1/contacts')).body.contacts as { id: string; email: string }[];
    const bounced = invs.find((i) => i.contact_id === contacts.find((c) => c.email === 'weg@bounce.example')!.id)!;
    const answered = invs.find((i) => i.id !== bounced.id)!;
    await answer(surveyId, answered.id, 'score=3&why=Geheim+anoniem+antwoord&lang=nl');
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const u = new URL(unsubscribeLink('http://peil.test', tenantId, answered.id, keys));
    assert.equal(
      (await t.app.inject({ method: 'POST', url: u.pathname, headers: form, payload: 'List-Unsubscribe=One-Click' }))
        .statusCode,
      200,
    );
    assert.equal((await api('POST', `/api/v1/surveys/${surveyId}/close`)).status, 200);

    const a = await eventually(
      async () => {
        const e = sees(contactsOnly.secret);
        return e.length >= 2 ? e : null;
      },
      20_000,
      'bounce and unsubscribe',
    );
    const b = await eventually(
      async () => {
        const e = sees(closedOnly.secret).filter((x) => x.data.surveyId === surveyId);
        return e.length ? e : null;
      },
      20_000,
      'closed',
    );
    assert.deepEqual(a.map((e) => e.type).sort(), ['contact.unsubscribed', 'invitation.bounced']);
    assert.deepEqual(
      b.map((e) => e.type),
      ['survey.closed'],
    );
    const bounce = a.find((e) => e.type === 'invitation.bounced')!;
    assert.deepEqual(bounce.data, {
      invitationId: bounced.id,
      surveyId,
      contactId: bounced.contact_id,
      mail: 'invitation',
    });
    const unsub = a.find((e) => e.type === 'contact.unsubscribed')!;
    assert.deepEqual(
      unsub.data,
      { contactId: answered.contact_id, surveyId: null, invitationId: null, source: 'one-click' },
      'anonymous: the contact only, no survey or invitation',
    );
    assert.deepEqual(Object.keys(b[0]!.data).sort(), ['anonymity', 'closedAt', 'name', 'surveyId']);
    const responseIds = (
      await t.ctx.db.tenant(tenantId, (tx) =>
        tx.selectFrom('responses').select('id').where('survey_id', '=', surveyId).execute(),
      )
    ).map((r) => r.id);
    assert.equal(responseIds.length, 1);
    const everything = rx.got
      .slice(start)
      .map((g) => g.body)
      .join('\n');
    for (const leak of ['Geheim anoniem', responseIds[0]!, '"answers"', '"score":3'])
      assert.ok(!everything.includes(leak), `an event holds ${leak}`);
    // Changing the event types of a webhook.
    const changed = await api('PATCH', `/api/v1/webhooks/${closedOnly.id}`, {
      events: ['survey.closed', 'contact.unsubscribed'],
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.deepEqual(changed.body.events, ['survey.closed', 'contact.unsubscribed']);
    assert.equal((await api('PATCH', `/api/v1/webhooks/${closedOnly.id}`, { events: ['nonsense'] })).status, 422);
  });

  test('SVC-5 every event body a receiver got matches its schema in the OpenAPI document (webhooks section)', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const types = new Set(rx.got.map(typeOf));
    for (const type of [
      'response.completed',
      'invitation.bounced',
      'contact.unsubscribed',
      'survey.closed',
      'webhook.ping',
    ])
      assert.ok(types.has(type), `a ${type} was received`);
    for (const g of rx.got) {
      const ev = JSON.parse(g.body) as { type: keyof typeof EVENT_SCHEMAS };
      assert.ok(doc.webhooks[ev.type]?.post.requestBody, `${ev.type} is in the document`);
      const parsed = EVENT_SCHEMAS[ev.type].safeParse(ev);
      assert.ok(parsed.success, `${ev.type}: ${JSON.stringify(parsed.error?.issues)}`);
    }
  });
});

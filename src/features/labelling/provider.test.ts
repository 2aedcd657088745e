import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventually, operatorCookie, setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { answeredSurvey } from '../../../test/respondents.js';
import { EnvError, parseEnv } from '../../lib/env.js';
import { OpenAiCompatibleProvider, providerFromEnv } from './provider.js';
import { displayComment } from './results.js';
import { CUSTOMER_EXPERIENCE } from './taxonomies.js';
import { settleSubprocessorChanges } from '../subprocessors/changes.js';
import { runLabelling } from './run.js';

/**
 * A local STAND-IN for an external AI provider, not a real one: a small HTTP server that speaks the
 * OpenAI chat-completions protocol (POST /v1/chat/completions → {choices: [{message: {content}}]}).
 * It records what it receives, and answers according to `mode`: valid JSON labels, garbage, or
 * nothing at all (it hangs, so the client's time-out must fire), or valid labels once `release()` is
 * called (it holds, so a test can act while a run is in flight).
 */
class StandIn {
  mode: 'good' | 'garbage' | 'hang' | 'hold' = 'good';
  private held: Array<() => void> = [];
  readonly received: Array<{
    headers: IncomingHttpHeaders;
    body: {
      model: string;
      temperature: number;
      messages: Array<{ role: string; content: string }>;
      response_format?: unknown;
    };
  }> = [];
  private server!: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
      req.on('end', () => {
        this.received.push({ headers: req.headers, body: JSON.parse(raw) });
        if (req.url !== '/v1/chat/completions') return void res.writeHead(404).end();
        if (this.mode === 'hang') return; // never answers
        const answer = () => this.answer(res, this.mode === 'garbage');
        if (this.mode === 'hold') return void this.held.push(answer);
        answer();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
  }

  /** Answers the held requests (with valid labels) and stops holding. */
  release(): void {
    this.mode = 'good';
    for (const answer of this.held.splice(0)) answer();
  }

  private answer(res: ServerResponse, garbage: boolean): void {
    const content = !garbage
      ? JSON.stringify({ labels: ['ambience'], sentiment: 'mixed' })
      : 'Sure! Here are the labels you asked for: ambience, maybe price?';
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        id: 'x',
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      }),
    );
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

describe('the external provider (a local stand-in that speaks the OpenAI protocol)', () => {
  const standIn = new StandIn();
  let t: TestApp;
  let tenantId: string;
  let owner: string;
  let termsVersion: string;
  const KEY = 'sk-test-3f9a7c2e-never-in-a-log';

  interface Comment {
    id: string;
    labels: string[];
    sentiment: string | null;
    labelSource: string | null;
  }
  const results = async (sid: string) =>
    (
      await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${sid}/results`, headers: { cookie: owner } })
    ).json() as { comments: Comment[]; labelling: { labelled: number; taxonomy: string } };
  const labelled = (sid: string, n: number) =>
    eventually(
      async () => {
        const r = await results(sid);
        return r.labelling.labelled >= n ? r : null;
      },
      30_000,
      `${n} labelled`,
    );
  const activate = async (allowExternalProvider: boolean) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/labelling/activate',
      headers: { cookie: owner },
      payload: { termsVersion, acceptTerms: true, allowExternalProvider },
    });
    assert.equal(res.statusCode, 200, res.body);
    return res.json();
  };

  before(async () => {
    await standIn.start();
    t = await startTestApp({
      AI_PROVIDER_URL: standIn.url,
      AI_PROVIDER_MODEL: 'stand-in-model',
      AI_PROVIDER_KEY: KEY,
      AI_PROVIDER_NAME: 'Stand-in AI',
      // Long enough for a loaded test machine; the hanging stand-in still ends well within a test.
      AI_PROVIDER_TIMEOUT_MS: '2000',
      LABELLING_SWEEP_SECONDS: '0',
    });
    ({ tenantId, ownerCookie: owner } = await setUp(t));
    // OBLIGATIONS SUB-1, SUB-3: the external provider is used only when the register holds it.
    const reg = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/subprocessors',
      headers: { cookie: await operatorCookie(t) },
      payload: {
        name: 'Stand-in AI',
        service: 'Labelling',
        location: 'Amsterdam',
        country: 'NL',
        safeguards: ['dpa'],
        kind: 'ai',
        appliesTo: 'all',
      },
    });
    assert.equal(reg.statusCode, 201, reg.body);
    // SUB-2: its objection window has passed without objection.
    await settleSubprocessorChanges(t.ctx.db, new Date(Date.now() + 100 * 86_400_000));
    termsVersion = (await t.app.inject({ method: 'GET', url: '/api/v1/labelling', headers: { cookie: owner } })).json()
      .terms.version;
  });
  after(async () => {
    await t.close();
    await standIn.close();
  });

  test('AI-1 SUB-3 the external provider is not used for a customer that did not allow it', async () => {
    const s = await activate(false);
    assert.deepEqual(s.externalProvider, { configured: true, name: 'Stand-in AI', inUse: false });
    const { surveyId, responseIds } = await answeredSurvey(
      t,
      owner,
      tenantId,
      [{ score: 4, why: 'Veel te duur voor wat je krijgt.' }],
      'Zonder externe dienst',
    );
    const r = await labelled(surveyId, 1);
    assert.equal(r.comments.find((c) => c.id === responseIds[0])!.labelSource, 'model');
    assert.equal(standIn.received.length, 0, 'not one request reached the provider');
  });

  test('AI-3 with the customer’s consent the stand-in receives redacted text only, with the taxonomy, temperature 0 and the key as bearer token', async () => {
    const s = await activate(true);
    assert.equal(s.externalProvider.inUse, true);
    standIn.mode = 'good';
    const texts = [
      'Mijn naam is Jan Jansen, bel me op 06-12345678 of mail jan.jansen@example.nl over mijn BSN 111222333.',
      'Meneer De Vries aan de balie was onbeleefd, mijn IBAN is NL91 ABNA 0417 1643 00 en ik woon op 1234 AB 12.',
    ];
    const { surveyId, responseIds } = await answeredSurvey(
      t,
      owner,
      tenantId,
      texts.map((why) => ({ score: 6, why })),
      'Met externe dienst',
    );
    const r = await labelled(surveyId, 2);
    for (const id of responseIds) {
      const c = r.comments.find((x) => x.id === id)!;
      assert.deepEqual([c.labels, c.sentiment, c.labelSource], [['ambience'], 'mixed', 'external']);
    }
    assert.equal(standIn.received.length, 2);
    const sent = JSON.stringify(standIn.received.map((x) => x.body)).toLowerCase();
    for (const secret of [
      'jansen',
      'jan.jansen@example.nl',
      '06-12345678',
      '0612345678',
      '111222333',
      'de vries',
      'nl91',
      '0417 1643',
      '1234 ab',
    ]) {
      assert.ok(!sent.includes(secret), `"${secret}" reached the provider`);
    }
    const users = standIn.received.map((x) => x.body.messages.find((m) => m.role === 'user')!.content);
    assert.ok(
      users.some((u) => u.includes('[EMAIL]') && u.includes('[PHONE]') && u.includes('[BSN]') && u.includes('[NAME]')),
      users.join('\n'),
    );
    assert.ok(
      users.some((u) => u.includes('[IBAN]') && u.includes('[POSTCODE]')),
      users.join('\n'),
    );
    const first = standIn.received[0]!;
    assert.equal(first.body.temperature, 0);
    assert.equal(first.body.model, 'stand-in-model');
    assert.ok(first.body.response_format, 'structured output is asked for');
    const system = first.body.messages.find((m) => m.role === 'system')!.content;
    for (const l of CUSTOMER_EXPERIENCE.labels)
      assert.ok(system.includes(l.id) && system.includes(l.definition.en), `taxonomy label ${l.id} in the prompt`);
    assert.equal(first.headers.authorization, `Bearer ${KEY}`);
    const st = (await t.app.inject({ method: 'GET', url: '/api/v1/labelling', headers: { cookie: owner } })).json();
    assert.equal(st.quota.external, 2);
  });

  test('AI-5 garbage from the provider: the built-in labeller answers instead', async () => {
    standIn.mode = 'garbage';
    const before = standIn.received.length;
    const { surveyId, responseIds } = await answeredSurvey(
      t,
      owner,
      tenantId,
      [{ score: 9, why: 'Vriendelijk personeel, echt top!' }],
      'Onzin van de dienst',
    );
    const r = await labelled(surveyId, 1);
    const c = r.comments.find((x) => x.id === responseIds[0])!;
    assert.deepEqual([c.labels, c.sentiment, c.labelSource], [['staff'], 'positive', 'model']);
    assert.equal(standIn.received.length, before + 1, 'the provider was asked');
    const runs = await t.ctx.db.tenant(tenantId, (tx) =>
      tx
        .selectFrom('audit_events')
        .select('details')
        .where('action', '=', 'labelling.run')
        .where('subject_id', '=', surveyId)
        .execute(),
    );
    assert.equal(runs[0]!.details.fallbacks, 1);
  });

  test('AI-5 a provider that hangs times out, and the built-in labeller answers', async () => {
    standIn.mode = 'hang';
    const started = Date.now();
    const { surveyId, responseIds } = await answeredSurvey(
      t,
      owner,
      tenantId,
      [{ score: 2, why: 'We moesten heel lang wachten voordat we geholpen werden.' }],
      'Trage dienst',
    );
    const r = await labelled(surveyId, 1);
    const c = r.comments.find((x) => x.id === responseIds[0])!;
    assert.equal(c.labelSource, 'model');
    assert.ok(c.labels.includes('waiting_time'));
    assert.ok(Date.now() - started < 20_000, 'the time-out (2 s here) ended the wait');
  });

  test('AI-2 the survey moves to another label set while a run waits for the provider: nothing of the old set is stored, and it is labelled in the new one', async () => {
    standIn.mode = 'hold';
    const before = standIn.received.length;
    const { surveyId } = await answeredSurvey(
      t,
      owner,
      tenantId,
      [{ score: 3, why: 'De sfeer op de afdeling is slecht.' }],
      'Set verandert tijdens een run',
    );
    const run = runLabelling(t.ctx, tenantId);
    await eventually(async () => standIn.received.length > before || null, 20_000, 'the run asked the provider');
    const moved = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/surveys/${surveyId}/label-set`,
      headers: { cookie: owner },
      payload: { set: 'employee' },
    });
    assert.equal(moved.statusCode, 200, moved.body);
    standIn.release();
    await run;
    const rows = await t.ctx.db.tenant(tenantId, (tx) =>
      tx.selectFrom('response_labelling').select('label_set').where('survey_id', '=', surveyId).execute(),
    );
    assert.ok(
      rows.every((r) => r.label_set === 'employee'),
      `labels of the set the survey left were stored: ${JSON.stringify(rows)}`,
    );
    await runLabelling(t.ctx, tenantId);
    const r = await labelled(surveyId, 1);
    assert.equal(r.labelling.taxonomy, 'employee');
  });

  test('provider errors never carry the key, and answers outside the taxonomy are refused', async () => {
    const labels = CUSTOMER_EXPERIENCE.labels.map((l) => ({ id: l.id, name: l.name, definition: l.definition }));
    const p = new OpenAiCompatibleProvider({ url: standIn.url, model: 'm', key: KEY, timeoutMs: 5000, name: 'x' });
    const impatient = new OpenAiCompatibleProvider({
      url: standIn.url,
      model: 'm',
      key: KEY,
      timeoutMs: 200,
      name: 'x',
    });
    for (const mode of ['garbage', 'hang'] as const) {
      standIn.mode = mode;
      await assert.rejects(
        (mode === 'hang' ? impatient : p).label('Te duur', labels),
        (err: Error) => !String(err.message).includes(KEY) && !String(err.stack).includes(KEY),
      );
    }
    standIn.mode = 'good';
    await assert.rejects(
      p.label(
        'Te duur',
        labels.filter((l) => l.id !== 'ambience'),
      ),
      'ambience is not one of the labels offered',
    );
    assert.deepEqual(await p.label('Te duur', labels), { labels: ['ambience'], sentiment: 'mixed' });
  });

  test('configuration: no provider without a URL; a URL without a model stops the start with a message that names it', () => {
    assert.equal(providerFromEnv(parseEnv({})), null);
    assert.throws(
      () => parseEnv({ AI_PROVIDER_URL: 'https://ai.example.eu/v1' }),
      (err: Error) => err instanceof EnvError && /AI_PROVIDER_MODEL/.test(err.message),
    );
    assert.equal(
      providerFromEnv(parseEnv({ AI_PROVIDER_URL: 'https://ai.example.eu/v1', AI_PROVIDER_MODEL: 'm' }))?.name,
      'ai.example.eu',
    );
  });

  test('AI-3 comments of an anonymous survey are shown redacted', () => {
    const text = 'Bel me op 06-12345678, groet Piet Bakker. Bestelnummer 123456 kwam 2 dagen te laat.';
    assert.equal(displayComment(text, { anonymous: false }), text);
    const shown = displayComment(text, { anonymous: true });
    assert.ok(!shown.includes('06-12345678') && !shown.includes('Bakker'), shown);
    assert.ok(shown.includes('123456') && shown.includes('2 dagen'), 'order numbers and durations stay');
  });
});

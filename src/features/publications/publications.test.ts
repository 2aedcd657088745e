import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { signedRowToken } from '../../lib/tokens.js';
import { importCsv, newCustomer, operatorCookie, setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { buildApp, redactUrl } from '../../app.js';
import { openLinkToken } from '../surveys/open-link.js';

/**
 * OBLIGATIONS BEN-2 (issue 13): publications of results, from the outside. The public page, widget
 * and badge are byte for byte the preview the owner approved; they respect the minimum group size
 * (and a shielded survey's release); they stop at once when withdrawn, suspended or ended, answering
 * exactly what an unknown token gets; and only they may be framed by other sites.
 */
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const L = (nl: string, en: string) => ({ nl, en });
const invitation = { subject: L('Je mening', 'Your opinion'), body: L('Beste {naam}', 'Dear {name}') };
const thanks = L('Bedankt!', 'Thank you!');
const definition = {
  questions: [
    { id: 'score', type: 'nps', required: true, text: L('Zou je ons aanbevelen?', 'Would you recommend us?') },
    {
      id: 'site',
      type: 'single',
      text: L('Welke vestiging?', 'Which site?'),
      options: [
        { value: 'noord', label: L('Noord', 'North') },
        { value: 'zuid', label: L('Zuid', 'South') },
      ],
    },
    {
      id: 'rare',
      type: 'single',
      text: L('Zelden gevraagd', 'Rarely asked'),
      options: [
        { value: 'ja', label: L('Ja', 'Yes') },
        { value: 'nee', label: L('Nee', 'No') },
      ],
    },
    { id: 'why', type: 'text', text: L('Waarom?', 'Why?') },
  ],
  invitation,
  thanks,
};

interface Preview {
  content: {
    shown: boolean;
    responses: number | null;
    keyScore: { value: number | null; kind: string } | null;
    questions: Array<{ id: string; suppressed: boolean; distribution: unknown[] }>;
    trend: unknown[] | null;
  };
  sha256: string;
  rendered: Record<'nl' | 'en', { page: string; widget: string; badge: string }>;
}

describe('BEN-2 publications of results', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;
  let op: string;

  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner, tenantId } = await setUp(t));
    op = await operatorCookie(t);
    const rows = Array.from({ length: 24 }, (_, i) => `p${i + 1}@example.nl;P${i + 1}`);
    assert.equal((await importCsv(t, owner, `email;voornaam\n${rows.join('\n')}\n`)).statusCode, 200);
  });
  after(() => t.close());

  async function survey(
    payload: Record<string, unknown>,
    cookie = owner,
    tenant = tenantId,
  ): Promise<{ id: string; links: string[] }> {
    const r = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie },
      payload: { kind: 'custom', definition, ...payload },
    });
    assert.equal(r.statusCode, 201, r.body);
    const id = r.json().id as string;
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/surveys/${id}/distributions`,
          headers: { cookie },
          payload: { all: true },
        })
      ).statusCode,
      202,
    );
    const keys = await t.ctx.keyring.forTenant(tenant);
    const inv = await t.ctx.db.tenant(tenant, (tx) =>
      tx.selectFrom('invitations').select('id').where('survey_id', '=', id).orderBy('id').execute(),
    );
    return { id, links: inv.map((i) => `/s/${signedRowToken(tenant, i.id, (b) => keys.tokenMac(b))}`) };
  }
  async function answer(path: string, values: Record<string, string>): Promise<void> {
    const r = await t.app.inject({
      method: 'POST',
      url: path,
      headers: form,
      payload: new URLSearchParams({ lang: 'nl', ...values }).toString(),
    });
    assert.equal(r.statusCode, 303, r.body);
  }
  async function preview(id: string, opts: Record<string, unknown>, cookie = owner): Promise<Preview> {
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${id}/publications/preview`,
      headers: { cookie },
      payload: opts,
    });
    assert.equal(r.statusCode, 200, r.body);
    return r.json() as Preview;
  }
  async function publish(
    id: string,
    opts: Record<string, unknown>,
  ): Promise<{
    p: Preview;
    pub: {
      id: string;
      urls: { page: string | null; widget: string | null; badge: string | null };
      embed: { iframe: string; img: string };
      status: string;
      sha256: string;
    };
  }> {
    const p = await preview(id, opts);
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${id}/publications`,
      headers: { cookie: owner },
      payload: { ...opts, sha256: p.sha256 },
    });
    assert.equal(r.statusCode, 201, r.body);
    return { p, pub: r.json() };
  }
  const path = (url: string) => new URL(url).pathname;
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  test('BEN-2 the public page, widget and badge are byte for byte the preview the owner approved; cacheable, no cookie, frameable by any site', async () => {
    const s = await survey({ name: 'Interne naam A' });
    const scores = [10, 9, 9, 8, 7, 6, 3];
    for (const [i, sc] of scores.entries())
      await answer(s.links[i]!, {
        score: String(sc),
        site: i % 3 ? 'noord' : 'zuid',
        ...(i === 0 ? { rare: 'ja' } : {}),
        why: `Geheim commentaar ${i}`,
      });
    const opts = {
      kinds: ['page', 'widget', 'badge'],
      showResponses: true,
      showTrend: true,
      questions: ['site', 'rare'],
      title: L('Onze klanten over ons', 'Our customers about us'),
    };
    const { p, pub } = await publish(s.id, opts);
    assert.equal(p.content.shown, true);
    assert.equal(p.content.responses, 7);
    assert.equal(
      p.content.keyScore!.value,
      14,
      'NPS of 3 promoters, 2 passives, 2 detractors out of 7 = round(100·1/7)',
    );
    assert.equal(p.content.questions.find((q) => q.id === 'site')!.suppressed, false);
    assert.equal(
      p.content.questions.find((q) => q.id === 'rare')!.suppressed,
      true,
      'answered by 1 < minGroupSize 5: no distribution',
    );
    const token = /\/p\/([A-Za-z0-9_-]{64})$/.exec(pub.urls.page!)![1]!;

    const page = await get(path(pub.urls.page!));
    assert.equal(page.statusCode, 200);
    assert.equal(page.body, p.rendered.nl.page, 'the page is the preview, byte for byte (Dutch by default)');
    assert.equal((await get(`${path(pub.urls.page!)}?lang=en`)).body, p.rendered.en.page);
    assert.equal(
      (await get(path(pub.urls.page!), { 'accept-language': 'en-GB,en;q=0.9' })).body,
      p.rendered.en.page,
      'Accept-Language',
    );
    const widget = await get(path(pub.urls.widget!));
    assert.equal(
      widget.body,
      p.rendered.nl.widget.replace('{token}', token),
      'the widget is the preview; only the token in its link was unknown then',
    );
    const badge = await get(path(pub.urls.badge!));
    assert.equal(badge.body, p.rendered.nl.badge);
    assert.match(badge.headers['content-type'] as string, /^image\/svg\+xml/);
    assert.match(badge.body, /role="img"/);
    assert.match(badge.body, /aria-label="[^"]*Net Promoter Score \(NPS\) \+14/);
    assert.match(badge.body, /<title>[^<]*\+14/);

    for (const r of [page, widget, badge]) {
      assert.equal(r.headers['set-cookie'], undefined, 'no cookie');
      assert.equal(r.headers['cache-control'], 'public, no-cache');
      assert.match(r.headers.etag as string, /^"[A-Za-z0-9_-]+"$/);
      assert.match(r.headers['content-security-policy'] as string, /frame-ancestors \*/);
      assert.match(
        r.headers['content-security-policy'] as string,
        /default-src 'none'/,
        'no script, no external resource',
      );
      assert.equal(r.headers['x-frame-options'], undefined);
      assert.equal(r.headers['cross-origin-resource-policy'], 'cross-origin');
      assert.doesNotMatch(
        r.body,
        /<script|Geheim|Interne naam|https?:\/\/(?!peil\.test|www\.w3\.org\/2000\/svg")/,
        'no script, no comment, no internal name, nothing from elsewhere',
      );
    }
    // Revalidation: the same ETag gives 304 without a body.
    const again = await get(path(pub.urls.page!), { 'if-none-match': page.headers.etag as string });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
    assert.match(pub.embed.iframe, new RegExp(`<iframe src="http://peil.test/p/${token}/widget" title="[^"]+"`));
    assert.match(pub.embed.img, /<img src="[^"]+\/badge\.svg" alt="[^"]+">/);

    // The snapshot stays what was approved: new answers change nothing public until a refresh.
    await answer(s.links[7]!, { score: '0', site: 'zuid' });
    assert.equal((await get(path(pub.urls.page!))).body, p.rendered.nl.page);
    const stale = await t.app.inject({
      method: 'POST',
      url: `/api/v1/publications/${pub.id}/refresh`,
      headers: { cookie: owner },
      payload: { sha256: p.sha256 },
    });
    assert.equal(stale.statusCode, 409, 'ATTACK: an approval of older numbers does not publish newer ones');
    const fresh = await preview(s.id, opts);
    assert.notEqual(fresh.sha256, p.sha256);
    const refreshed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/publications/${pub.id}/refresh`,
      headers: { cookie: owner },
      payload: { sha256: fresh.sha256 },
    });
    assert.equal(refreshed.statusCode, 200, refreshed.body);
    assert.equal(
      (await get(path(pub.urls.page!))).body,
      fresh.rendered.nl.page,
      'the same URL, the newly approved snapshot',
    );
  });

  test('BEN-2 ATTACK publishing what the owner did not see: a preview hash from before a new answer is refused (409) and nothing is published', async () => {
    const s = await survey({ name: 'Verouderd' });
    for (let i = 0; i < 5; i++) await answer(s.links[i]!, { score: '9' });
    const p = await preview(s.id, {});
    await answer(s.links[5]!, { score: '0' });
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${s.id}/publications`,
      headers: { cookie: owner },
      payload: { sha256: p.sha256 },
    });
    assert.equal(r.statusCode, 409, r.body);
    assert.equal(r.json().errors[0].pointer, '/body/sha256');
    assert.deepEqual(
      (
        await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${s.id}/publications`, headers: { cookie: owner } })
      ).json().publications,
      [],
    );
    // Only closed questions can be chosen; the pointer names the one that cannot.
    const bad = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${s.id}/publications/preview`,
      headers: { cookie: owner },
      payload: { questions: ['site', 'why', 'nope'] },
    });
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(
      bad.json().errors.map((e: { pointer: string }) => e.pointer),
      ['/body/questions/1', '/body/questions/2'],
    );
  });

  test('BEN-2 minimum group size: below it the world sees only "not enough answers"; a confidential survey publishes its release and one more answer changes nothing', async () => {
    const few = await survey({ name: 'Weinig', minGroupSize: 5 });
    for (let i = 0; i < 4; i++) await answer(few.links[i]!, { score: '10', site: 'noord' });
    const { p } = await publish(few.id, { questions: ['site'], showTrend: true });
    assert.equal(p.content.shown, false);
    assert.equal(p.content.keyScore, null);
    assert.deepEqual(p.content.questions, []);
    assert.match(p.rendered.nl.page, /Nog te weinig antwoorden/);
    assert.match(p.rendered.en.badge, /too few answers/);
    assert.doesNotMatch(p.rendered.nl.page, /class="v"|\+100|Noord/, 'no score, no distribution');

    const conf = await survey({ name: 'Vertrouwelijk', anonymity: 'confidential', minGroupSize: 5 });
    for (let i = 0; i < 5; i++) await answer(conf.links[i]!, { score: i < 3 ? '9' : '5', site: 'noord' });
    const first = await publish(conf.id, { questions: ['site'], showTrend: true });
    const results = (
      await t.app.inject({ method: 'GET', url: `/api/v1/surveys/${conf.id}/results`, headers: { cookie: owner } })
    ).json();
    assert.equal(first.p.content.responses, results.released, 'the release, never more than the results page shows');
    assert.equal(first.p.content.keyScore!.value, results.keyScore.value);
    // The attacker answers once more (an extreme value) and reads the refreshed publication: identical.
    await answer(conf.links[5]!, { score: '0', site: 'zuid' });
    const second = await preview(conf.id, { questions: ['site'], showTrend: true });
    assert.equal(second.sha256, first.p.sha256, 'one answer moves nothing: publications differ by whole release steps');
    for (let i = 6; i < 10; i++) await answer(conf.links[i]!, { score: '8', site: 'zuid' });
    const third = await preview(conf.id, { questions: ['site'], showTrend: true });
    assert.equal(third.content.responses, 10);
    assert.equal(third.content.trend!.length, 2, 'the trend of a shielded survey is its release steps');
  });

  test('BEN-2 stops at once: withdrawn, suspended or ended, the same URL answers the neutral "not available", exactly as an unknown token does', async () => {
    const c = await newCustomer(t, op, 'Publicerende Zorg');
    await importCsv(t, c.cookie, `email\n${Array.from({ length: 6 }, (_, i) => `q${i}@example.nl`).join('\n')}\n`);
    const s = await survey({ name: 'Stopt' }, c.cookie, c.id);
    for (let i = 0; i < 5; i++) await answer(s.links[i]!, { score: '9' });
    const pv = await preview(s.id, {}, c.cookie);
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${s.id}/publications`,
      headers: { cookie: c.cookie },
      payload: { sha256: pv.sha256 },
    });
    assert.equal(created.statusCode, 201, created.body);
    const pub = created.json();
    const urls = [pub.urls.page, pub.urls.widget, pub.urls.badge].map(path);
    const unknown = async () => {
      const keys = await t.ctx.keyring.forTenant(c.id);
      // A well-formed token of this customer for a publication that does not exist, garbage, and an open-link token.
      const forged = signedRowToken(c.id, '00000000-0000-4000-8000-000000000000', (b) =>
        keys.tokenMac(Buffer.concat([Buffer.from('peil/publication/v1\0'), b])),
      );
      return [forged, 'A'.repeat(64), openLinkToken(keys, c.id, s.id)];
    };
    const neutral = async (what: string) => {
      const tokens = await unknown();
      for (const [i, u] of urls.entries()) {
        const r = await get(u);
        assert.equal(r.statusCode, 404, `${what}: ${u}`);
        assert.equal(r.headers['cache-control'], 'no-store');
        assert.equal(r.headers['set-cookie'], undefined);
        assert.match(r.body, i === 2 ? /niet beschikbaar \/ not available/ : /Niet beschikbaar/);
        for (const tk of tokens) {
          const other = await get(u.replace(/\/p\/[^/]+/, `/p/${tk}`));
          assert.equal(other.statusCode, r.statusCode);
          assert.equal(other.body, r.body, `${what}: a probe cannot tell it from an unknown token`);
          assert.equal(other.headers['content-type'], r.headers['content-type']);
        }
      }
    };
    for (const u of urls) assert.equal((await get(u)).statusCode, 200);

    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/operator/tenants/${c.id}/suspend`,
          headers: { cookie: op },
          payload: { reason: 'Factuur' },
        })
      ).statusCode,
      200,
    );
    await neutral('suspended');
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/operator/tenants/${c.id}/resume`,
          headers: { cookie: op },
          payload: { reason: 'Betaald' },
        })
      ).statusCode,
      200,
    );
    for (const u of urls) assert.equal((await get(u)).statusCode, 200, 'back after the resume (nothing was deleted)');

    const w = await t.app.inject({
      method: 'POST',
      url: `/api/v1/publications/${pub.id}/withdraw`,
      headers: { cookie: c.cookie },
    });
    assert.equal(w.statusCode, 200, w.body);
    assert.equal(w.json().status, 'withdrawn');
    await neutral('withdrawn');
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/publications/${pub.id}/withdraw`,
          headers: { cookie: c.cookie },
        })
      ).statusCode,
      409,
    );

    const pv2 = await preview(s.id, {}, c.cookie);
    const second = (
      await t.app.inject({
        method: 'POST',
        url: `/api/v1/surveys/${s.id}/publications`,
        headers: { cookie: c.cookie },
        payload: { sha256: pv2.sha256 },
      })
    ).json();
    assert.notEqual(second.urls.page, pub.urls.page, 'a new publication has a new token');
    assert.equal((await get(path(second.urls.page))).statusCode, 200);
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/operator/tenants/${c.id}/end`,
          headers: { cookie: op },
          payload: { reason: 'Opgezegd' },
        })
      ).statusCode,
      200,
    );
    urls.splice(0, 3, ...[second.urls.page, second.urls.widget, second.urls.badge].map(path));
    await neutral('ended');

    const log = await t.ctx.db.tenant(c.id, (tx) =>
      tx
        .selectFrom('audit_events')
        .select(['action', 'subject_id'])
        .where('action', 'like', 'publication.%')
        .orderBy('seq')
        .execute(),
    );
    assert.deepEqual(
      log.map((e) => e.action),
      ['publication.created', 'publication.withdrawn', 'publication.created'],
    );
  });

  test('BEN-2 only the publication routes may be framed: the admin app, the API and respondent pages still refuse', async () => {
    const s = await survey({ name: 'Kader' });
    const keys = await t.ctx.keyring.forTenant(tenantId);
    for (const url of [
      '/app/',
      '/api/v1/auth/me',
      s.links[10]!,
      `/s/o/${openLinkToken(keys, tenantId, s.id)}`,
      '/p/x',
    ]) {
      const r = await get(url, { cookie: owner });
      const csp = r.headers['content-security-policy'] as string;
      if (url.startsWith('/p/')) {
        assert.match(csp, /frame-ancestors \*/);
        continue;
      }
      assert.match(csp, /frame-ancestors 'none'/, url);
      assert.equal(r.headers['x-frame-options'], 'DENY', url);
    }
  });

  test("BEN-2 publishing is the owner's call: an admin may not even preview; the token never reaches a log line", async () => {
    const s = await survey({ name: 'Eigenaar' });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie: owner },
      payload: { email: 'beheer@zorg.test', name: 'Beheer', role: 'admin' },
    });
    const out = (await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: { cookie: owner } })).json();
    const tok = /#token=([A-Za-z0-9_-]+)/.exec(
      out.messages.find((m: { to: string }) => m.to === 'beheer@zorg.test').text,
    )![1]!;
    const accept = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/accept-invite',
      payload: { token: tok, password: 'Lantaarnpaal-Fietspad-2026' },
    });
    const admin = (accept.headers['set-cookie'] as string[]).map((c) => c.split(';')[0]).join('; ');
    const r = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${s.id}/publications/preview`,
      headers: { cookie: admin },
      payload: {},
    });
    assert.equal(r.statusCode, 403);
    assert.equal(
      redactUrl('/p/abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz01/widget?lang=en&x=1'),
      '/p/[token]/widget?lang&…',
    );
  });

  test('BEN-2 a visitor of a publication leaves no log line: no address, no token', async () => {
    const s = await survey({ name: 'Logregels' });
    for (let i = 0; i < 5; i++) await answer(s.links[i]!, { score: '9' });
    const { pub } = await publish(s.id, {});
    const lines: string[] = [];
    const logged = await buildApp(
      { ...t.ctx, env: { ...t.ctx.env, LOG_LEVEL: 'info' } },
      { logger: true, logStream: { write: (line) => void lines.push(line) }, startWorkers: false },
    );
    try {
      const token = /\/p\/([A-Za-z0-9_-]{64})$/.exec(pub.urls.page!)![1]!;
      for (const u of [pub.urls.page!, pub.urls.widget!, pub.urls.badge!]) {
        const r = await logged.inject({ method: 'GET', url: `${path(u)}?lang=en`, remoteAddress: '203.0.113.77' });
        assert.equal(r.statusCode, 200);
      }
      assert.equal(
        (await logged.inject({ method: 'GET', url: '/p/onzin/widget', remoteAddress: '203.0.113.77' })).statusCode,
        404,
      );
      await logged.inject({ method: 'GET', url: '/healthz', remoteAddress: '203.0.113.78' });
      const all = lines.join('');
      assert.ok(all.includes('203.0.113.78'), 'other requests are logged (the check can see an address)');
      assert.ok(!all.includes('203.0.113.77'), 'no visitor address');
      assert.ok(!all.includes(token), 'no token');
    } finally {
      await logged.close();
    }
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { eventually, importCsv, setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { postStep } from '../../../test/respondents.js';
import { startSmtp, type TestSmtp } from '../../../test/smtp.js';
import { bytesToUuid, signedRowToken, uuidToBytes } from '../../lib/tokens.js';

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const pathOf = (link: string) => new URL(link).pathname;

describe('invitations over real SMTP, answering, results and export', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let owner: string;
  let surveyId: string;
  const links = new Map<string, string>();

  before(async () => {
    smtp = await startSmtp();
    smtp.reject.add('weigeraar@example.nl');
    t = await startTestApp({ SMTP_URL: smtp.url });
    ({ ownerCookie: owner } = await setUp(t));
    const csv =
      'email;voornaam;taal\npromotor@example.nl;Piet;nl\ndetractor@example.com;Dana;en\npassief@example.nl;Pas;\nweigeraar@example.nl;Wim;nl\n';
    assert.equal((await importCsv(t, owner, csv)).statusCode, 200);
    const s = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner },
      payload: { name: 'Klanttevredenheid 2026' },
    });
    surveyId = s.json().id;
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  test("SVC-3 sending personal invitations: one mail per contact through SMTP, in the contact's language, results recorded", async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/distributions`,
      headers: { cookie: owner },
      payload: { all: true },
    });
    assert.equal(res.statusCode, 202, res.body);
    assert.equal(res.json().invited, 4);
    const mails = await smtp.waitFor(3);
    const dist = await eventually(
      async () => {
        const d = (
          await t.app.inject({
            method: 'GET',
            url: `/api/v1/surveys/${surveyId}/distributions`,
            headers: { cookie: owner },
          })
        ).json().distributions[0];
        return d.counts.queued === 0 ? d : null;
      },
      30_000,
      'all sends recorded',
    );
    assert.deepEqual({ sent: dist.counts.sent, failed: dist.counts.failed }, { sent: 3, failed: 1 });
    const failed = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/surveys/${surveyId}/invitations?status=failed`,
        headers: { cookie: owner },
      })
    ).json().invitations;
    assert.equal(failed.length, 1);
    assert.match(failed[0].lastError, /550|mailbox unavailable/);
    assert.equal(failed[0].email, 'weigeraar@example.nl', 'an admin sees whom the failure concerns');

    const tokens = new Set<string>();
    for (const m of mails) {
      const link = /https?:\/\/\S+\/s\/[A-Za-z0-9_-]{86}/.exec(m.text)?.[0];
      assert.ok(link, `mail to ${m.to} contains a personal link`);
      tokens.add(link);
      links.set(m.to[0]!, link);
    }
    assert.equal(tokens.size, 3, 'one token per contact');
    const en = mails.find((m) => m.to[0] === 'detractor@example.com')!;
    assert.match(en.subject, /would like to hear from you/);
    assert.match(en.text, /Dear Dana/);
    const nl = mails.find((m) => m.to[0] === 'promotor@example.nl')!;
    assert.match(nl.text, /Beste Piet/);
  });

  test("the respondent page works without JavaScript, on the contact's language, with a language switch", async () => {
    const page = await t.app.inject({ method: 'GET', url: pathOf(links.get('detractor@example.com')!) });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type'] as string, /text\/html/);
    assert.match(page.body, /<html lang="en">/);
    assert.match(page.body, /<form method="post"/);
    assert.ok(!page.body.includes('<script'), 'no script needed');
    assert.match(page.headers['content-security-policy'] as string, /default-src 'none'/);
    assert.equal((page.body.match(/type="radio" name="score"/g) ?? []).length, 11);
    const nl = await t.app.inject({ method: 'GET', url: `${pathOf(links.get('detractor@example.com')!)}?lang=nl` });
    assert.match(nl.body, /<html lang="nl">/);
  });

  test('an answer without a score is shown again with a clear message and stores nothing', async () => {
    const url = pathOf(links.get('passief@example.nl')!);
    // Issue 14: the post answers with 303 to a GET page with the problems, so Back never resubmits.
    const posted = await t.app.inject({
      method: 'POST',
      url,
      headers: form,
      payload: 'score=&why=Geen+cijfer&lang=nl',
    });
    assert.equal(posted.statusCode, 303, posted.body);
    assert.match(posted.headers.location as string, /check=1/);
    const res = await t.app.inject({ method: 'GET', url: posted.headers.location as string });
    assert.equal(res.statusCode, 422);
    assert.match(res.body, /Kies een cijfer van 0 tot 10/);
    assert.match(res.body, /Geen cijfer/, 'what was typed is kept');
    const bad = await postStep(t, { method: 'POST', url, headers: form, payload: 'score=11&lang=nl' });
    assert.equal(bad.statusCode, 422);
  });

  test('SVC-3 answering once: the thank-you page, and a second submit or a replay stores no second response', async () => {
    const url = pathOf(links.get('promotor@example.nl')!);
    const ok = await t.app.inject({
      method: 'POST',
      url,
      headers: form,
      payload: 'score=9&why=Vriendelijk+personeel&lang=nl',
    });
    assert.equal(ok.statusCode, 303);
    const thanks = await t.app.inject({ method: 'GET', url: ok.headers.location as string });
    assert.equal(thanks.statusCode, 200);
    assert.match(thanks.body, /Bedankt/);
    const replay = await t.app.inject({
      method: 'POST',
      url,
      headers: form,
      payload: 'score=9&why=Vriendelijk+personeel&lang=nl',
    });
    assert.equal(replay.statusCode, 409);
    const second = await t.app.inject({ method: 'POST', url, headers: form, payload: 'score=0&lang=nl' });
    assert.equal(second.statusCode, 409);
    const again = await t.app.inject({ method: 'GET', url });
    assert.match(again.body, /al geantwoord/);
    // Concurrent double submits (a double tap) in the same batch window: exactly one is stored.
    const url2 = pathOf(links.get('detractor@example.com')!);
    const [a, b] = await Promise.all([
      t.app.inject({
        method: 'POST',
        url: url2,
        headers: form,
        payload: 'score=3&why=%3Dcmd%7C+too+slow%2C+%3Cb%3Ebad%3C%2Fb%3E&lang=en',
      }),
      t.app.inject({
        method: 'POST',
        url: url2,
        headers: form,
        payload: 'score=3&why=%3Dcmd%7C+too+slow%2C+%3Cb%3Ebad%3C%2Fb%3E&lang=en',
      }),
    ]);
    assert.deepEqual([a.statusCode, b.statusCode].sort(), [303, 409]);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM responses`.execute(t.ctx.db.handle.kysely);
    assert.equal(rows[0]!.n, 2);
  });

  test('an unknown, altered or garbage token gets the same clear page and leaks nothing', async () => {
    const real = pathOf(links.get('passief@example.nl')!);
    const token = real.slice(3);
    const altered = `/s/${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const otherTenant = `/s/${'A'.repeat(64)}`;
    const bodies = [];
    for (const url of [altered, otherTenant, '/s/garbage', '/s/%3Cscript%3E']) {
      const res = await t.app.inject({ method: 'GET', url });
      assert.equal(res.statusCode, 404, url);
      assert.ok(!res.body.includes('Zorggroep'), 'the organisation is not named');
      bodies.push(res.body);
    }
    assert.equal(new Set(bodies).size, 1);
    const post = await t.app.inject({ method: 'POST', url: altered, headers: form, payload: 'score=5' });
    assert.equal(post.statusCode, 404);
  });

  test('SVC-4 results: NPS, promoters, passives, detractors, response rate and comments', async () => {
    const url = pathOf(links.get('passief@example.nl')!);
    assert.equal(
      (await t.app.inject({ method: 'POST', url, headers: form, payload: 'score=7&lang=nl' })).statusCode,
      303,
    );
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${surveyId}/results`,
      headers: { cookie: owner },
    });
    assert.equal(res.statusCode, 200);
    const r = res.json();
    assert.equal(r.responses, 3);
    assert.equal(r.invited, 4);
    assert.equal(r.responseRate, 75);
    assert.equal(r.nps, 0); // (1 promoter − 1 detractor) / 3
    assert.deepEqual([r.promoters.count, r.passives.count, r.detractors.count], [1, 1, 1]);
    assert.equal(r.promoters.percent, 33.3);
    assert.equal(r.scores[9], 1);
    assert.equal(r.scores[3], 1);
    assert.equal(r.scores[7], 1);
    assert.deepEqual(r.comments.map((c: { comment: string }) => c.comment).sort(), [
      '=cmd| too slow, <b>bad</b>',
      'Vriendelijk personeel',
    ]);
  });

  test('SEC-3 the CSV export is streamed with formula cells neutralised and markup kept as text', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/surveys/${surveyId}/responses.csv?contacts=true&delimiter=comma`,
      headers: { cookie: owner },
    });
    assert.equal(res.statusCode, 200);
    assert.match(res.headers['content-type'] as string, /text\/csv/);
    assert.match(res.headers['content-disposition'] as string, /attachment/);
    const lines = res.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    assert.equal(lines.length, 4);
    assert.equal(
      lines[0],
      'response_id,submitted_at_amsterdam,language,score,score_category,why,email,first_name,infix,last_name',
    );
    const detractor = lines.find((l) => l.includes('detractor@example.com'))!;
    assert.ok(detractor.includes(`"'=cmd| too slow, <b>bad</b>"`), detractor);
    assert.ok(lines.some((l) => l.includes('promotor@example.nl') && l.includes(',9,Promotor,')));
  });

  test('SVC-3 a link names its survey (covered by the MAC); links sent before that still work', async () => {
    // Sent links carry tenant, invitation and survey, so a post needs no look-up of the invitation.
    const sent = pathOf(links.get('passief@example.nl')!).slice(3);
    assert.equal(sent.length, 86);
    const raw = Buffer.from(sent, 'base64url');
    assert.equal(bytesToUuid(raw.subarray(32, 48)), surveyId, 'the link names the survey');
    // Another survey's id in the same link breaks its MAC: the same "not found" as any bad link.
    const other = (
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: owner },
        payload: { name: 'Ander onderzoek' },
      })
    ).json().id as string;
    const forged = Buffer.concat([raw.subarray(0, 32), uuidToBytes(other), raw.subarray(48)]).toString('base64url');
    assert.equal(
      (await t.app.inject({ method: 'POST', url: `/s/${forged}`, headers: form, payload: 'score=7&lang=nl' }))
        .statusCode,
      404,
    );
    // A link in the earlier form (tenant and invitation only) is answered as before. (The invitation
    // whose mail was refused has not been answered yet.)
    const tenantId = bytesToUuid(raw.subarray(0, 16));
    const keys = await t.ctx.keyring.forTenant(tenantId);
    const refused = (
      await t.app.inject({
        method: 'GET',
        url: `/api/v1/surveys/${surveyId}/invitations?status=failed`,
        headers: { cookie: owner },
      })
    ).json().invitations[0].id as string;
    const older = signedRowToken(tenantId, refused, (b) => keys.tokenMac(b));
    assert.equal(older.length, 64);
    assert.equal((await t.app.inject({ method: 'GET', url: `/s/${older}` })).statusCode, 200);
    const ok = await t.app.inject({ method: 'POST', url: `/s/${older}`, headers: form, payload: 'score=7&lang=nl' });
    assert.equal(ok.statusCode, 303, ok.body);
    // Whichever form is used, the invitation is answered once.
    const current = signedRowToken(tenantId, refused, (b) => keys.tokenMac(b), surveyId);
    assert.equal(
      (await t.app.inject({ method: 'POST', url: `/s/${current}`, headers: form, payload: 'score=8&lang=nl' }))
        .statusCode,
      409,
    );
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM responses WHERE score = 8`.execute(
      t.ctx.db.handle.kysely,
    );
    assert.equal(rows[0]!.n, 0);
  });
});

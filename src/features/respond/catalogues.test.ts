import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { importCsv, OWNER, setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { startSmtp, type ReceivedMail, type TestSmtp } from '../../../test/smtp.js';
import { escapeHtml } from '../../lib/html.js';
import { translate, type Language } from '../../lib/i18n.js';

/**
 * Issue 14: the respondent pages and the mails speak from the shared catalogues (/locales/<nl|en>/
 * respondent.json and mails.json), like the admin app. Every page state a respondent meets and the
 * invitation mail, in Dutch and in English, over HTTP and a real SMTP server, show the catalogue's text
 * (and not the other language's).
 */
const form = { 'content-type': 'application/x-www-form-urlencoded' };
const pathOf = (link: string) => new URL(link).pathname;
const other = (lng: Language): Language => (lng === 'nl' ? 'en' : 'nl');
const LANGS: Language[] = ['nl', 'en'];

describe('issue 14: respondent pages and mails from the message catalogues', () => {
  let t: TestApp;
  let smtp: TestSmtp;
  let cookie: string;
  let surveyId: string;
  const mails = new Map<Language, ReceivedMail>();
  const links = new Map<Language, string>();
  const spare = new Map<Language, string>();

  /** The catalogue's message as it appears in a page (HTML-escaped). */
  const page = (lng: Language, key: string, params?: Record<string, string | number>) =>
    escapeHtml(translate(lng, params ? { key, params } : { key }));
  const has = (body: string, lng: Language, key: string, params?: Record<string, string | number>) => {
    assert.ok(body.includes(page(lng, key, params)), `${lng} ${key} appears`);
    const theirs = page(other(lng), key, params);
    if (theirs !== page(lng, key, params))
      assert.ok(!body.includes(`>${theirs}`) && !body.includes(`${theirs}<`), `${key} not in the other language`);
  };

  before(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url });
    cookie = (await setUp(t)).ownerCookie;
    const csv =
      'email;voornaam;taal\nnl1@i18n.example;Noor;nl\nen1@i18n.example;Emma;en\nnl2@i18n.example;Nina;nl\nen2@i18n.example;Eric;en\n';
    assert.equal((await importCsv(t, cookie, csv)).statusCode, 200);
    const s = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie },
      payload: { name: 'Vertaling' },
    });
    surveyId = s.json().id;
    const d = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/distributions`,
      headers: { cookie },
      payload: { all: true },
    });
    assert.equal(d.statusCode, 202, d.body);
    const received = await smtp.waitFor(4);
    for (const m of received) {
      const link = /https?:\/\/\S+\/s\/[A-Za-z0-9_-]{64,}/.exec(m.text)![0];
      const to = m.to[0]!;
      const lng: Language = to.startsWith('nl') ? 'nl' : 'en';
      if (to.includes('1@')) {
        mails.set(lng, m);
        links.set(lng, pathOf(link));
      } else spare.set(lng, pathOf(link));
    }
  });
  after(async () => {
    await t.close();
    await smtp.close();
  });

  for (const lng of LANGS) {
    test(`the invitation mail (${lng}): button, unsubscribe line and privacy link from mails/respondent`, () => {
      const m = mails.get(lng)!;
      const unsubscribe = translate(lng, { key: 'mails:survey.unsubscribe' });
      assert.match(m.text, new RegExp(`${unsubscribe.replace(/[?.]/g, '\\$&')}: http`));
      assert.ok(m.text.includes(`${translate(lng, { key: 'respondent:requestLink' })}: http`));
      assert.ok(m.html?.includes(`>${escapeHtml(translate(lng, { key: 'mails:survey.ctaMany' }))}</a>`));
      assert.ok(!m.text.includes(translate(other(lng), { key: 'mails:survey.unsubscribe' })));
    });

    test(`the question page, the error page and the thank-you page (${lng})`, async () => {
      const url = links.get(lng)!;
      const q = await t.app.inject({ method: 'GET', url });
      assert.equal(q.statusCode, 200);
      assert.match(q.body, new RegExp(`<html lang="${lng}">`));
      for (const key of ['survey.submit', 'survey.optional', 'survey.processor', 'scale.notLikely', 'scale.likely'])
        has(q.body, lng, `respondent:${key}`);
      assert.ok(q.body.includes(page(lng, 'respondent:requestLink')), q.body);
      assert.ok(q.body.includes(`lang="${other(lng)}">${page(lng, 'respondent:survey.switchTo')}`), q.body);

      const posted = await t.app.inject({ method: 'POST', url, headers: form, payload: `score=&lang=${lng}` });
      assert.equal(posted.statusCode, 303, posted.body);
      const err = await t.app.inject({ method: 'GET', url: posted.headers.location as string });
      assert.equal(err.statusCode, 422);
      has(err.body, lng, 'respondent:survey.errorsTitle');
      has(err.body, lng, 'respondent:errors.npsRequired');

      const ok = await t.app.inject({ method: 'POST', url, headers: form, payload: `score=8&lang=${lng}` });
      assert.equal(ok.statusCode, 303, ok.body);
      const thanks = await t.app.inject({ method: 'GET', url: ok.headers.location as string });
      assert.equal(thanks.statusCode, 200);
      has(thanks.body, lng, 'respondent:status.stored');

      const again = await t.app.inject({ method: 'GET', url: `${url}?lang=${lng}` });
      has(again.body, lng, 'respondent:status.doneTitle');
      has(again.body, lng, 'respondent:status.done');
    });

    test(`an unknown link (${lng})`, async () => {
      const res = await t.app.inject({ method: 'GET', url: `/s/garbage?lang=${lng}` });
      assert.equal(res.statusCode, 404);
      has(res.body, lng, 'respondent:status.notFoundTitle');
      has(res.body, lng, 'respondent:status.notFound');
    });

    test(`the unsubscribe page and its confirmation (${lng})`, async () => {
      const u = /http:\/\/peil\.test(\/u\/[A-Za-z0-9_-]{64,})/.exec(mails.get(lng)!.text)![1]!;
      const ask = await t.app.inject({ method: 'GET', url: u });
      assert.equal(ask.statusCode, 200);
      has(ask.body, lng, 'respondent:unsubscribe.title');
      has(ask.body, lng, 'respondent:unsubscribe.ask', { org: 'Zorggroep Test' });
      has(ask.body, lng, 'respondent:unsubscribe.button');
      has(ask.body, lng, 'respondent:unsubscribe.processor');
      const done = await t.app.inject({ method: 'POST', url: u, headers: form, payload: 'List-Unsubscribe=One-Click' });
      assert.equal(done.statusCode, 200);
      has(done.body, lng, 'respondent:unsubscribe.doneTitle');
      has(done.body, lng, 'respondent:unsubscribe.done', { org: 'Zorggroep Test' });
    });
  }

  test('a closed survey, in both languages', async () => {
    const closed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/surveys/${surveyId}/close`,
      headers: { cookie },
      payload: {},
    });
    assert.equal(closed.statusCode, 200, closed.body);
    for (const lng of LANGS) {
      const res = await t.app.inject({ method: 'GET', url: spare.get(lng)! });
      assert.equal(res.statusCode, 410);
      has(res.body, lng, 'respondent:status.closedTitle');
      has(res.body, lng, 'respondent:status.closed', { org: 'Zorggroep Test' });
      const post = await t.app.inject({
        method: 'POST',
        url: spare.get(lng)!,
        headers: form,
        payload: `score=5&lang=${lng}`,
      });
      assert.equal(post.statusCode, 410);
      has(post.body, lng, 'respondent:status.closedNotStored', { org: 'Zorggroep Test' });
    }
  });

  test('the invitation mail to a colleague: Dutch and English from mails:userInvite', async () => {
    const start = smtp.mails.length;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: { cookie },
      payload: { email: 'collega@i18n.example', name: 'Collega', role: 'viewer' },
    });
    assert.equal(res.statusCode, 201, res.body);
    const [m] = await smtp.waitFor(start + 1).then((all) => all.slice(start));
    const params = { org: 'Zorggroep Test', days: 7, inviter: OWNER.name };
    for (const lng of LANGS) {
      assert.ok(m!.subject.includes(translate(lng, { key: 'mails:userInvite.subject' })), `${lng} subject`);
      assert.ok(m!.text.includes(translate(lng, { key: 'mails:userInvite.text', params })), `${lng} text`);
    }
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  colleague,
  dbKind,
  newCustomer,
  operatorCookie,
  setUp,
  startTestApp,
  type TestApp,
} from '../../../test/harness.js';
import { pdfText } from '../../../test/pdf.js';
import { hostingKeepsLocation } from './document.js';

describe(`the agreement as a document (${dbKind})`, () => {
  let t: TestApp;
  let op: string;

  before(async () => {
    t = await startTestApp({
      AGREEMENT_SWEEP_SECONDS: '0',
      PEIL_HOSTING_LOCATION: 'Amsterdam',
      PEIL_HOSTING_COUNTRY: 'NL',
    });
    await setUp(t);
    op = await operatorCookie(t);
  });
  after(() => t.close());

  const doc = (cookie: string, lang: string, format: string) =>
    t.app.inject({
      method: 'GET',
      url: `/api/v1/agreement/document?lang=${lang}&format=${format}`,
      headers: { cookie },
    });
  const put = (id: string, payload: object) =>
    t.app.inject({ method: 'PUT', url: `/api/v1/operator/tenants/${id}/agreement`, headers: { cookie: op }, payload });
  const flat = (s: string) => s.replace(/\s+/g, ' ');

  test('AGR-4 the document states the live terms in Dutch and English, as HTML, Markdown and PDF; a changed term changes every format', async () => {
    const c = await newCustomer(t, op, 'Café Zoë B.V.');
    const html = await doc(c.cookie, 'nl', 'html');
    assert.equal(html.statusCode, 200, html.body);
    assert.match(html.headers['content-type'] as string, /^text\/html; charset=utf-8/);
    assert.match(html.body, /^<!doctype html>/);
    assert.ok(html.body.includes('Verwerkersovereenkomst Café Zoë B.V. – Peil'));
    assert.ok(flat(html.body).includes('binnen 24 uur nadat'));
    // Self-contained: its style inline, no script, and a policy that allows just that.
    assert.ok(!/<script|<link|src=/.test(html.body));
    assert.match(html.headers['content-security-policy'] as string, /default-src 'none'; style-src 'unsafe-inline'/);

    const md = await doc(c.cookie, 'en', 'md');
    assert.equal(md.statusCode, 200);
    assert.match(md.headers['content-type'] as string, /^text\/markdown; charset=utf-8/);
    assert.match(
      md.headers['content-disposition'] as string,
      /^attachment; filename="verwerkersovereenkomst-klant-[\w-]+-1\.0-en\.md"$/,
    );
    assert.ok(md.body.startsWith('# Data processing agreement Café Zoë B.V. – Peil'));
    assert.ok(flat(md.body).includes('within 24 hours of its discovery'));
    assert.equal(
      md.headers['x-peil-document-sha256'],
      createHash('sha256').update(md.body).digest('hex'),
      'the hash header is the hash of the Markdown',
    );

    const pdf = await doc(c.cookie, 'nl', 'pdf');
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.match(pdf.headers['content-disposition'] as string, /^attachment; filename=".+-nl\.pdf"$/);
    const before = pdfText(pdf.rawPayload);
    assert.ok(before.includes('Verwerkersovereenkomst Café Zoë B.V.'), 'Dutch letters survive in the PDF');
    assert.ok(before.includes('binnen 24 uur nadat'), before.slice(0, 2000));
    assert.ok(before.includes('Bijlage 3 – Beveiligingsmaatregelen'));
    assert.ok(
      before.includes('De dienst wordt gehost in Amsterdam (NL)') && !before.includes('Let op: de ingestelde hosting'),
    );

    // The operator changes the breach notice (before the first acceptance it applies at once).
    assert.equal((await put(c.id, { breachNoticeHours: 48, logRetentionMonths: 9 })).statusCode, 200);
    const html2 = flat((await doc(c.cookie, 'nl', 'html')).body);
    assert.ok(html2.includes('binnen 48 uur nadat') && !html2.includes('binnen 24 uur nadat'));
    assert.ok(html2.includes('Bewaartermijn: 9 maanden'), 'Annex 3 (the measures) follows the agreed log retention');
    const md2 = await doc(c.cookie, 'en', 'md');
    assert.ok(flat(md2.body).includes('within 48 hours of its discovery'));
    assert.notEqual(md2.headers['x-peil-document-sha256'], md.headers['x-peil-document-sha256']);
    const nlPdf = pdfText((await doc(c.cookie, 'nl', 'pdf')).rawPayload);
    assert.ok(nlPdf.includes('binnen 48 uur nadat') && !nlPdf.includes('binnen 24 uur nadat'));
    assert.ok(nlPdf.includes('Melding van een datalek binnen 48 uur'), 'the terms table too');
    const enPdf = pdfText((await doc(c.cookie, 'en', 'pdf')).rawPayload);
    assert.ok(enPdf.includes('within 48 hours of its discovery'));
    assert.ok(enPdf.includes('Retention: 9 months'));
  });

  test('AGR-4 assigning a sub-processor and adding a profile field change the annexes of that customer only (HTML and PDF)', async () => {
    const a = await newCustomer(t, op);
    const b = await newCustomer(t, op);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/subprocessors',
      headers: { cookie: op },
      payload: {
        name: 'Mailrelais Noord B.V.',
        service: 'Verzenden van e-mail',
        location: 'Groningen',
        country: 'NL',
        safeguards: ['dpa', 'iso27001'],
        kind: 'smtp',
        appliesTo: [a.id],
      },
    });
    assert.equal(res.statusCode, 201, res.body);
    const annexA = flat((await doc(a.cookie, 'nl', 'html')).body);
    assert.ok(annexA.includes('Mailrelais Noord B.V.') && annexA.includes('verwerkersovereenkomst, ISO 27001'));
    assert.ok(
      !flat((await doc(b.cookie, 'nl', 'html')).body).includes('Mailrelais Noord'),
      'a listed sub-processor is not in another customer’s annex',
    );
    assert.ok(pdfText((await doc(a.cookie, 'en', 'pdf')).rawPayload).includes('Mailrelais Noord B.V.'));
    assert.ok(!pdfText((await doc(b.cookie, 'en', 'pdf')).rawPayload).includes('Mailrelais Noord'));

    assert.ok(!flat((await doc(a.cookie, 'nl', 'html')).body).includes('profielveld Afdeling'));
    const field = await t.app.inject({
      method: 'POST',
      url: '/api/v1/profile-fields',
      headers: { cookie: a.cookie },
      payload: {
        key: 'afdeling',
        type: 'choice',
        label: { nl: 'Afdeling', en: 'Department' },
        options: ['Zorg', 'Staf'],
      },
    });
    assert.equal(field.statusCode, 201, field.body);
    // Annex 1 is the register (REG-2): the new field is a stored category, derived from where it is kept.
    assert.ok(flat((await doc(a.cookie, 'nl', 'html')).body).includes('profielveld Afdeling (afdeling)'));
    assert.ok(
      flat(pdfText((await doc(a.cookie, 'en', 'pdf')).rawPayload)).includes('profile field Department (afdeling)'),
    );
    assert.ok(!flat((await doc(b.cookie, 'nl', 'html')).body).includes('Afdeling'));
  });

  test('AGR-4 names typed by people are text, never markup, in HTML and Markdown', async () => {
    const c = await newCustomer(t, op);
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/agreement/contacts',
      headers: { cookie: c.cookie },
      payload: { customer: { name: '<img src=x onerror=alert(1)> | **Jan**', email: 'jan@klant.test' } },
    });
    assert.equal(patch.statusCode, 200, patch.body);
    const html = (await doc(c.cookie, 'nl', 'html')).body;
    assert.ok(!html.includes('<img') && html.includes('&lt;img src=x onerror=alert(1)&gt;'));
    const md = (await doc(c.cookie, 'nl', 'md')).body;
    assert.ok(
      md.includes('\\<img src=x onerror=alert(1)\\> \\| \\*\\*Jan\\*\\*'),
      'escaped, so the table keeps its columns',
    );
  });

  test('AGR-4 the app gets the document model with the hash of its Markdown', async () => {
    const c = await newCustomer(t, op);
    const json = await doc(c.cookie, 'en', 'json');
    assert.equal(json.statusCode, 200, json.body);
    const d = json.json();
    assert.deepEqual(
      d.annexes.map((a: { id: string }) => a.id),
      ['annex-1', 'annex-2', 'annex-3'],
    );
    assert.equal(d.version, '1.0');
    const md = await doc(c.cookie, 'en', 'md');
    assert.equal(d.sha256, createHash('sha256').update(md.body).digest('hex'));
  });

  test('AGR-4 viewers and analysts cannot read the document, another customer reads only its own, and the operator route needs an operator', async () => {
    const a = await newCustomer(t, op, 'Eerste Klant B.V.');
    const b = await newCustomer(t, op, 'Tweede Klant B.V.');
    for (const role of ['viewer', 'analyst'] as const) {
      const cookie = await colleague(t, a.cookie, role);
      for (const format of ['html', 'pdf', 'md', 'json'])
        assert.equal((await doc(cookie, 'nl', format)).statusCode, 403, `${role} ${format}`);
    }
    assert.equal(
      (await doc(await colleague(t, a.cookie, 'admin'), 'nl', 'html')).statusCode,
      200,
      'admins read the agreement',
    );
    // B's session gets B's document, whatever it asks for; the operator route refuses a customer.
    const mine = (await doc(b.cookie, 'nl', 'md')).body;
    assert.ok(mine.includes('Tweede Klant B.V.') && !mine.includes('Eerste Klant B.V.'));
    const viaOperator = `/api/v1/operator/tenants/${a.id}/agreement/document?lang=nl&format=md`;
    assert.ok(
      [401, 403].includes(
        (await t.app.inject({ method: 'GET', url: viaOperator, headers: { cookie: b.cookie } })).statusCode,
      ),
    );
    assert.equal((await t.app.inject({ method: 'GET', url: viaOperator })).statusCode, 401);
    const operator = await t.app.inject({ method: 'GET', url: viaOperator, headers: { cookie: op } });
    assert.equal(operator.statusCode, 200);
    assert.ok(operator.body.includes('Eerste Klant B.V.'));
    assert.equal(operator.body, (await doc(a.cookie, 'nl', 'md')).body, 'the operator sees what the customer sees');
    assert.equal(
      (
        await t.app.inject({
          method: 'GET',
          url: '/api/v1/operator/tenants/00000000-0000-4000-8000-0000000000aa/agreement/document',
          headers: { cookie: op },
        })
      ).statusCode,
      404,
    );
    const bad = await doc(a.cookie, 'de', 'docx');
    assert.equal(bad.statusCode, 422);
    assert.deepEqual(
      bad
        .json()
        .errors.map((e: { pointer: string }) => e.pointer)
        .sort(),
      ['/querystring/format', '/querystring/lang'],
    );
  });

  test('AGR-4 the place of processing is checked against the configured hosting, and a mismatch is written down, not hidden', () => {
    assert.deepEqual(
      [
        ['NL', 'NL'],
        ['NL', 'DE'],
        ['EU', 'DE'],
        ['EU', 'NO'],
        ['EU', 'US'],
        ['EU', 'nl'],
      ].map(([loc, country]) => hostingKeepsLocation(loc as 'EU' | 'NL', country!)),
      [true, false, true, false, false, true],
    );
  });

  test('AGR-4 the OpenAPI document describes the non-JSON content types', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    for (const path of ['/api/v1/agreement/document', '/api/v1/operator/tenants/{id}/agreement/document']) {
      const content = spec.paths[path].get.responses['200'].content;
      assert.deepEqual(
        Object.keys(content).sort(),
        ['application/json', 'application/pdf', 'text/html', 'text/markdown'],
        path,
      );
    }
  });
});

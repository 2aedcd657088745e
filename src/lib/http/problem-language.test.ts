/**
 * Issue 14: API problems carry their title and detail in Dutch or English by Accept-Language, with a
 * stable `code`; Dutch when the client names neither. The catalogue messages come from /locales, the
 * same files the admin app uses.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  colleague,
  OPERATOR,
  OWNER,
  operatorCookie,
  setUp,
  startTestApp,
  type TestApp,
} from '../../../test/harness.js';
import { negotiateLanguage } from '../i18n.js';

describe('problem+json in the client’s language', () => {
  let t: TestApp;
  let owner: string;
  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner } = await setUp(t));
  });
  after(() => t.close());

  const get = (url: string, lang?: string) =>
    t.app.inject({ method: 'GET', url, headers: { cookie: owner, ...(lang ? { 'accept-language': lang } : {}) } });

  test('a survey that does not exist: Dutch by default, English when asked, the same code and status', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const nl = await get(`/api/v1/surveys/${id}`);
    const en = await get(`/api/v1/surveys/${id}`, 'en-GB,en;q=0.9');
    for (const r of [nl, en]) {
      assert.equal(r.statusCode, 404);
      assert.equal(r.json().code, 'not_found');
      assert.match(String(r.headers.vary), /Accept-Language/i);
    }
    assert.equal(nl.headers['content-language'], 'nl');
    assert.equal(nl.json().title, 'Niet gevonden');
    assert.equal(nl.json().detail, 'Onderzoek niet gevonden.');
    assert.equal(en.headers['content-language'], 'en');
    assert.equal(en.json().title, 'Not found');
    assert.equal(en.json().detail, 'No such survey.');
  });

  test('a validation problem: the sentence follows the language, the pointers do not', async () => {
    const send = (lang: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: owner, 'accept-language': lang },
        payload: { name: '' },
      });
    const [nl, en] = [await send('nl-NL'), await send('en')];
    assert.equal(nl.statusCode, 422);
    assert.equal(nl.json().code, en.json().code);
    // The same items, pointers and codes in either language; only the reasons differ.
    const shape = (r: typeof nl) =>
      (r.json().errors as Array<{ pointer: string; code: string }>).map((e) => `${e.pointer} ${e.code}`);
    assert.deepEqual(shape(nl), shape(en));
    assert.deepEqual(shape(nl), ['/body/name too_small']);
    assert.match(nl.json().detail, /^Het verzoek is niet geldig: \/body\/name/);
    assert.match(en.json().detail, /^The request is not valid: \/body\/name/);
    assert.equal(nl.json().title, 'Controle mislukt');
  });

  test('issue 14: the reasons of a validation problem are Dutch in Dutch, English in English, with the same codes', async () => {
    const send = (lang: string, payload: object) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: owner, 'accept-language': lang },
        payload,
      });
    type Item = { pointer: string; code: string; reason: string };
    // A name too short, a kind that is no kind, a status of the wrong type: three of zod's issues.
    const payload = { name: '', kind: 'onbekend', status: 7 };
    const [nl, en] = [await send('nl', payload), await send('en', payload)];
    assert.equal(nl.statusCode, 422, nl.body);
    const nlItems = nl.json().errors as Item[];
    const enItems = en.json().errors as Item[];
    assert.deepEqual(
      nlItems.map((e) => [e.pointer, e.code]),
      enItems.map((e) => [e.pointer, e.code]),
    );
    const byPointer = (items: Item[], pointer: string) => items.find((e) => e.pointer === pointer)!;
    assert.equal(byPointer(nlItems, '/body/name').code, 'too_small');
    assert.match(byPointer(nlItems, '/body/name').reason, /^Te kort/);
    assert.match(byPointer(enItems, '/body/name').reason, /^Too small/);
    assert.equal(byPointer(nlItems, '/body/kind').code, 'invalid_value');
    assert.match(byPointer(nlItems, '/body/kind').reason, /^Ongeldige optie: verwacht één van/);
    assert.match(byPointer(enItems, '/body/kind').reason, /^Invalid option: expected one of/);
    assert.match(byPointer(nlItems, '/body/status').reason, /^Ongeldige (invoer|optie)/);
    // The Dutch detail names the same reasons in Dutch: no English from zod pasted in.
    const english = /\b(Too small|Invalid|expected|received|characters)\b/;
    assert.doesNotMatch(nl.json().detail, english, nl.json().detail);
    assert.match(nl.json().detail, /Te kort/);
    assert.match(en.json().detail, /Too small/);
    for (const e of nlItems) assert.doesNotMatch(e.reason, english, e.reason);
  });

  test('issue 14: a selection’s own checks (a filter without its value, two audiences at once) in Dutch and in English', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner },
      payload: { name: 'Selectie', kind: 'nps', status: 'draft' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const send = (lang: string, payload: object) =>
      t.app.inject({
        method: 'POST',
        url: `/api/v1/surveys/${created.json().id}/distributions/preview`,
        headers: { cookie: owner, 'accept-language': lang },
        payload,
      });
    type Item = { pointer: string; code: string; reason: string };
    const filter = { selection: { match: 'all', filters: [{ field: 'profile.regio', op: 'eq' }] } };
    const [nl, en] = [await send('nl', filter), await send('en', filter)];
    assert.equal(nl.statusCode, 422, nl.body);
    const one = (r: typeof nl) => (r.json().errors as Item[])[0]!;
    assert.equal(one(nl).pointer, '/body/selection/filters/0/value');
    assert.equal(one(nl).code, 'custom');
    assert.equal(one(nl).reason, 'eq heeft een waarde nodig.');
    assert.equal(one(en).reason, 'eq needs a value.');
    const both = { all: true, contactIds: ['00000000-0000-4000-8000-000000000000'] };
    const [nl2, en2] = [await send('nl', both), await send('en', both)];
    assert.equal(nl2.statusCode, 422, nl2.body);
    assert.equal(one(nl2).reason, 'Geef precies één van all, contactIds of selection.');
    assert.equal(one(en2).reason, 'Give exactly one of all, contactIds or selection.');
  });

  test('issue 14: a survey’s own checks (a condition on a later question, a value off the scale) in Dutch and in English', async () => {
    const L = (nl: string, en: string) => ({ nl, en });
    const definition = {
      questions: [
        {
          id: 'why',
          type: 'text',
          required: false,
          maxLength: 500,
          showIf: { question: 'score', op: 'lte', value: 6 },
          text: L('Waarom?', 'Why?'),
        },
        { id: 'score', type: 'nps', required: true, text: L('Aanbevelen?', 'Recommend?') },
        {
          id: 'more',
          type: 'text',
          required: false,
          maxLength: 500,
          newPage: true,
          showIf: { question: 'score', op: 'lte', value: 11 },
          text: L('Nog iets?', 'Anything else?'),
        },
      ],
      invitation: { subject: L('Je mening', 'Your opinion'), body: L('Beste {naam}', 'Dear {name}') },
      thanks: L('Bedankt!', 'Thank you!'),
    };
    const send = (lang: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/surveys',
        headers: { cookie: owner, 'accept-language': lang },
        payload: { name: 'Voorwaarden', kind: 'custom', definition },
      });
    const [nl, en] = [await send('nl'), await send('en')];
    assert.equal(nl.statusCode, 422, nl.body);
    type Item = { pointer: string; code: string; reason: string };
    const pick = (r: typeof nl) =>
      Object.fromEntries(
        (r.json().errors as Item[]).map((e) => [e.pointer.replace('/body/definition/questions/', ''), e]),
      );
    const [a, b] = [pick(nl), pick(en)];
    assert.equal(a['0/showIf/question']!.code, 'custom');
    assert.equal(
      a['0/showIf/question']!.reason,
      '“score” komt na deze vraag; een voorwaarde kan alleen naar een eerdere vraag verwijzen.',
    );
    assert.equal(
      b['0/showIf/question']!.reason,
      '"score" comes after this question; a condition can only refer to an earlier question.',
    );
    assert.equal(a['2/showIf/value']!.reason, '“score” wordt beantwoord met een heel getal van 0 tot en met 10.');
    assert.equal(b['2/showIf/value']!.reason, '"score" is answered with a whole number from 0 to 10.');
    assert.doesNotMatch(nl.json().detail, /comes after|answered with/, nl.json().detail);
  });

  test('an unknown route and a missing sign-in answer in the asked language', async () => {
    const route = await t.app.inject({
      method: 'GET',
      url: '/api/v1/nope',
      headers: { 'accept-language': 'fr-FR, en;q=0.5' },
    });
    assert.equal(route.statusCode, 404);
    assert.equal(route.json().detail, 'No route for GET /api/v1/nope.');
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/surveys', headers: { 'accept-language': 'nl' } });
    assert.equal(anon.statusCode, 401);
    assert.equal(anon.json().title, 'Inloggen vereist');
  });

  test('issue 14: a body of the wrong kind is refused in the asked language, its item too', async () => {
    // A kind Peil reads nowhere (Fastify's own refusal), and JSON where a file upload is expected.
    const send = (lang: string, url: string, type: string, payload: string) =>
      t.app.inject({
        method: 'POST',
        url,
        headers: { cookie: owner, 'accept-language': lang, 'content-type': type },
        payload,
      });
    const csv = [
      await send('nl', '/api/v1/surveys', 'text/csv', 'naam'),
      await send('en', '/api/v1/surveys', 'text/csv', 'naam'),
    ];
    for (const r of csv) assert.equal(r.statusCode, 415, r.body);
    assert.equal(csv[0]!.json().detail, 'Dit soort inhoud (Content-Type) wordt hier niet aangenomen.');
    assert.equal(csv[1]!.json().detail, 'This kind of content (Content-Type) is not accepted here.');

    const upload = '/api/v1/contact-imports';
    const [nl, en] = [
      await send('nl', upload, 'application/json', '{}'),
      await send('en', upload, 'application/json', '{}'),
    ];
    assert.equal(nl.statusCode, 415, nl.body);
    assert.equal(nl.json().code, 'unsupported_media_type');
    assert.equal(nl.json().detail, 'Deze bewerking neemt multipart/form-data aan, niet application/json.');
    assert.equal(en.json().detail, 'This operation accepts multipart/form-data, not application/json.');
    assert.deepEqual(nl.json().errors, [
      { pointer: '/headers/content-type', code: 'media_type', reason: 'niet multipart/form-data' },
    ]);
    assert.equal(en.json().errors[0].reason, 'not multipart/form-data');
  });

  test('issue 14: errors before routing (a bad %-encoding, a parameter too long) name their item in the asked language', async () => {
    for (const [url, code, nl, en] of [
      ['/api/v1/contacts/%zz', 'bad_percent_encoding', 'ongeldige %-codering', 'bad percent-encoding'],
      [`/api/v1/contacts/${'a'.repeat(150)}`, 'param_too_long', 'padparameter te lang', 'path parameter too long'],
    ] as const) {
      const inNl = await get(url, 'nl');
      const inEn = await get(url, 'en');
      assert.deepEqual(inNl.json().errors, [{ pointer: '/path', code, reason: nl }]);
      assert.deepEqual(inEn.json().errors, [{ pointer: '/path', code, reason: en }]);
    }
  });

  test('Accept-Language negotiation: weights, regions, wildcards and nonsense', () => {
    assert.equal(negotiateLanguage(undefined), 'nl');
    assert.equal(negotiateLanguage(''), 'nl');
    assert.equal(negotiateLanguage('en-US'), 'en');
    assert.equal(negotiateLanguage('de-DE, en;q=0.8, nl;q=0.9'), 'nl');
    assert.equal(negotiateLanguage('de-DE, en;q=0.8'), 'en');
    assert.equal(negotiateLanguage('en;q=0, nl;q=0.1'), 'nl');
    assert.equal(negotiateLanguage('*'), 'nl');
    assert.equal(negotiateLanguage('fr'), 'nl');
    assert.equal(negotiateLanguage(';;;,q=abc,en;q=x'), 'nl');
  });
});

/**
 * Issue 14, per feature: the problems the features raise carry a catalogue message, so the same
 * request gets a Dutch detail in Dutch and an English one in English, with the same status and code.
 */
describe('feature problems in Dutch and in English', () => {
  let t: TestApp;
  let owner: string;
  let tenantId: string;
  before(async () => {
    t = await startTestApp();
    ({ ownerCookie: owner, tenantId } = await setUp(t));
  });
  after(() => t.close());

  /** The same request in Dutch and in English: the same status and code, the two details. */
  const both = async (
    req: { method: 'GET' | 'POST' | 'PUT' | 'PATCH'; url: string; payload?: object; cookie?: string | null },
    status: number,
    code: string,
  ): Promise<{ nl: string; en: string; body: Record<string, unknown> }> => {
    const send = (lang: string) =>
      t.app.inject({
        method: req.method,
        url: req.url,
        headers: { ...(req.cookie === null ? {} : { cookie: req.cookie ?? owner }), 'accept-language': lang },
        ...(req.payload ? { payload: req.payload } : {}),
      });
    const nl = await send('nl');
    const en = await send('en');
    for (const r of [nl, en]) {
      assert.equal(r.statusCode, status, r.body);
      assert.equal(r.json().code, code);
    }
    assert.equal(nl.headers['content-language'], 'nl');
    assert.equal(en.headers['content-language'], 'en');
    return { nl: nl.json().detail, en: en.json().detail, body: en.json() };
  };

  test('auth: a failed sign-in and a weak new password', async () => {
    const signIn = await both(
      {
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { email: 'niemand@zorg.test', password: 'Verkeerd-Wachtwoord-1' },
        cookie: null,
      },
      401,
      'unauthenticated',
    );
    assert.equal(
      signIn.nl,
      'Het e-mailadres of wachtwoord klopt niet, of het account is na herhaalde mislukte pogingen een tijdje geblokkeerd.',
    );
    assert.equal(
      signIn.en,
      'Email or password is not correct, or the account is locked for a while after repeated failures.',
    );
    const weak = await both(
      { method: 'POST', url: '/api/v1/auth/password', payload: { current: 'x', password: 'kort' } },
      422,
      'validation_failed',
    );
    assert.equal(weak.nl, 'Het wachtwoord is te zwak: minstens 10 tekens.');
    assert.equal(weak.en, 'The password is too weak: at least 10 characters.');
  });

  /** The same request in Dutch and in English: its items, which must have the same pointers and codes. */
  const items = async (req: { method: 'POST' | 'PUT'; url: string; payload: object; cookie?: string | null }) => {
    const send = (lang: string) =>
      t.app.inject({
        method: req.method,
        url: req.url,
        headers: { ...(req.cookie === null ? {} : { cookie: req.cookie ?? owner }), 'accept-language': lang },
        payload: req.payload,
      });
    const [nl, en] = [await send('nl'), await send('en')];
    type Item = { pointer: string; code: string; reason: string };
    const [a, b] = [nl.json().errors as Item[], en.json().errors as Item[]];
    assert.ok(a?.length, nl.body);
    assert.deepEqual(
      a.map((e) => [e.pointer, e.code]),
      b.map((e) => [e.pointer, e.code]),
    );
    return { nl: a, en: b, nlDetail: nl.json().detail as string, enDetail: en.json().detail as string };
  };

  test('issue 14: hand-written reasons follow the language too: a wrong password, an invited address that exists, weak passwords', async () => {
    const wrong = await items({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { current: 'Niet-Mijn-Wachtwoord-9', password: 'Fietsenstalling-Regenboog-Koffie-4' },
    });
    assert.deepEqual(wrong.nl, [
      { pointer: '/body/current', code: 'wrong_password', reason: 'Het wachtwoord klopt niet.' },
    ]);
    assert.deepEqual(wrong.en, [
      { pointer: '/body/current', code: 'wrong_password', reason: 'The password is not correct.' },
    ]);

    const exists = await items({
      method: 'POST',
      url: '/api/v1/users',
      payload: { email: OWNER.email, name: 'Otto', role: 'viewer' },
    });
    assert.deepEqual(exists.nl, [
      { pointer: '/body/email', code: 'exists', reason: 'Dit e-mailadres heeft hier al een account.' },
    ]);
    assert.deepEqual(exists.en, [
      { pointer: '/body/email', code: 'exists', reason: 'This email address has an account here already.' },
    ]);

    // "Zomervakantie1": too easy to guess (the Dutch word lists); "kort": too short. No "Dutch / English" in one reason.
    const weak = await items({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { current: OWNER.password, password: 'Zomervakantie1' },
    });
    assert.deepEqual(
      weak.nl.map((e) => e.code),
      ['password_guess'],
    );
    assert.match(weak.nl[0]!.reason, /^Te makkelijk te raden/);
    assert.match(weak.en[0]!.reason, /^Too easy to guess/);
    for (const e of weak.nl) assert.ok(!e.reason.includes(' / '), e.reason);
    const short = await items({
      method: 'POST',
      url: '/api/v1/auth/password',
      payload: { current: 'x', password: 'kort' },
    });
    assert.deepEqual(short.nl, [{ pointer: '/body/password', code: 'password_short', reason: 'Minstens 10 tekens.' }]);
    assert.deepEqual(short.en, [
      { pointer: '/body/password', code: 'password_short', reason: 'At least 10 characters.' },
    ]);
  });

  test('issue 14: a taken short name at set-up and a refused webhook URL, in either language', async () => {
    const op = await operatorCookie(t);
    const taken = await items({
      method: 'POST',
      url: '/api/v1/operator/tenants',
      cookie: op,
      payload: {
        name: 'Tweede zorggroep',
        slug: 'zorggroep',
        owner: { email: 'tweede@zorg.test', name: 'Tweede', password: 'Tulpenveld-Winter-8' },
      },
    });
    assert.equal(taken.nl[0]!.code, 'taken');
    assert.equal(taken.nl[0]!.reason, 'Deze korte naam is al in gebruik.');
    assert.equal(taken.en[0]!.reason, 'This short name is taken already.');

    const slug = await items({
      method: 'POST',
      url: '/api/v1/operator/tenants',
      cookie: op,
      payload: {
        name: 'Derde',
        slug: 'Hoofdletters!',
        owner: { email: 'derde@zorg.test', name: 'Derde', password: 'Tulpenveld-Winter-8' },
      },
    });
    assert.equal(slug.nl[0]!.pointer, '/body/slug');
    assert.equal(slug.nl[0]!.reason, 'Kleine letters, cijfers en streepjes, 2 tot 63 tekens.');
    assert.equal(slug.en[0]!.reason, 'Lower-case letters, digits and dashes, 2 to 63 characters.');

    const hook = await items({
      method: 'POST',
      url: '/api/v1/webhooks',
      payload: { url: 'ftp://hooks.zorg.test/peil', events: ['survey.closed'] },
    });
    assert.equal(hook.nl[0]!.code, 'url_scheme');
    assert.equal(hook.nl[0]!.reason, 'de URL moet met https beginnen (niet met ftp)');
    assert.equal(hook.en[0]!.reason, 'the URL must start with https (not ftp)');
    assert.equal(hook.nlDetail, 'De webhook-URL wordt geweigerd: de URL moet met https beginnen (niet met ftp).');
    assert.equal(hook.enDetail, 'The webhook URL is refused: the URL must start with https (not ftp).');
  });

  test('users: deactivating yourself', async () => {
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: owner } });
    const self = await both({ method: 'POST', url: `/api/v1/users/${me.json().id}/deactivate` }, 409, 'conflict');
    assert.equal(self.nl, 'Je kunt jezelf niet deactiveren; vraag een collega.');
    assert.equal(self.en, 'You cannot deactivate yourself; ask a colleague.');
  });

  test('ACC-2 access: a role without the permission, and no sign-in, are refused in either language', async () => {
    const viewer = await colleague(t, owner, 'viewer');
    const role = await both(
      { method: 'POST', url: '/api/v1/contacts', payload: { email: 'a@b.test' }, cookie: viewer },
      403,
      'forbidden',
    );
    assert.equal(role.nl, 'Je rol (lezer) staat dit niet toe (contacts:write).');
    assert.equal(role.en, 'Your role (viewer) does not allow this (contacts:write).');
    const none = await both({ method: 'GET', url: '/api/v1/contacts', cookie: null }, 401, 'unauthenticated');
    assert.equal(none.nl, 'Log eerst in; je sessie is misschien verlopen.');
    assert.equal(none.en, 'Sign in first; your session may have expired.');
  });

  test('surveys and results: a same-page condition, an unknown breakdown', async () => {
    const L = (nl: string, en: string) => ({ nl, en });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/surveys',
      headers: { cookie: owner },
      payload: { name: 'Zelfde pagina', kind: 'custom', status: 'draft' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const samePage = await both(
      {
        method: 'PUT',
        url: `/api/v1/surveys/${created.json().id}`,
        payload: {
          definition: {
            questions: [
              { id: 'score', type: 'nps', required: true, text: L('Zou je ons aanbevelen?', 'Recommend us?') },
              {
                id: 'problem',
                type: 'text',
                required: false,
                maxLength: 500,
                showIf: { question: 'score', op: 'lte', value: 6 },
                text: L('Wat ging er mis?', 'What went wrong?'),
              },
            ],
            invitation: { subject: L('Je mening', 'Your opinion'), body: L('Beste {naam}', 'Dear {name}') },
            thanks: L('Bedankt!', 'Thank you!'),
          },
        },
      },
      422,
      'validation_failed',
    );
    assert.equal(
      samePage.nl,
      'Een voorwaarde verwijst naar een vraag op dezelfde pagina: begin een nieuwe pagina bij die vraag.',
    );
    assert.equal(
      samePage.en,
      'A condition refers to a question on the same page; start a new page at the question with the condition.',
    );
    const unknown = await both(
      { method: 'GET', url: `/api/v1/surveys/${created.json().id}/results?breakdown=schoenmaat` },
      422,
      'validation_failed',
    );
    assert.equal(unknown.nl, 'Er is geen profielveld “schoenmaat”.');
    assert.equal(unknown.en, 'There is no profile field "schoenmaat".');
  });

  test('audit and audits: a head that is not one, a period that ends before it starts', async () => {
    const head = await both(
      { method: 'POST', url: '/api/v1/audit/verification', payload: { heads: ['geen stand'] } },
      422,
      'validation_failed',
    );
    assert.match(head.nl, /^Dit is geen ondertekende stand van het logboek: ./);
    assert.ok(!head.en.includes('Dit is'), head.en);
    const period = await both(
      { method: 'GET', url: '/api/v1/audits/pack?from=2026-02-01&to=2026-01-01' },
      422,
      'validation_failed',
    );
    assert.equal(period.nl, 'De periode eindigt voor het begin.');
    assert.equal(period.en, 'The period ends before it starts.');
  });

  test('integrations: an API key that ends in the past', async () => {
    const past = await both(
      {
        method: 'POST',
        url: '/api/v1/api-keys',
        payload: { name: 'CRM', scopes: ['contacts:read'], expiresAt: '2001-01-01T00:00:00Z' },
      },
      422,
      'validation_failed',
    );
    assert.equal(past.nl, 'Het einde van de geldigheid ligt in het verleden.');
    assert.equal(past.en, 'The end of validity lies in the past.');
  });

  test('labelling and follow-ups: terms of another version, a filter that is not valid', async () => {
    const terms = await both(
      { method: 'POST', url: '/api/v1/labelling/activate', payload: { termsVersion: '0-oud', acceptTerms: true } },
      409,
      'conflict',
    );
    assert.match(terms.nl, /^De voorwaarden zijn gewijzigd: lees en aanvaard versie \S+\.$/);
    assert.match(terms.en, /^The terms have changed: read and accept version \S+\.$/);
    const filter = await both({ method: 'GET', url: '/api/v1/follow-ups?owner=iemand' }, 422, 'validation_failed');
    assert.equal(filter.nl, 'Het filter is niet geldig.');
    assert.equal(filter.en, 'The filter is not valid.');
  });

  test('register: an unknown category', async () => {
    const unknown = await both(
      { method: 'PATCH', url: '/api/v1/register', payload: { add: [{ kind: 'category', code: 'made.up' }] } },
      422,
      'validation_failed',
    );
    assert.match(
      unknown.nl,
      /^Onbekende categorie voor het register: made\.up\. Gebruik een standaardcategorie .*profile\.<key> of other\.<name>\.$/,
    );
    assert.match(
      unknown.en,
      /^Unknown register category: made\.up\. Use a standard category .*profile\.<key> or other\.<name>\.$/,
    );
  });

  test('operator: sub-processors and benchmark rules', async () => {
    const op = await operatorCookie(t);
    const sub = await both(
      {
        method: 'POST',
        url: '/api/v1/operator/subprocessors',
        cookie: op,
        payload: {
          name: 'Alfa Print',
          service: 'Drukwerk',
          location: 'Utrecht',
          country: 'NL',
          kind: 'other',
          safeguards: ['dpa'],
          appliesTo: ['00000000-0000-4000-8000-000000000001'],
        },
      },
      422,
      'validation_failed',
    );
    assert.equal(sub.nl, 'Onbekende klant.');
    assert.equal(sub.en, 'Unknown customer.');
    const rules = await both(
      {
        method: 'PUT',
        url: '/api/v1/operator/benchmark/settings',
        cookie: op,
        payload: {
          minCustomers: 8,
          minRespondents: 100,
          dominanceOnePercent: 50,
          dominanceTwoPercent: 75,
          quartileMinCustomers: 6,
        },
      },
      422,
      'validation_failed',
    );
    assert.equal(rules.nl, 'Kwartielen hebben minstens zoveel klanten nodig als een cel.');
    assert.equal(rules.en, 'Quartiles need at least as many customers as a cell.');
  });

  test('contacts: undoing a deletion twice, an option given twice, a profile field that exists already', async () => {
    const inject = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
      t.app.inject({ method, url, headers: { cookie: owner }, ...(payload ? { payload } : {}) });
    const created = await inject('POST', '/api/v1/contacts', { email: 'twee-keer@zorg.test' });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;
    assert.equal((await inject('DELETE', `/api/v1/contacts/${id}`)).statusCode, 204);
    const log = await inject('GET', `/api/v1/audit?action=contact.deleted&subject=contact:${id}`);
    const entry = log.json().entries[0].id as number;
    const first = await inject('POST', `/api/v1/audit/${entry}/restore`);
    assert.equal(first.statusCode, 200, first.body);
    const again = await both({ method: 'POST', url: `/api/v1/audit/${entry}/restore` }, 409, 'conflict');
    assert.equal(again.nl, 'Dit contact bestaat: het is al teruggezet, of nooit verwijderd.');
    assert.equal(again.en, 'This contact exists: it was restored already, or never deleted.');

    const twice = await both(
      {
        method: 'POST',
        url: '/api/v1/profile-fields',
        payload: { key: 'locatie', type: 'choice', label: { nl: 'Locatie' }, options: ['Oost', 'Noord', 'oost'] },
      },
      422,
      'validation_failed',
    );
    assert.equal(twice.nl, 'De optie “oost” staat er twee keer in.');
    assert.equal(twice.en, 'The option "oost" is given twice.');
    const field = { key: 'team', type: 'text', label: { nl: 'Team' } };
    assert.equal((await inject('POST', '/api/v1/profile-fields', field)).statusCode, 201);
    const exists = await both({ method: 'POST', url: '/api/v1/profile-fields', payload: field }, 409, 'conflict');
    assert.equal(exists.nl, 'Er bestaat al een profielveld “team”.');
    assert.equal(exists.en, 'A profile field "team" exists already.');
  });

  test('ending and settings: a choice before the end, a second factor required without your own', async () => {
    const choice = await both(
      { method: 'POST', url: '/api/v1/ending/choice', payload: { choice: 'return' } },
      409,
      'conflict',
    );
    assert.equal(choice.nl, 'De overeenkomst is niet beëindigd; er valt nog niets te kiezen.');
    assert.equal(choice.en, 'The agreement has not ended; there is nothing to choose yet.');
    const factor = await both(
      { method: 'PATCH', url: '/api/v1/tenant/settings', payload: { requireSecondFactor: true } },
      409,
      'conflict',
    );
    assert.equal(factor.nl, 'Stel eerst je eigen authenticator-app in, zodat de verplichting je niet buitensluit.');
    assert.equal(factor.en, 'Set up your own authenticator app first, so that the requirement does not lock you out.');
  });

  test('setup, support and suspension: a second set-up, a taken short name, no such grant, resuming an active customer', async () => {
    const op = await operatorCookie(t);
    const setup = await both(
      {
        method: 'POST',
        url: '/api/v1/setup',
        cookie: null,
        payload: { operator: OPERATOR, tenant: { name: 'Nog een', slug: 'nog-een', owner: OWNER } },
      },
      409,
      'conflict',
    );
    assert.equal(setup.nl, 'Peil is al ingericht; log in.');
    assert.equal(setup.en, 'Peil is already set up; sign in instead.');
    const slug = await both(
      {
        method: 'POST',
        url: '/api/v1/operator/tenants',
        cookie: op,
        payload: {
          name: 'Tweede zorggroep',
          slug: 'zorggroep',
          owner: { email: 'tweede@zorg.test', name: 'Tweede', password: 'Tulpenveld-Winter-8' },
        },
      },
      409,
      'conflict',
    );
    assert.equal(slug.nl, 'De korte naam “zorggroep” is al in gebruik.');
    assert.equal(slug.en, 'The short name "zorggroep" is taken.');

    const grant = await both(
      {
        method: 'POST',
        url: `/api/v1/operator/tenants/${tenantId}/support-session`,
        cookie: op,
        payload: { grantId: '00000000-0000-4000-8000-000000000000' },
      },
      403,
      'forbidden',
    );
    assert.equal(grant.nl, 'Er is geen actieve toegang voor ondersteuning met dit id voor deze klant.');
    assert.equal(grant.en, 'There is no active support grant with this id for this customer.');
    const duration = await both(
      { method: 'POST', url: '/api/v1/support-access', payload: { scope: 'results', reason: 'Vraag', hours: 0 } },
      422,
      'validation_failed',
    );
    assert.match(duration.nl, /^Het verzoek is niet geldig: \/body\/hours/);
    assert.match(duration.en, /^The request is not valid: \/body\/hours/);

    const resume = await both(
      { method: 'POST', url: `/api/v1/operator/tenants/${tenantId}/resume`, cookie: op, payload: { reason: 'Test' } },
      409,
      'conflict',
    );
    assert.equal(resume.nl, 'Deze klant is niet opgeschort.');
    assert.equal(resume.en, 'This customer is not suspended.');
  });

  // Last: the plan it sets limits what the tests above create.
  test('plans: a limit reached and a feature the plan lacks name the limit, plan and usage in either language', async () => {
    const op = await operatorCookie(t);
    const usage = await t.app.inject({ method: 'GET', url: '/api/v1/usage', headers: { cookie: owner } });
    const used = (usage.json().lines as Array<{ metric: string; used: number }>).find(
      (l) => l.metric === 'surveys',
    )!.used;
    const plan = await t.app.inject({
      method: 'POST',
      url: '/api/v1/operator/plans',
      headers: { cookie: op },
      payload: {
        name: 'Klein',
        limits: { contacts: null, responses: null, surveys: used, users: null, labelled: null },
        features: { ai: true, api: false },
      },
    });
    assert.equal(plan.statusCode, 201, plan.body);
    const assigned = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/operator/tenants/${tenantId}/plan`,
      headers: { cookie: op },
      payload: { planId: plan.json().id },
    });
    assert.equal(assigned.statusCode, 200, assigned.body);
    const survey = await both(
      { method: 'POST', url: '/api/v1/surveys', payload: { name: 'Eén te veel' } },
      409,
      'limit_reached',
    );
    assert.equal(
      survey.nl,
      `Een nieuwe enquête overschrijdt de limiet van ${used} enquêtes van het abonnement "Klein": in gebruik ${used}, dit zou er 1 bij doen. Er is niets opgeslagen. Verwijder eerst iets of vraag om een uitbreiding.`,
    );
    assert.equal(
      survey.en,
      `A new survey exceeds the limit of ${used} surveys of the plan "Klein": ${used} in use, this would add 1. Nothing was stored. Remove something first or ask for an extension.`,
    );
    assert.equal((survey.body.limit as { metric: string }).metric, 'surveys', 'the machine-readable part is unchanged');
    const key = await both(
      { method: 'POST', url: '/api/v1/api-keys', payload: { name: 'CRM', scopes: ['contacts:read'] } },
      409,
      'limit_reached',
    );
    assert.equal(key.nl, 'Het abonnement "Klein" omvat API-toegang niet.');
    assert.equal(key.en, 'The plan "Klein" does not include API access.');
  });
});

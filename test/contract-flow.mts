/**
 * An integration's main flow, written only against the client generated from the running app's
 * OpenAPI document (openapi-typescript's `paths` + openapi-fetch), the way an integrator writes it.
 *
 * src/contract.test.ts copies this file next to the generated `api.d.ts` in a temporary folder,
 * type-checks it there with `tsc --noEmit` (a wrong path, body or parameter fails the test), and
 * runs it. It is an .mts file so that the project's own tsc (which has no `api.d.ts`) leaves it out;
 * it imports nothing at run time: openapi-fetch's createClient is handed in.
 */
import type createClient from 'openapi-fetch';
import type { Middleware } from 'openapi-fetch';
import type { paths } from './api.js';

export interface FlowOptions {
  baseUrl: string;
  /** The owner's session: the Cookie header (session and CSRF cookie) and the CSRF cookie's value. */
  owner: { cookie: string; csrf: string };
  /** Checks every answer against the document (src/contract.test.ts). */
  check: Middleware;
  /** The respondent answers through the link in their invitation mail (a form post under /s/). */
  respond: (email: string) => Promise<void>;
}

export interface FlowResult {
  steps: string[];
}

function must(condition: unknown, what: string): asserts condition {
  if (!condition) throw new Error(`main flow: ${what}`);
}

export async function mainFlow(create: typeof createClient, o: FlowOptions): Promise<FlowResult> {
  const steps: string[] = [];
  const step = (s: string) => steps.push(s);

  // The owner creates a key for the integration (session cookie + CSRF header).
  const session = create<paths>({
    baseUrl: o.baseUrl,
    headers: { cookie: o.owner.cookie, 'x-csrf-token': o.owner.csrf },
  });
  session.use(o.check);
  const created = await session.POST('/api/v1/api-keys', {
    body: {
      name: 'CRM koppeling',
      scopes: [
        'contacts:read',
        'contacts:write',
        'surveys:read',
        'surveys:write',
        'invitations:send',
        'results:read',
        'responses:export',
      ],
    },
  });
  must(created.response.status === 201 && created.data, `API key: ${created.response.status}`);
  must(created.response.headers.get('location') === `/api/v1/api-keys/${created.data.id}`, "the key's Location");
  step('api key created');

  const api = create<paths>({ baseUrl: o.baseUrl, headers: { authorization: `Bearer ${created.data.key}` } });
  api.use(o.check);

  // Without a key: 401 with its challenge.
  const anonymous = create<paths>({ baseUrl: o.baseUrl });
  anonymous.use(o.check);
  const refused = await anonymous.GET('/api/v1/surveys');
  must(refused.response.status === 401 && refused.error, `no key: ${refused.response.status}`);
  must(/^Bearer realm="peil"/.test(refused.response.headers.get('www-authenticate') ?? ''), 'WWW-Authenticate on 401');
  step('401 without a key');

  // JSON only: a form post to the contacts API is refused (415), an invalid contact is 422 with a pointer.
  const form = await api.POST('/api/v1/contacts', {
    body: { email: 'form@example.nl' },
    bodySerializer: (b) => new URLSearchParams({ email: b.email }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  must(form.response.status === 415 && form.error, `form post: ${form.response.status}`);
  const invalid = await api.POST('/api/v1/contacts', { body: { email: 'geen-adres' } });
  must(
    invalid.response.status === 422 && invalid.error?.errors?.some((e) => e.pointer === '/body/email'),
    `invalid contact: ${invalid.response.status}`,
  );
  step('415 and 422 refused');

  // Contacts: one (201, then 200 for the same address) and a batch.
  const contact = await api.POST('/api/v1/contacts', {
    body: { email: 'sanne.jansen@example.nl', firstName: 'Sanne', lastName: 'Jansen', language: 'nl' },
  });
  must(contact.response.status === 201 && contact.data, `contact: ${contact.response.status}`);
  const location = contact.response.headers.get('location');
  must(location === `/api/v1/contacts/${contact.data.id}`, `the contact's Location: ${location}`);
  const again = await api.POST('/api/v1/contacts', {
    body: { email: 'Sanne.Jansen@example.nl', function: 'Teamleider' },
  });
  must(
    again.response.status === 200 && again.data?.id === contact.data.id,
    `the same contact again: ${again.response.status}`,
  );
  const read = await api.GET('/api/v1/contacts/{id}', { params: { path: { id: contact.data.id } } });
  must(
    read.response.status === 200 && read.data?.email === 'sanne.jansen@example.nl',
    `read the contact: ${read.response.status}`,
  );
  const batch = await api.POST('/api/v1/contacts/batch', {
    body: {
      contacts: [
        { email: 'piet.bakker@example.nl', firstName: 'Piet', language: 'nl' },
        { email: 'ahmed.ouali@example.nl', firstName: 'Ahmed', language: 'en' },
      ],
    },
  });
  must(batch.response.status === 200 && batch.data, `batch: ${batch.response.status}`);
  step('contacts upserted');

  // A survey, opened.
  const survey = await api.POST('/api/v1/surveys', {
    body: { name: 'Klanttevredenheid 2026', kind: 'nps', defaultLanguage: 'nl' },
  });
  must(survey.response.status === 201 && survey.data, `survey: ${survey.response.status}`);
  must(survey.response.headers.get('location') === `/api/v1/surveys/${survey.data.id}`, "the survey's Location");
  const surveyId = survey.data.id;
  const opened = await api.POST('/api/v1/surveys/{id}/open', { params: { path: { id: surveyId } } });
  must(opened.response.status === 200, `open: ${opened.response.status}`);
  const listed = await api.GET('/api/v1/surveys');
  must(listed.response.status === 200, `surveys: ${listed.response.status}`);
  step('survey created and opened');

  // Inviting with an Idempotency-Key: the retry is a replay and invites no one twice.
  const invite = () =>
    api.POST('/api/v1/surveys/{id}/invitations', {
      params: { path: { id: surveyId }, header: { 'Idempotency-Key': `crm-ticket-4711-${surveyId}` } },
      body: { contactId: contact.data.id },
    });
  const first = await invite();
  must(
    first.response.status === 200 && first.data?.result === 'invited',
    `invite: ${first.response.status} ${JSON.stringify(first.data ?? first.error)}`,
  );
  must(first.response.headers.get('idempotent-replayed') === null, 'the first invite is no replay');
  const second = await invite();
  must(
    second.response.status === 200 && second.response.headers.get('idempotent-replayed') === 'true',
    'the second invite is a replay',
  );
  must(second.data?.invitationId === first.data.invitationId, 'the replay gives the same invitation');
  step('invited, once');

  // The respondent answers (a form post, outside the API's client).
  await o.respond('sanne.jansen@example.nl');
  step('answered');

  // Results and responses.
  let results = await api.GET('/api/v1/surveys/{id}/results', { params: { path: { id: surveyId } } });
  for (let i = 0; i < 100 && results.data?.responses !== 1; i++) {
    await new Promise((r) => setTimeout(r, 100));
    results = await api.GET('/api/v1/surveys/{id}/results', { params: { path: { id: surveyId } } });
  }
  must(
    results.response.status === 200 && results.data?.responses === 1 && results.data.invited === 1,
    `results: ${JSON.stringify(results.data ?? results.error)}`,
  );
  const responses = await api.GET('/api/v1/surveys/{id}/responses', {
    params: { path: { id: surveyId }, query: { limit: 10 } },
  });
  must(
    responses.response.status === 200 && responses.data?.responses.length === 1,
    `responses: ${responses.response.status}`,
  );
  must(responses.data.responses[0]!.score === 9, "the answer's score");
  step('results and responses read');

  // Not found is problem+json too.
  const missing = await api.GET('/api/v1/surveys/{id}', {
    params: { path: { id: '00000000-0000-4000-8000-000000000000' } },
  });
  must(
    missing.response.status === 404 && missing.error?.code === 'not_found',
    `unknown survey: ${missing.response.status}`,
  );
  step('404 problem');

  // A key over its limit (API_KEY_RATE_PER_MINUTE) gets 429 with Retry-After and RateLimit-*.
  const reader = await session.POST('/api/v1/api-keys', { body: { name: 'Dashboard', scopes: ['surveys:read'] } });
  must(reader.response.status === 201 && reader.data, `second key: ${reader.response.status}`);
  const dashboard = create<paths>({ baseUrl: o.baseUrl, headers: { authorization: `Bearer ${reader.data.key}` } });
  dashboard.use(o.check);
  let limited = await dashboard.GET('/api/v1/surveys');
  for (let i = 0; i < 1000 && limited.response.status !== 429; i++) limited = await dashboard.GET('/api/v1/surveys');
  must(
    limited.response.status === 429 && limited.error?.code === 'rate_limited',
    `over the limit: ${limited.response.status}`,
  );
  must(
    Number(limited.response.headers.get('retry-after')) > 0 &&
      limited.response.headers.get('ratelimit-remaining') === '0',
    '429 headers',
  );
  step('429 with its headers');
  return { steps };
}

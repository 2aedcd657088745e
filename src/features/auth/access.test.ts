import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cookieOf, operatorCookie, setUp, startTestApp, type TestApp } from '../../../test/harness.js';

/**
 * OBLIGATIONS ACC-2: least privilege on every route. This table is the specification, written out
 * by hand on purpose: a new route fails this test until its row is added here, and a change in who
 * may call a route must change this table too.
 */
type Rule = 'public' | 'respondent' | 'session' | 'enrolment' | 'user' | 'operator' | `perm:${string}`;
const ROUTES: Record<string, Rule> = {
  'GET /api/v1/setup': 'public',
  'POST /api/v1/setup': 'public',
  'POST /api/v1/auth/sign-in': 'public',
  'POST /api/v1/operator/sign-in': 'public',
  'POST /api/v1/auth/accept-invite': 'public',
  'GET /api/v1/auth/me': 'session',
  'PATCH /api/v1/auth/me': 'session',
  'POST /api/v1/auth/sign-out': 'public',
  'POST /api/v1/auth/password': 'enrolment',
  'POST /api/v1/auth/second-factor/setup': 'enrolment',
  'POST /api/v1/auth/second-factor/enable': 'enrolment',
  'POST /api/v1/auth/second-factor/disable': 'user',
  'POST /api/v1/auth/second-factor/recovery-codes': 'user',
  'POST /api/v1/users/{id}/second-factor/reset': 'perm:users:manage',
  'GET /api/v1/operator/tenants': 'operator',
  'POST /api/v1/operator/tenants': 'operator',
  'GET /api/v1/operator/tenants/{id}/support-grants': 'operator',
  'POST /api/v1/operator/tenants/{id}/support-session': 'operator',
  'POST /api/v1/operator/tenants/{id}/suspend': 'operator',
  'POST /api/v1/operator/tenants/{id}/resume': 'operator',
  'POST /api/v1/operator/tenants/{id}/end': 'operator',
  'GET /api/v1/operator/tenants/{id}/ending': 'operator',
  'POST /api/v1/operator/tenants/{id}/deletion': 'operator',
  'GET /api/v1/operator/tenants/{id}/deletion-statement': 'operator',
  'GET /api/v1/ending': 'perm:ending:manage',
  'POST /api/v1/ending/choice': 'perm:ending:manage',
  'GET /api/v1/export': 'perm:data:export-all',
  'GET /api/v1/users': 'perm:users:read',
  'POST /api/v1/users': 'perm:users:manage',
  'PATCH /api/v1/users/{id}': 'perm:users:manage',
  'POST /api/v1/users/{id}/deactivate': 'perm:users:manage',
  'POST /api/v1/users/{id}/reactivate': 'perm:users:manage',
  'POST /api/v1/users/{id}/unlock': 'perm:users:manage',
  'GET /api/v1/operator/agreements': 'operator',
  'GET /api/v1/operator/tenants/{id}/agreement': 'operator',
  'PUT /api/v1/operator/tenants/{id}/agreement': 'operator',
  'GET /api/v1/agreement': 'perm:agreement:read',
  'PATCH /api/v1/agreement/contacts': 'perm:agreement:manage',
  'POST /api/v1/agreement/notice': 'perm:agreement:manage',
  'GET /api/v1/agreement/document': 'perm:agreement:read',
  'GET /api/v1/operator/tenants/{id}/agreement/document': 'operator',
  'GET /api/v1/agreement/versions': 'perm:agreement:read',
  'POST /api/v1/agreement/accept': 'perm:agreement:manage',
  'GET /api/v1/agreement/acceptances/{id}/text': 'perm:agreement:read',
  'POST /api/v1/agreement/versions/{id}/objection': 'perm:agreement:manage',
  'POST /api/v1/operator/agreement/versions': 'operator',
  'GET /api/v1/operator/agreement/versions': 'operator',
  'GET /api/v1/operator/tenants/{id}/agreement/versions': 'operator',
  'POST /api/v1/operator/tenants/{id}/agreement/versions/{proposal}/resolve': 'operator',
  'GET /api/v1/register': 'perm:register:read',
  'GET /api/v1/register/vocabulary': 'perm:register:read',
  'PUT /api/v1/register': 'perm:register:manage',
  'PATCH /api/v1/register': 'perm:register:manage',
  'PUT /api/v1/register/retention': 'perm:register:manage',
  'GET /api/v1/operator/tenants/{id}/register': 'operator',
  'GET /api/v1/tenant/settings': 'perm:users:read',
  'PATCH /api/v1/tenant/settings': 'perm:tenant:manage',
  'GET /api/v1/support-access': 'perm:tenant:manage',
  'POST /api/v1/support-access': 'perm:tenant:manage',
  'DELETE /api/v1/support-access/{id}': 'perm:tenant:manage',
  'POST /api/v1/contact-imports': 'perm:contacts:write',
  'GET /api/v1/contact-imports/{id}': 'perm:contacts:write',
  'POST /api/v1/contact-imports/{id}/commit': 'perm:contacts:write',
  'GET /api/v1/contacts': 'perm:contacts:read',
  'GET /api/v1/contacts/summary': 'perm:surveys:read',
  'GET /api/v1/contacts/{id}': 'perm:contacts:read',
  'PATCH /api/v1/contacts/{id}': 'perm:contacts:write',
  'DELETE /api/v1/contacts/{id}': 'perm:contacts:write',
  'POST /api/v1/contacts': 'perm:contacts:write',
  'POST /api/v1/contacts/batch': 'perm:contacts:write',
  'GET /api/v1/profile-fields': 'perm:surveys:read',
  'POST /api/v1/profile-fields': 'perm:contacts:write',
  'PATCH /api/v1/profile-fields/{key}': 'perm:contacts:write',
  'DELETE /api/v1/profile-fields/{key}': 'perm:contacts:write',
  'GET /api/v1/audit': 'perm:audit:read',
  'POST /api/v1/audit/{id}/restore': 'perm:audit:restore',
  'POST /api/v1/audit/verification': 'perm:audit:read',
  'GET /api/v1/audit/head': 'perm:audit:read',
  'GET /api/v1/audit/anchors': 'perm:audit:read',
  'GET /api/v1/security-measures': 'perm:security-measures:read',
  'GET /api/v1/subprocessors': 'perm:subprocessors:read',
  'POST /api/v1/subprocessors/{id}/consent': 'perm:tenant:manage',
  'DELETE /api/v1/subprocessors/{id}/consent': 'perm:tenant:manage',
  'GET /api/v1/operator/subprocessors': 'operator',
  'POST /api/v1/operator/subprocessors': 'operator',
  'PATCH /api/v1/operator/subprocessors/{id}': 'operator',
  'DELETE /api/v1/operator/subprocessors/{id}': 'operator',
  'PUT /api/v1/operator/subprocessors/{id}/customers/{tenantId}': 'operator',
  'DELETE /api/v1/operator/subprocessors/{id}/customers/{tenantId}': 'operator',
  'POST /api/v1/subprocessors/{id}/objection': 'perm:tenant:manage',
  'GET /api/v1/operator/subprocessors/changes': 'operator',
  'POST /api/v1/operator/subprocessors/changes/{tenantId}/{changeId}/resolve': 'operator',
  'GET /api/v1/audits': 'perm:audits:read',
  'POST /api/v1/audits': 'perm:audits:request',
  'GET /api/v1/audits/pack': 'perm:audits:read',
  'GET /api/v1/operator/audits': 'operator',
  'GET /api/v1/operator/breaches': 'operator',
  'POST /api/v1/operator/breaches': 'operator',
  'GET /api/v1/operator/breaches/board': 'operator',
  'GET /api/v1/operator/breaches/{id}': 'operator',
  'PATCH /api/v1/operator/breaches/{id}': 'operator',
  'POST /api/v1/operator/breaches/{id}/scope': 'operator',
  'POST /api/v1/operator/breaches/{id}/notify': 'operator',
  'POST /api/v1/operator/breaches/{id}/close': 'operator',
  'GET /api/v1/breaches': 'perm:breaches:read',
  'GET /api/v1/breaches/{id}/ap-draft': 'perm:breaches:read',
  'POST /api/v1/operator/audits/{tenantId}/{id}/status': 'operator',
  'GET /api/v1/surveys': 'perm:surveys:read',
  'POST /api/v1/surveys': 'perm:surveys:write',
  'GET /api/v1/surveys/defaults': 'perm:surveys:read',
  'GET /api/v1/surveys/{id}': 'perm:surveys:read',
  'GET /api/v1/surveys/templates': 'perm:surveys:read',
  'PUT /api/v1/surveys/{id}': 'perm:surveys:write',
  'POST /api/v1/surveys/{id}/open': 'perm:surveys:write',
  'POST /api/v1/surveys/{id}/close': 'perm:surveys:write',
  'PUT /api/v1/surveys/{id}/open-link': 'perm:surveys:write',
  'POST /api/v1/surveys/{id}/archive': 'perm:surveys:write',
  'POST /api/v1/surveys/{id}/unarchive': 'perm:surveys:write',
  'POST /api/v1/surveys/{id}/duplicate': 'perm:surveys:write',
  'DELETE /api/v1/surveys/{id}': 'perm:surveys:write',
  'GET /s/preview/{id}': 'perm:surveys:read',
  'GET /s/o/{token}': 'respondent',
  'POST /s/o/{token}': 'respondent',
  'GET /s/o/{token}/thanks': 'respondent',
  'GET /api/v1/surveys/{id}/distributions': 'perm:surveys:read',
  'POST /api/v1/surveys/{id}/distributions': 'perm:invitations:send',
  'GET /api/v1/surveys/{id}/invitations': 'perm:invitations:send',
  'POST /api/v1/surveys/{id}/invitations': 'perm:invitations:send',
  'POST /api/v1/surveys/{id}/distributions/preview': 'perm:invitations:send',
  'POST /api/v1/distributions/{id}/cancel': 'perm:invitations:send',
  'GET /api/v1/distribution-settings': 'perm:invitations:send',
  'PUT /api/v1/distribution-settings': 'perm:tenant:manage',
  'GET /api/v1/suppressions': 'perm:invitations:send',
  'POST /api/v1/suppressions': 'perm:invitations:send',
  'POST /api/v1/suppressions/{id}/lift': 'perm:contacts:write',
  'GET /api/v1/email-templates': 'perm:invitations:send',
  'POST /api/v1/email-templates': 'perm:invitations:send',
  'PUT /api/v1/email-templates/{id}': 'perm:invitations:send',
  'DELETE /api/v1/email-templates/{id}': 'perm:invitations:send',
  'POST /api/v1/email-templates/preview': 'perm:invitations:send',
  'POST /api/v1/email-templates/test-send': 'perm:invitations:send',
  'GET /api/v1/surveys/{id}/results': 'perm:results:read',
  'GET /api/v1/surveys/{id}/responses.csv': 'perm:responses:export',
  'GET /api/v1/surveys/{id}/breakdown': 'perm:results:read',
  'GET /api/v1/surveys/{id}/groupings': 'perm:results:read',
  'GET /api/v1/surveys/{id}/responses.xlsx': 'perm:responses:export',
  'GET /api/v1/surveys/{id}/responses.jsonl': 'perm:responses:export',
  'GET /api/v1/surveys/{id}/responses.sav': 'perm:responses:export',
  'GET /api/v1/outbox': 'perm:outbox:read',
  'GET /api/v1/outbox/{id}/html': 'perm:outbox:read',
  'GET /api/v1/labelling': 'perm:results:read',
  'POST /api/v1/labelling/activate': 'perm:labelling:activate',
  'POST /api/v1/labelling/deactivate': 'perm:labelling:activate',
  'GET /api/v1/labels': 'perm:results:read',
  'POST /api/v1/labels': 'perm:labels:manage',
  'PATCH /api/v1/labels/{id}': 'perm:labels:manage',
  'PUT /api/v1/responses/{id}/labels': 'perm:labels:correct',
  'GET /api/v1/surveys/{id}/label-set': 'perm:results:read',
  'PUT /api/v1/surveys/{id}/label-set': 'perm:labels:manage',
  'GET /api/v1/operator/labelling': 'operator',
  'PUT /api/v1/operator/labelling': 'operator',
  'PUT /api/v1/operator/tenants/{tenantId}/labelling': 'operator',
  'GET /api/v1/api-keys': 'perm:integrations:manage',
  'POST /api/v1/api-keys': 'perm:integrations:manage',
  'DELETE /api/v1/api-keys/{id}': 'perm:integrations:manage',
  'GET /api/v1/webhooks': 'perm:integrations:manage',
  'POST /api/v1/webhooks': 'perm:integrations:manage',
  'PATCH /api/v1/webhooks/{id}': 'perm:integrations:manage',
  'DELETE /api/v1/webhooks/{id}': 'perm:integrations:manage',
  'POST /api/v1/webhooks/{id}/rotate-secret': 'perm:integrations:manage',
  'POST /api/v1/webhooks/{id}/ping': 'perm:integrations:manage',
  'GET /api/v1/webhooks/{id}/deliveries': 'perm:integrations:manage',
  'POST /api/v1/webhook-deliveries/{id}/redeliver': 'perm:integrations:manage',
  'GET /api/v1/surveys/{id}/responses': 'perm:responses:export',
  'GET /s/{token}': 'respondent',
  'POST /s/{token}': 'respondent',
  'GET /s/{token}/thanks': 'respondent',
  'GET /u/{token}': 'respondent',
  'POST /u/{token}': 'respondent',
  'GET /r/{token}': 'respondent',
  'POST /r/{token}': 'respondent',
  'GET /r/o/{token}': 'respondent',
  'POST /r/o/{token}': 'respondent',
  'GET /r/c/{token}': 'respondent',
  'POST /r/c/{token}': 'respondent',
  'GET /api/v1/requests': 'perm:requests:read',
  'POST /api/v1/requests/{id}/extension': 'perm:requests:manage',
  'POST /api/v1/requests/{id}/decision': 'perm:requests:manage',
  'GET /api/v1/contacts/{id}/export': 'perm:requests:manage',
  'GET /api/v1/contacts/{id}/erasure': 'perm:requests:manage',
  'POST /api/v1/contacts/{id}/erasure': 'perm:requests:manage',
  'GET /api/v1/surveys/{id}/alert-rule': 'perm:alerts:manage',
  'PUT /api/v1/surveys/{id}/alert-rule': 'perm:alerts:manage',
  'GET /api/v1/follow-ups': 'perm:followups:read',
  'GET /api/v1/follow-ups/{id}': 'perm:followups:read',
  'PATCH /api/v1/follow-ups/{id}': 'perm:followups:update',
  'GET /api/v1/surveys/{id}/follow-ups/summary': 'perm:results:read',
  'POST /api/v1/surveys/{id}/publications/preview': 'perm:publications:manage',
  'GET /api/v1/surveys/{id}/publications': 'perm:publications:manage',
  'POST /api/v1/surveys/{id}/publications': 'perm:publications:manage',
  'POST /api/v1/publications/{id}/refresh': 'perm:publications:manage',
  'POST /api/v1/publications/{id}/withdraw': 'perm:publications:manage',
  'GET /p/{token}': 'public',
  'GET /p/{token}/widget': 'public',
  'GET /p/{token}/badge.svg': 'public',
  'GET /api/v1/usage': 'perm:usage:read',
  'GET /api/v1/operator/plans': 'operator',
  'POST /api/v1/operator/plans': 'operator',
  'PUT /api/v1/operator/plans/{id}': 'operator',
  'DELETE /api/v1/operator/plans/{id}': 'operator',
  'PUT /api/v1/operator/tenants/{id}/plan': 'operator',
  'POST /api/v1/operator/tenants/{id}/plan/extensions': 'operator',
  'GET /api/v1/operator/tenants/{id}/usage': 'operator',
  'GET /api/v1/benchmark': 'perm:results:read',
  'GET /api/v1/operator/benchmark': 'operator',
  'POST /api/v1/operator/benchmark/sectors': 'operator',
  'PATCH /api/v1/operator/benchmark/sectors/{code}': 'operator',
  'PUT /api/v1/operator/benchmark/settings': 'operator',
  'PUT /api/v1/operator/tenants/{id}/sector': 'operator',
  'POST /api/v1/operator/benchmark/recompute': 'operator',
  // Issue 15: for the operator's monitoring, not for accounts. /metrics answers METRICS_TOKEN (or, without
  // one, this machine only): the matrix calls from 127.0.0.1 without a token; src/ops.test.ts tries the rest.
  'GET /livez': 'public',
  'GET /readyz': 'public',
  'GET /metrics': 'public',
};

/** What each kind of caller holds, also written out by hand (the roles of ACC-2, the scopes of ACC-3). */
const ALL = [
  'users:read',
  'users:manage',
  'contacts:read',
  'contacts:write',
  'audit:read',
  'audit:restore',
  'security-measures:read',
  'surveys:read',
  'surveys:write',
  'invitations:send',
  'results:read',
  'responses:export',
  'responses:export-contacts',
  'outbox:read',
  'tenant:manage',
  'labelling:activate',
  'labels:manage',
  'labels:correct',
  'integrations:manage',
  'subprocessors:read',
  'agreement:read',
  'agreement:manage',
  'register:read',
  'register:manage',
  'audits:read',
  'audits:request',
  'breaches:read',
  'requests:read',
  'requests:manage',
  'data:export-all',
  'ending:manage',
  'followups:read',
  'followups:update',
  'alerts:manage',
  'publications:manage',
  'usage:read',
];
/** OBLIGATIONS SVC-5: every scope an API key may hold (never users, keys, the log or the customer's settings). */
const KEY_SCOPES = [
  'contacts:read',
  'contacts:write',
  'surveys:read',
  'surveys:write',
  'invitations:send',
  'results:read',
  'responses:export',
];
const CALLERS: Record<string, { kind: 'anonymous' | 'user' | 'operator' | 'support' | 'apikey'; perms: string[] }> = {
  anonymous: { kind: 'anonymous', perms: [] },
  owner: { kind: 'user', perms: ALL },
  admin: {
    kind: 'user',
    perms: ALL.filter(
      (p) =>
        p !== 'tenant:manage' &&
        p !== 'labelling:activate' &&
        p !== 'agreement:manage' &&
        p !== 'register:manage' &&
        p !== 'audits:request' &&
        p !== 'requests:manage' &&
        p !== 'data:export-all' &&
        p !== 'ending:manage' &&
        p !== 'publications:manage',
    ),
  },
  analyst: {
    kind: 'user',
    perms: [
      'surveys:read',
      'surveys:write',
      'results:read',
      'responses:export',
      'users:read',
      'labels:correct',
      'followups:read',
      'followups:update',
    ],
  },
  viewer: { kind: 'user', perms: ['surveys:read', 'results:read', 'followups:read'] },
  operator: { kind: 'operator', perms: [] },
  'support (results)': { kind: 'support', perms: ['surveys:read', 'results:read'] },
  'support (contacts)': { kind: 'support', perms: ['surveys:read', 'results:read', 'contacts:read'] },
  'API key (all scopes)': { kind: 'apikey', perms: KEY_SCOPES },
};

function allowed(rule: Rule, caller: (typeof CALLERS)[string]): boolean {
  if (rule === 'public' || rule === 'respondent') return true;
  // A session means a cookie: an API key is not one (SVC-5).
  if (rule === 'session') return caller.kind !== 'anonymous' && caller.kind !== 'apikey';
  if (rule === 'operator') return caller.kind === 'operator';
  if (rule === 'user' || rule === 'enrolment') return caller.kind === 'user';
  return (
    (caller.kind === 'user' || caller.kind === 'support' || caller.kind === 'apikey') &&
    caller.perms.includes(rule.slice(5))
  );
}

describe('ACC-2 the role × route matrix', () => {
  let t: TestApp;
  const cookies: Record<string, string> = {};
  const bearers: Record<string, string> = {};

  before(async () => {
    t = await startTestApp({ SIGN_IN_RATE_PER_MINUTE: '1000' });
    const { ownerCookie, tenantId } = await setUp(t);
    cookies.owner = ownerCookie;
    cookies.anonymous = '';
    for (const role of ['admin', 'analyst', 'viewer']) {
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { cookie: ownerCookie },
        payload: { email: `${role}@zorg.test`, name: role, role },
      });
    }
    const out = (await t.app.inject({ method: 'GET', url: '/api/v1/outbox', headers: { cookie: ownerCookie } })).json();
    for (const role of ['admin', 'analyst', 'viewer']) {
      const token = /#token=([A-Za-z0-9_-]+)/.exec(
        out.messages.find((m: { to: string }) => m.to === `${role}@zorg.test`).text,
      )![1]!;
      cookies[role] = cookieOf(
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/accept-invite',
          payload: { token, password: `Lantaarnpaal-Fietspad-2026` },
        }),
      );
    }
    cookies.operator = await operatorCookie(t);
    for (const scope of ['results', 'contacts']) {
      const g = await t.app.inject({
        method: 'POST',
        url: '/api/v1/support-access',
        headers: { cookie: ownerCookie },
        payload: { scope, reason: 'matrix', hours: 1 },
      });
      const op = await operatorCookie(t);
      cookies[`support (${scope})`] = cookieOf(
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/operator/tenants/${tenantId}/support-session`,
          headers: { cookie: op },
          payload: { grantId: g.json().id },
        }),
      );
    }
    const key = await t.app.inject({
      method: 'POST',
      url: '/api/v1/api-keys',
      headers: { cookie: ownerCookie },
      payload: { name: 'matrix', scopes: KEY_SCOPES },
    });
    bearers['API key (all scopes)'] = `Bearer ${key.json().key}`;
  });
  after(() => t.close());

  test('ACC-2 every route of the API is in the matrix, and nothing else is', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    const described = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path}`),
    );
    assert.deepEqual(
      described.filter((r) => !(r in ROUTES)),
      [],
      'routes without a row in the matrix',
    );
    assert.deepEqual(
      Object.keys(ROUTES).filter((r) => !described.includes(r)),
      [],
      'rows for routes that do not exist',
    );
  });

  test('ACC-2 each caller is refused exactly where the matrix says so', async () => {
    const wrong: string[] = [];
    const entries = Object.entries(ROUTES).sort(
      ([a], [b]) => Number(a.includes('sign-out')) - Number(b.includes('sign-out')),
    );
    for (const [route, rule] of entries) {
      const [method, path] = route.split(' ') as [string, string];
      const url = path
        .replace(/\{(id|tenantId)\}/, '00000000-0000-4000-8000-0000000000aa')
        .replace('{token}', 'not-a-token');
      for (const [name, caller] of Object.entries(CALLERS)) {
        const res = await t.app.inject({
          method: method as 'GET',
          url,
          headers: bearers[name] ? { authorization: bearers[name]! } : cookies[name] ? { cookie: cookies[name]! } : {},
          ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
        });
        const refused = res.statusCode === 401 || res.statusCode === 403;
        if (refused === allowed(rule, caller)) wrong.push(`${name} ${route}: ${res.statusCode} (${rule})`);
      }
    }
    assert.deepEqual(wrong, []);
  });
});

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { sql } from 'kysely';
import {
  addColleague,
  dbKind,
  eventually,
  operatorCookie,
  outbox,
  setUp,
  signIn,
  startTestApp,
  type TestApp,
} from '../../../test/harness.js';
import { customerRequestPath } from '../requests/links.js';
import { dateIn } from '../agreement/dates.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const plusDays = (d: string, n: number) =>
  new Date(Date.parse(`${d}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

describe(`AUD-1 audits (${dbKind})`, () => {
  let t: TestApp;
  let op: string;
  const alfa = { id: '', owner: '', admin: '', analyst: '', viewer: '' };
  const bravo = { id: '', owner: '' };

  const api = async (method: 'GET' | 'POST' | 'PUT', url: string, cookie: string, payload?: unknown) => {
    const r = await t.app.inject({
      method,
      url,
      headers: { cookie },
      ...(payload === undefined ? {} : { payload: payload as Json }),
    });
    return {
      status: r.statusCode,
      headers: r.headers,
      raw: r.rawPayload,
      body: r.headers['content-type']?.toString().includes('json') ? (r.json() as Json) : null,
    };
  };
  const colleague = (role: 'admin' | 'analyst' | 'viewer') => addColleague(t, alfa.owner, `${role}@alfa.test`, role);
  const chain = async (tenantId: string, action: string) =>
    (
      await sql<{
        details: Json;
      }>`SELECT details FROM audit_events WHERE tenant_id = ${tenantId}::uuid AND action = ${action} ORDER BY seq`.execute(
        t.ctx.db.handle.kysely,
      )
    ).rows;

  before(async () => {
    t = await startTestApp();
    ({ tenantId: alfa.id, ownerCookie: alfa.owner } = await setUp(t, { name: 'Alfa Zorg', slug: 'alfa' }));
    op = await operatorCookie(t);
    const b = await api('POST', '/api/v1/operator/tenants', op, {
      name: 'Bravo Wonen',
      slug: 'bravo',
      owner: { email: 'owner@bravo.test', name: 'Bea', password: 'Grachtenpand-Blauw-3' },
    });
    assert.equal(b.status, 201);
    bravo.id = b.body!.tenantId;
    bravo.owner = await signIn(t, 'owner@bravo.test', 'Grachtenpand-Blauw-3');
    // Alfa: the Let's Develop seed (004 art. 6.3): one audit a calendar year, two weeks' notice.
    assert.equal(
      (await api('PUT', `/api/v1/operator/tenants/${alfa.id}/agreement`, op, { preset: 'lets-develop' })).status,
      200,
    );
    alfa.admin = await colleague('admin');
    alfa.analyst = await colleague('analyst');
    alfa.viewer = await colleague('viewer');
  });
  after(() => t.close());

  test('AUD-1 one audit per calendar year: a second request in the same year is refused with the earliest allowed date, next year is accepted', async () => {
    const year = Number(dateIn(new Date()).slice(0, 4)) + 1;
    const first = await api('POST', '/api/v1/audits', alfa.owner, {
      proposedDate: `${year}-03-10`,
      auditorName: 'J. Jansen RE',
      scope: 'Art. 28 en 32 AVG',
    });
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.deepEqual(
      [first.body!.status, first.body!.proposedDate, first.body!.auditorName],
      ['accepted', `${year}-03-10`, 'J. Jansen RE'],
    );

    const second = await api('POST', '/api/v1/audits', alfa.owner, {
      proposedDate: `${year}-11-01`,
      auditorName: 'Tweede Auditor',
      scope: '',
    });
    assert.equal(second.status, 422, JSON.stringify(second.body));
    assert.match(second.headers['content-type'] as string, /application\/problem\+json/);
    assert.deepEqual(second.body!.rules, ['frequency']);
    assert.equal(second.body!.earliestAllowedDate, `${year + 1}-01-01`);
    assert.match(second.body!.errors[0].reason, /at most 1 audit\(s\) per calendar year/);

    const next = await api('POST', '/api/v1/audits', alfa.owner, {
      proposedDate: `${year + 1}-01-05`,
      auditorName: 'J. Jansen RE',
      scope: '',
    });
    assert.equal(next.status, 201, JSON.stringify(next.body));

    // Cancelled by the operator, a request no longer counts: the year has room again.
    const list = (await api('GET', '/api/v1/operator/audits', op)).body!.requests as Json[];
    const planned = list.find((r) => r.id === first.body!.id)!;
    assert.equal(planned.tenantName, 'Alfa Zorg');
    assert.equal(
      (await api('POST', `/api/v1/operator/audits/${alfa.id}/${planned.id}/status`, op, { status: 'cancelled' }))
        .status,
      204,
    );
    assert.equal(
      (await api('POST', `/api/v1/operator/audits/${alfa.id}/${planned.id}/status`, op, { status: 'done' })).status,
      409,
    );
    assert.equal(
      (
        await api('POST', '/api/v1/audits', alfa.owner, {
          proposedDate: `${year}-11-01`,
          auditorName: 'Tweede Auditor',
          scope: '',
        })
      ).status,
      201,
    );
    assert.deepEqual(
      (await chain(alfa.id, 'audit_request.status_changed')).map((r) => r.details.to),
      ['cancelled'],
    );
    // The auditor's name is sealed, and not in the log.
    assert.ok(!JSON.stringify(await chain(alfa.id, 'audit_request.created')).includes('Jansen'));
    const row = await t.ctx.db.tenant(alfa.id, (tx) =>
      tx.selectFrom('audit_requests').select('auditor_name_enc').limit(1).executeTakeFirstOrThrow(),
    );
    assert.ok(!row.auditor_name_enc.toString('latin1').includes('Jansen'));
  });

  test('AUD-1 too short notice is refused with the earliest allowed date; admins read, viewers and analysts are refused, another customer sees nothing', async () => {
    const today = dateIn(new Date());
    const short = await api('POST', '/api/v1/audits', alfa.owner, {
      proposedDate: plusDays(today, 13),
      auditorName: 'Haastige Auditor',
      scope: '',
    });
    assert.equal(short.status, 422, JSON.stringify(short.body));
    assert.ok(short.body!.rules.includes('notice'));
    assert.match(short.body!.detail, /de vroegst toegestane datum is \d{4}-\d{2}-\d{2}/);
    assert.ok(short.body!.earliestAllowedDate >= plusDays(today, 14));
    assert.equal(
      (await api('POST', '/api/v1/audits', alfa.owner, { proposedDate: '2027-02-30', auditorName: 'X', scope: '' }))
        .status,
      422,
      'not a date',
    );

    const read = await api('GET', '/api/v1/audits', alfa.admin);
    assert.equal(read.status, 200);
    assert.deepEqual([read.body!.rules.auditsPerYear, read.body!.rules.auditNoticeDays], [1, 14]);
    assert.ok(read.body!.requests.length >= 1);
    assert.equal(
      (
        await api('POST', '/api/v1/audits', alfa.admin, {
          proposedDate: plusDays(today, 400),
          auditorName: 'X',
          scope: '',
        })
      ).status,
      403,
      'an admin reads, the owner requests',
    );
    for (const cookie of [alfa.analyst, alfa.viewer]) {
      assert.equal((await api('GET', '/api/v1/audits', cookie)).status, 403);
      assert.equal((await api('GET', '/api/v1/audits/pack', cookie)).status, 403);
      assert.equal(
        (
          await api('POST', '/api/v1/audits', cookie, {
            proposedDate: plusDays(today, 400),
            auditorName: 'X',
            scope: '',
          })
        ).status,
        403,
      );
    }
    // Bravo sees none of Alfa's requests, and cannot change them through the operator route.
    assert.deepEqual((await api('GET', '/api/v1/audits', bravo.owner)).body!.requests, []);
    const alfas = (await api('GET', '/api/v1/audits', alfa.owner)).body!.requests as Json[];
    assert.equal(
      (
        await api('POST', `/api/v1/operator/audits/${alfa.id}/${alfas[0]!.id}/status`, bravo.owner, {
          status: 'cancelled',
        })
      ).status,
      401,
    );
    assert.equal(
      (await api('POST', `/api/v1/operator/audits/${bravo.id}/${alfas[0]!.id}/status`, op, { status: 'cancelled' }))
        .status,
      404,
      "Alfa's request is not Bravo's",
    );
  });

  test("AUD-1 the audit pack: every file's SHA-256 matches the signed manifest, the signature verifies with the public key and fails on one changed byte; DSR-1 the requests section holds kinds, ids and dates, no address and no text", async () => {
    const me = (await api('GET', '/api/v1/auth/me', alfa.owner)).body!;
    const alfaOwnerId = (me.user?.id ?? me.id) as string;
    assert.equal(
      (await api('POST', '/api/v1/support-access', alfa.owner, { scope: 'results', reason: 'audit test', hours: 1 }))
        .status,
      201,
    );
    // AGR-3: the owner accepts the document; the pack carries the acceptance and the text accepted.
    const shown = await api('GET', '/api/v1/agreement/document?lang=nl&format=md', alfa.owner);
    const accepted = await api('POST', '/api/v1/agreement/accept', alfa.owner, {
      version: shown.headers['x-peil-agreement-version'],
      lang: 'nl',
      sha256: shown.headers['x-peil-document-sha256'],
    });
    assert.equal(accepted.status, 201, accepted.raw.toString());
    // DSR-1: two respondents ask Alfa something from the open request page and confirm; one request is
    // extended and decided, the other still open.
    const requestPath = customerRequestPath(await t.ctx.keyring.forTenant(alfa.id), alfa.id);
    const asked: string[] = [];
    for (const [email, kind] of [
      ['rianne.respondent@voorbeeld.example', 'access'],
      ['sem.respondent@voorbeeld.example', 'objection'],
    ] as const) {
      const filed = await t.app.inject({
        method: 'POST',
        url: requestPath,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ email, kind, lang: 'nl', message: `GEHEIMBERICHT van ${email}` }).toString(),
      });
      assert.equal(filed.statusCode, 200, filed.body);
      const mail = await eventually(async () => (await outbox(t, alfa.owner)).find((m) => m.to === email));
      assert.equal(
        (
          await t.app.inject({
            method: 'POST',
            url: new URL(/http:\/\/peil\.test\/r\/c\/\S+/.exec(mail.text)![0]).pathname,
          })
        ).statusCode,
        200,
      );
      asked.push(email);
    }
    const listed = (await api('GET', '/api/v1/requests', alfa.owner)).body!.requests as Json[];
    const access = listed.find((r) => r.kind === 'access')!;
    assert.equal(
      (
        await api('POST', `/api/v1/requests/${access.id}/extension`, alfa.owner, {
          reason: 'GEHEIMEREDEN veel systemen',
        })
      ).status,
      204,
    );
    assert.equal(
      (
        await api('POST', `/api/v1/requests/${access.id}/decision`, alfa.owner, {
          decision: 'done',
          reason: 'GEHEIMEREDEN verstuurd',
        })
      ).status,
      204,
    );

    const res = await api('GET', '/api/v1/audits/pack', alfa.admin);
    assert.equal(res.status, 200, res.raw.toString());
    assert.equal(res.headers['content-type'], 'application/zip');
    assert.match(
      res.headers['content-disposition'] as string,
      /attachment; filename="peil-auditpakket-alfa-\d{4}-\d{2}-\d{2}\.zip"/,
    );
    const files = unzipSync(new Uint8Array(res.raw));
    const manifestBytes = files['manifest.json']!;
    const manifest = JSON.parse(strFromU8(manifestBytes)) as Json;
    assert.deepEqual(
      Object.keys(files).sort(),
      [...manifest.files.map((f: Json) => f.name), 'manifest.json', 'manifest.sig'].sort(),
    );
    for (const name of [
      'agreement.json',
      'agreement-nl.md',
      'agreement-en.md',
      'agreement-acceptances.json',
      'register.json',
      'subprocessors.json',
      'security-measures.json',
      'requests.json',
      'access-log.json',
      'audit-log-verification.json',
      'README.txt',
      'public-key.pem',
    ]) {
      assert.ok(files[name], `${name} in the pack`);
    }
    for (const f of manifest.files as Json[]) {
      assert.equal(createHash('sha256').update(files[f.name]!).digest('hex'), f.sha256, f.name);
      assert.equal(files[f.name]!.length, f.bytes);
    }
    // The signature, with the public key from the pack, which is the operator's checkpoint key.
    const pem = strFromU8(files['public-key.pem']!);
    const measures = (await api('GET', '/api/v1/security-measures', alfa.owner)).body!;
    assert.equal(manifest.signature.keyId, measures.auditLog.signingKeyId, 'the same key as the log checkpoints');
    const key = createPublicKey(pem);
    const sig = Buffer.from(files['manifest.sig']!);
    assert.equal(verify(null, Buffer.from(manifestBytes), key, sig), true);
    const tampered = Buffer.from(manifestBytes);
    tampered[tampered.indexOf('"sha256"') + 12]! ^= 1;
    assert.equal(verify(null, tampered, key, sig), false, 'one changed byte in the manifest: the signature fails');
    const agreement = Buffer.from(files['agreement.json']!);
    agreement[10]! ^= 1;
    assert.notEqual(
      createHash('sha256').update(agreement).digest('hex'),
      manifest.files.find((f: Json) => f.name === 'agreement.json').sha256,
      'one changed byte in a file: its hash no longer matches',
    );

    // Contents: the agreement record, the chain verification, an access-log extract with ids and categories only.
    const agr = JSON.parse(strFromU8(files['agreement.json']!)) as Json;
    assert.deepEqual([agr.tenantId, agr.terms.auditsPerYear], [alfa.id, 1]);
    const acceptances = JSON.parse(strFromU8(files['agreement-acceptances.json']!)) as Json;
    assert.equal(acceptances.acceptances.length, 1);
    assert.equal(acceptances.acceptedTexts[0].sha256, shown.headers['x-peil-document-sha256']);
    assert.equal(
      createHash('sha256').update(acceptances.acceptedTexts[0].text).digest('hex'),
      acceptances.acceptances[0].sha256,
      'the text accepted hashes to the acceptance',
    );
    assert.ok(strFromU8(files['agreement-nl.md']!).includes('Bijlage 1 – Register van verwerkingen'));
    assert.ok(Array.isArray((JSON.parse(strFromU8(files['register.json']!)) as Json).categories));
    const verification = JSON.parse(strFromU8(files['audit-log-verification.json']!)) as Json;
    assert.equal(verification.ok, true);
    assert.ok(verification.entries > 0);
    const log = JSON.parse(strFromU8(files['access-log.json']!)) as Json;
    const categories = new Set((log.entries as Json[]).map((e) => e.category));
    assert.ok(categories.has('sign-in') && categories.has('support'), JSON.stringify([...categories]));
    const text = strFromU8(files['access-log.json']!);
    assert.ok(!/@alfa\.test|@zorg\.test|127\.0\.0\.1|"ip"/.test(text), 'no addresses, no IPs');
    // The requests: kind and dates, ids only; no address, no message, no reason.
    const requestsText = strFromU8(files['requests.json']!);
    const reqs = (JSON.parse(requestsText) as Json).requests as Json[];
    assert.deepEqual(reqs.map((r) => r.kind).sort(), ['access', 'objection']);
    const done = reqs.find((r) => r.kind === 'access')!;
    assert.deepEqual([done.id, done.status, done.decision, done.late], [access.id, 'done', 'done', false]);
    assert.ok(
      done.receivedAt && done.decidedAt && done.extended.at && done.extended.originalDueOn < done.dueOn,
      JSON.stringify(done),
    );
    const open = reqs.find((r) => r.kind === 'objection')!;
    assert.deepEqual([open.status, open.decision, open.decidedAt, open.extended], ['received', null, null, null]);
    assert.match(open.dueOn, /^\d{4}-\d{2}-\d{2}$/);
    for (const a of asked) assert.ok(!requestsText.includes(a), `no address: ${a}`);
    assert.ok(!/@|GEHEIMBERICHT|GEHEIMEREDEN|"email|"message|"reason/.test(requestsText), requestsText);
    assert.match(strFromU8(files['README.txt']!), /openssl pkeyutl -verify/);
    assert.match(strFromU8(files['README.txt']!), /NEDERLANDS[\s\S]*ENGLISH/);
    assert.equal((await chain(alfa.id, 'audit_request.pack_generated')).length, 1);

    assert.equal(
      (await api('GET', '/api/v1/audits/pack?from=2026-05-01&to=2026-04-01', alfa.owner)).status,
      422,
      'a period that ends before it starts',
    );
    const period = await api('GET', `/api/v1/audits/pack?from=2000-01-01&to=2000-12-31`, alfa.owner);
    assert.deepEqual(
      JSON.parse(strFromU8(unzipSync(new Uint8Array(period.raw))['access-log.json']!)).entries,
      [],
      'the extract keeps to its period',
    );

    // Bravo's pack is Bravo's: its own customer id, none of Alfa's log.
    const other = await api('GET', '/api/v1/audits/pack', bravo.owner);
    const otherFiles = unzipSync(new Uint8Array(other.raw));
    assert.equal(JSON.parse(strFromU8(otherFiles['manifest.json']!)).customer.id, bravo.id);
    assert.ok(strFromU8(files['access-log.json']!).includes(alfaOwnerId), "Alfa's owner signed in: in Alfa's extract");
    assert.ok(
      !strFromU8(otherFiles['access-log.json']!).includes(alfaOwnerId),
      "Alfa's sign-ins are not in Bravo's extract",
    );
    assert.deepEqual(
      JSON.parse(strFromU8(otherFiles['requests.json']!)).requests,
      [],
      "Alfa's requests are not in Bravo's pack",
    );
  });
});

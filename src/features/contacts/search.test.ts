import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { colleague, importCsv, setUp, startTestApp, type TestApp } from '../../../test/harness.js';

/** Issue 14 (point 7): search, filters and pages of the contact list, with names and addresses encrypted. */
describe('issue 14: contact search, filters and pages', () => {
  let t: TestApp;
  let owner: string;

  before(async () => {
    // The smallest bound, so that the test can cross it.
    t = await startTestApp({ CONTACT_SEARCH_MAX: '100' });
    ({ ownerCookie: owner } = await setUp(t));
    const rows = Array.from(
      { length: 130 },
      (_, i) =>
        `persoon${String(i).padStart(3, '0')}@voorbeeld.nl;Persoon${i};${i % 2 ? 'nl' : 'en'};${i % 3 ? 'vrouw' : 'man'};${i % 5 ? 'Zorg' : 'Kantoor'}`,
    );
    rows.push('zz.jansen@voorbeeld.nl;Marieke;nl;vrouw;Zorg');
    const res = await importCsv(t, owner, `email;voornaam;taal;geslacht;afdeling\n${rows.join('\n')}\n`);
    assert.equal(res.statusCode, 200, res.body);
    const blocked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/suppressions',
      headers: { cookie: owner },
      payload: { email: 'persoon001@voorbeeld.nl' },
    });
    assert.ok(blocked.statusCode < 300, blocked.body);
  });
  after(() => t.close());

  const list = async (q: string, cookie = owner) => {
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/contacts?${q}`, headers: { cookie } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as {
      contacts: Array<{
        email: string;
        firstName: string;
        language: string;
        gender: string;
        subscribed: boolean;
        profile: Record<string, string>;
      }>;
      total: number;
      next: string | null;
      searchLimited: boolean;
    };
  };

  test('pages with offset carry the total; the pages together are every contact once', async () => {
    const seen = new Set<string>();
    for (let offset = 0; offset < 131; offset += 50) {
      const p = await list(`limit=50&offset=${offset}`);
      assert.equal(p.total, 131);
      for (const c of p.contacts) seen.add(c.email);
    }
    assert.equal(seen.size, 131);
  });

  test('filters: language, gender, on the suppression list or not, a profile field; total counts the matches', async () => {
    const nl = await list('language=nl&limit=500');
    assert.ok(nl.contacts.every((c) => c.language === 'nl'));
    assert.equal(nl.total, 66);
    const men = await list('gender=male&limit=500');
    assert.ok(men.total > 0 && men.contacts.every((c) => c.gender === 'male'));
    const off = await list('subscribed=no');
    assert.deepEqual(
      off.contacts.map((c) => [c.email, c.subscribed]),
      [['persoon001@voorbeeld.nl', false]],
    );
    assert.equal((await list('subscribed=yes')).total, 130);
    const office = await list('field=afdeling&value=Kantoor&limit=500');
    assert.equal(office.total, 26);
    assert.ok(office.contacts.every((c) => c.profile.afdeling === 'Kantoor'));
    const half = await t.app.inject({
      method: 'GET',
      url: '/api/v1/contacts?field=afdeling',
      headers: { cookie: owner },
    });
    assert.equal(half.statusCode, 422);
    assert.equal(half.json().errors[0].pointer, '/query/value');
  });

  test('SEC-1 search matches part of a name or address on decrypted data, bounded by CONTACT_SEARCH_MAX, and says when it was', async () => {
    // 131 contacts, 100 decrypted: Marieke (sorted by id) may or may not be among them, so search within a filter that fits.
    const small = await list('q=marieke&language=nl&gender=female');
    assert.equal(small.searchLimited, false);
    assert.deepEqual(
      small.contacts.map((c) => c.firstName),
      ['Marieke'],
    );
    const part = await list('q=PERSOON12&language=en');
    assert.equal(part.searchLimited, false);
    // Persoon12 is a first name too (persoon012@...).
    assert.deepEqual(part.contacts.map((c) => c.email).sort(), [
      'persoon012@voorbeeld.nl',
      'persoon120@voorbeeld.nl',
      'persoon122@voorbeeld.nl',
      'persoon124@voorbeeld.nl',
      'persoon126@voorbeeld.nl',
      'persoon128@voorbeeld.nl',
    ]);
    assert.equal(part.total, 6);
    const wide = await list('q=voorbeeld');
    assert.equal(wide.searchLimited, true, 'more than 100 to decrypt');
    assert.equal(wide.total, 100);
    // An exact address is found through the blind index, wherever it is.
    const exact = await list('q=zz.jansen@voorbeeld.nl');
    assert.deepEqual(
      exact.contacts.map((c) => c.email),
      ['zz.jansen@voorbeeld.nl'],
    );
    // Pages of a search.
    const p1 = await list('q=persoon&language=en&limit=20');
    const p2 = await list('q=persoon&language=en&limit=20&offset=20');
    assert.equal(p1.total, 65);
    assert.equal(new Set([...p1.contacts, ...p2.contacts].map((c) => c.email)).size, 40);
  });

  test('LOG-1 a search is logged without what was searched for; ACC-2 an analyst cannot list contacts', async () => {
    await list('q=Marieke');
    const entries = (
      await t.app.inject({
        method: 'GET',
        url: '/api/v1/audit?action=contacts.listed&limit=1',
        headers: { cookie: owner },
      })
    ).json().entries;
    assert.equal(entries[0].details.search, true);
    assert.ok(!JSON.stringify(entries[0]).includes('Marieke'));
    const analyst = await colleague(t, owner, 'analyst');
    assert.equal(
      (await t.app.inject({ method: 'GET', url: '/api/v1/contacts?q=Marieke', headers: { cookie: analyst } }))
        .statusCode,
      403,
    );
  });
});

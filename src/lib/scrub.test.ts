import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { emptyDatabase, freshDatabase } from '../../test/harness.js';
import { loadMigrations, migrate } from './db/migrate.js';
import type { DatabaseHandle } from './db/connect.js';
import { scrubAddresses } from './scrub.js';

/** Replies as mail servers and receivers write them, each with what must be left of it. */
const CASES: Array<[string, string]> = [
  [
    '550 5.1.1 <jan@example.nl>: Recipient address rejected: User unknown',
    '550 5.1.1 <address removed>: Recipient address rejected: User unknown',
  ],
  [
    "Can't send mail - all recipients were rejected: 550 5.1.1 <Jan.de.Vries+nps@Sub.Example.NL>: Recipient address rejected",
    "Can't send mail - all recipients were rejected: 550 5.1.1 <address removed>: Recipient address rejected",
  ],
  ['550 5.1.1 jan@example.nl... User unknown', '550 5.1.1 address removed... User unknown'],
  [
    '550 Requested action not taken: mailbox unavailable (jan@example.nl)',
    '550 Requested action not taken: mailbox unavailable (address removed)',
  ],
  ['to=<jan%40example.nl> refused', 'to=<address removed> refused'],
  ['mailto:jan%40example%2Enl', 'mailto:address removed'],
  ['Original-Recipient: rfc822;jan+40example.nl', 'Original-Recipient: rfc822;address removed'],
  ['quoted-printable: jan=40example.nl', 'quoted-printable: address removed'],
  [
    'html jan&#64;example.nl, jan&#x40;example.nl and jan&commat;example.nl',
    'html address removed, address removed and address removed',
  ],
  ['written out: jan(at)example.nl, jan [at] example.nl', 'written out: address removed, address removed'],
  ['"Jan de Vries" <jan@example.nl> rejected', '<address removed> rejected'],
  ['"jan de vries"@example.nl rejected', 'address removed rejected'],
  ['unicode jörg@bücher.de rejected', 'unicode address removed rejected'],
  ['local jan@localhost refused', 'local address removed refused'],
  ['{"error":"unknown recipient","email":"jan@example.nl"}', '{"error":"unknown recipient","email":"address removed"}'],
  // Nothing to remove: the reply stays as it was.
  ['452 4.2.2 Mailbox full, quota=40MB exceeded', '452 4.2.2 Mailbox full, quota=40MB exceeded'],
  ['421 4.7.0 Try again later', '421 4.7.0 Try again later'],
  ['connect ECONNREFUSED 127.0.0.1:25', 'connect ECONNREFUSED 127.0.0.1:25'],
];

describe('LOG-1 scrubbing addresses from stored replies', () => {
  test('LOG-1 an address in a remote reply, written in any of the usual ways, becomes "address removed"; the rest of the reply stays', () => {
    for (const [input, expected] of CASES) assert.equal(scrubAddresses(input), expected, input);
    assert.equal(scrubAddresses(null), null);
  });

  describe(`the migration that scrubs replies stored before (${process.env.PEIL_TEST_DATABASE_URL ? 'postgresql' : 'pglite'})`, () => {
    let db: { handle: DatabaseHandle; drop: () => Promise<void> };
    before(async () => {
      db = await freshDatabase();
    });
    after(async () => {
      await db.handle.close();
      await db.drop();
    });

    test('LOG-1 a bounce stored before migration 0010 loses the address it quoted when Peil is upgraded', async () => {
      const old = await emptyDatabase();
      try {
        await migrate(old.handle.pool, () => {}, {
          only: new Set(
            loadMigrations()
              .map((m) => m.version)
              .filter((v) => v < 10),
          ),
          grants: false,
        });
        const tenant = '00000000-0000-4000-8000-00000000000a';
        await old.handle.pool.query(`INSERT INTO tenants (id, slug, name) VALUES ($1, 'oud', 'Oud')`, [tenant]);
        await old.handle.pool.query(
          `INSERT INTO suppressions (tenant_id, email_hmac, email_enc, reason, source, details) VALUES ($1, '\\x01', NULL, 'bounced', 'smtp', $2::jsonb)`,
          [
            tenant,
            JSON.stringify({
              response:
                "Can't send mail - all recipients were rejected: 550 5.1.1 <jan@example.nl>: Recipient address rejected",
            }),
          ],
        );
        await migrate(old.handle.pool);
        const { rows } = await old.handle.pool.query<{ details: { response: string } }>(
          'SELECT details FROM suppressions WHERE tenant_id = $1',
          [tenant],
        );
        assert.equal(
          rows[0]!.details.response,
          "Can't send mail - all recipients were rejected: 550 5.1.1 <address removed>: Recipient address rejected",
        );
      } finally {
        await old.handle.close();
        await old.drop();
      }
    });

    test('LOG-1 migration 0010 scrubs the replies stored before it exactly as lib/scrub.ts scrubs new ones', async () => {
      const file = readFileSync(
        fileURLToPath(new URL('../../migrations/0010_least_privilege.sql', import.meta.url)),
        'utf8',
      );
      const start = file.indexOf('CREATE FUNCTION peil_scrub_addresses_0010');
      const fn = file
        .slice(start, file.indexOf('$$;', start) + 3)
        .replace('peil_scrub_addresses_0010', 'pg_temp.peil_scrub_test');
      const client = await db.handle.pool.connect();
      try {
        await client.query(fn);
        for (const [input, expected] of CASES) {
          const { rows } = await client.query<{ r: string }>('SELECT pg_temp.peil_scrub_test($1) AS r', [input]);
          assert.equal(rows[0]!.r, expected, input);
        }
      } finally {
        client.release();
      }
    });
  });
});

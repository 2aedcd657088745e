import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dbKind, eventually, setUp, startTestApp, type TestApp } from '../../../test/harness.js';
import { BACKUP_QUEUE, registerBackupSchedule, scheduledBackup } from './schedule.js';

describe(`scheduled backups (${dbKind})`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'peil-scheduled-'));
  let t: TestApp;
  let stop: () => void;

  before(async () => {
    t = await startTestApp({ PEIL_BACKUP_DIR: dir, PEIL_BACKUP_KEEP: '2' });
    await setUp(t);
    stop = await registerBackupSchedule(t.ctx);
  });
  after(async () => {
    stop();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('SEC-2 the running server makes backups by job into PEIL_BACKUP_DIR, records each, and keeps the newest PEIL_BACKUP_KEEP', async () => {
    await t.ctx.jobs.send(BACKUP_QUEUE, {});
    await eventually(
      async () => readdirSync(dir).filter((f) => f.endsWith('.peilbackup')).length === 1,
      30_000,
      'the backup job',
    );
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setTimeout(r, 1100)); // file names carry the second
      await scheduledBackup(t.ctx);
    }
    const files = readdirSync(dir).filter((f) => f.endsWith('.peilbackup'));
    assert.equal(files.length, 2);
    const rows = await t.ctx.db.handle.kysely
      .selectFrom('backups')
      .select(['trigger', 'file_name'])
      .orderBy('finished_at')
      .execute();
    assert.equal(rows.length, 3);
    assert.ok(rows.every((r) => r.trigger === 'schedule'));
    assert.deepEqual(
      files.sort(),
      rows
        .slice(1)
        .map((r) => r.file_name)
        .sort(),
    );
  });
});

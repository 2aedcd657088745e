import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { AppContext } from '../../context.js';
import { backupDatabase, type BackupResult } from './backup.js';
import { log } from '../../lib/log.js';

export const BACKUP_QUEUE = 'backup';
const PREFIX = 'peil-';
const SUFFIX = '.peilbackup';

/**
 * OBLIGATIONS SEC-2: scheduled backups into PEIL_BACKUP_DIR, made by the running server. On PGlite
 * this is the only way to back up without stopping Peil (one process per data folder); the backup
 * then holds the single connection while it runs, and requests wait. Only the newest
 * PEIL_BACKUP_KEEP files are kept: old backups are copies of personal data too.
 */
export async function scheduledBackup(ctx: AppContext): Promise<BackupResult> {
  const dir = ctx.env.PEIL_BACKUP_DIR;
  if (!dir) throw new Error('PEIL_BACKUP_DIR is not set');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  const result = await backupDatabase(ctx.db.handle, ctx.keyring.master, join(dir, `${PREFIX}${stamp}${SUFFIX}`), {
    trigger: 'schedule',
  });
  const files = readdirSync(dir)
    .filter((f) => f.startsWith(PREFIX) && f.endsWith(SUFFIX))
    .sort();
  for (const old of files.slice(0, Math.max(0, files.length - ctx.env.PEIL_BACKUP_KEEP)))
    rmSync(join(dir, old), { force: true });
  return result;
}

/** The backup job, and a timer that queues it every PEIL_BACKUP_INTERVAL_HOURS; nothing without PEIL_BACKUP_DIR. */
export async function registerBackupSchedule(ctx: AppContext): Promise<() => void> {
  if (!ctx.env.PEIL_BACKUP_DIR) return () => {};
  await ctx.jobs.work(BACKUP_QUEUE, async () => {
    await scheduledBackup(ctx);
  });
  const timer = setInterval(() => {
    ctx.jobs
      .send(BACKUP_QUEUE, {})
      .catch((err: Error) => log.error({ worker: 'backup' }, `[backup] could not queue the backup: ${err.message}`));
  }, ctx.env.PEIL_BACKUP_INTERVAL_HOURS * 3_600_000);
  timer.unref();
  return () => clearInterval(timer);
}

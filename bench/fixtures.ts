/**
 * What several bench parts set up the same way: a runtime on the part's database handle (its own
 * scratch folder, a random master key), and a customer with an owner and one survey.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTenant } from '../src/features/setup/service.js';
import type { SurveyDefinition } from '../src/features/surveys/definition.js';
import { systemActor } from '../src/lib/audit.js';
import { MasterKey } from '../src/lib/crypto/keyring.js';
import type { DatabaseHandle } from '../src/lib/db/connect.js';
import { parseEnv } from '../src/lib/env.js';
import { openRuntime } from '../src/server.js';

export const BENCH_OWNER = { email: 'bench@example.nl', password: 'Meetlat-Wachtwoord-1' };

export type BenchRuntime = Awaited<ReturnType<typeof openRuntime>>;

/** A runtime for one bench part; `close()` closes it and removes its folder. */
export async function benchRuntime(
  handle: DatabaseHandle,
  part: string,
  env: Record<string, string> = {},
): Promise<{ rt: BenchRuntime; dir: string; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), `peil-bench-${part}-`));
  const parsed = parseEnv({ PEIL_ENV: 'test', PEIL_DATA_DIR: dir, LOG_LEVEL: 'silent', ...env });
  const rt = await openRuntime(parsed, { handle, master: new MasterKey(randomBytes(32)) });
  return {
    rt,
    dir,
    close: async () => {
      await rt.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A customer with the bench owner and one survey of `definition`. */
export async function benchSurvey(
  rt: BenchRuntime,
  name: string,
  definition: SurveyDefinition,
  extra: Record<string, unknown> = {},
): Promise<{ tenantId: string; surveyId: string }> {
  const { tenantId } = await createTenant(
    rt.ctx,
    {
      name: 'Bench BV',
      slug: `bench-${randomBytes(3).toString('hex')}`,
      owner: { email: BENCH_OWNER.email, name: 'B', password: BENCH_OWNER.password },
    },
    systemActor,
  );
  const surveyId = randomUUID();
  await rt.ctx.db.tenant(tenantId, (tx) =>
    tx
      .insertInto('surveys')
      .values({
        tenant_id: tenantId,
        id: surveyId,
        name,
        kind: 'custom',
        default_language: 'nl',
        definition: JSON.stringify(definition),
        ...extra,
      } as never)
      .execute(),
  );
  return { tenantId, surveyId };
}

/**
 * BENCH_PROFILE: a CPU profile of this process from now until the returned function writes it to
 * `file` (open it in Chrome DevTools).
 */
export async function startProfile(): Promise<(file: string) => Promise<void>> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async (file) => {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

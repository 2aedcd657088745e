import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { APP_ROLE, type DatabaseHandle } from './connect.js';
import { errorCode, isConnectionError } from './unavailable.js';

/** The start stops: the application's connection is not the least-privilege one it must be. */
export class AppRoleError extends Error {
  constructor(message: string, opts?: { cause?: unknown }) {
    super(message, opts);
    this.name = 'AppRoleError';
  }
}

/**
 * A SCRAM-SHA-256 verifier of `password` (RFC 5802/7677, as PostgreSQL stores it). The password is
 * sent to the server as this verifier, never in clear, so it cannot show up in a statement log.
 */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

const RACE = 'tuple concurrently updated';

/**
 * At start, after the migrations, on PostgreSQL (OBLIGATIONS ACC-6, SEC-3): when DATABASE_APP_URL
 * signs in as peil_app with a password, the owner sets that password (peil_app got LOGIN in
 * grants.sql), then checks that the application's pool is what it must be: it signs in, it is not a
 * superuser, has no BYPASSRLS, cannot become the owner (no membership of any role that owns the
 * database or its tables), and is peil_app or may become it. Anything else stops the start with a
 * message that says what to change; a Peil whose requests could become the owner does not run.
 */
export async function prepareAppRole(
  handle: DatabaseHandle,
  appUrl?: string,
  log: (line: string) => void = () => {},
): Promise<void> {
  if (handle.kind !== 'postgres') return;
  const url = appUrl ? new URL(appUrl) : undefined;
  if (url && decodeURIComponent(url.username) === APP_ROLE && url.password !== '') {
    const verifier = scramVerifier(decodeURIComponent(url.password));
    for (let attempt = 1; ; attempt++) {
      try {
        // A literal, not a parameter: ALTER ROLE takes none. The verifier is base64 and '$', ':' only.
        await handle.pool.query(`ALTER ROLE ${APP_ROLE} WITH LOGIN PASSWORD '${verifier}'`);
        break;
      } catch (err) {
        // Two instances starting at once both set it: the second one tries again.
        if ((err as Error).message === RACE && attempt < 5) continue;
        if (errorCode(err) === '42501') {
          log(
            `[peil] the owner may not set ${APP_ROLE}'s password (42501); a database administrator sets it (ALTER ROLE ${APP_ROLE} LOGIN PASSWORD ...)`,
          );
          break;
        }
        throw err;
      }
    }
  }
  await checkAppRole(handle);
}

/** The checks of prepareAppRole, on their own. */
export async function checkAppRole(handle: DatabaseHandle): Promise<void> {
  if (handle.kind !== 'postgres') return;
  const owners = (
    await handle.pool.query<{ name: string }>(
      `SELECT DISTINCT pg_get_userbyid(o) AS name FROM (
         SELECT c.relowner AS o FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public'
         UNION SELECT datdba FROM pg_database WHERE datname = current_database()
         UNION SELECT oid FROM pg_roles WHERE rolname = current_user) x`,
    )
  ).rows.map((r) => r.name);
  let row: { login: string; superuser: boolean; bypassrls: boolean; app: boolean; owner: string | null };
  try {
    row = (
      await handle.app.pool.query<typeof row>(
        `SELECT session_user AS login, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls,
                pg_has_role(session_user, $1, 'MEMBER') AS app,
                (SELECT o FROM unnest($2::text[]) o WHERE pg_has_role(session_user, o, 'MEMBER') LIMIT 1) AS owner
           FROM pg_roles r WHERE r.rolname = session_user`,
        [APP_ROLE, owners],
      )
    ).rows[0]!;
  } catch (err) {
    if (isConnectionError(err)) throw err;
    throw new AppRoleError(
      `the application role cannot sign in at ${handle.app.where ?? 'the database'} as ${handle.app.user ?? APP_ROLE} (${errorCode(err)}). ` +
        `Set DATABASE_APP_URL to a URL that signs in as ${APP_ROLE} with its password (README, "Two database roles").`,
      { cause: err },
    );
  }
  const problems: string[] = [];
  if (row.superuser) problems.push('is a superuser');
  if (row.bypassrls) problems.push('bypasses row-level security');
  if (row.owner) problems.push(`can become the owner ${row.owner} (SET ROLE, RESET ROLE)`);
  if (!row.app) problems.push(`is not ${APP_ROLE} and may not become it`);
  if (problems.length > 0) {
    throw new AppRoleError(
      `the application's database connection signs in as ${row.login}, which ${problems.join(', ')}. ` +
        `Requests must run as the least-privilege role: set DATABASE_APP_URL to a URL that signs in as ${APP_ROLE} (README, "Two database roles").`,
    );
  }
}

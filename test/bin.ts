import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    const st = statSync(full);
    newest = Math.max(newest, st.isDirectory() ? newestMtime(full) : st.mtimeMs);
  }
  return newest;
}

/**
 * Environment for running `bin/peil.js` as a child process: the compiled CLI when dist/ is newer
 * than every source file (CI builds before it tests; a start takes a second instead of several),
 * otherwise the TypeScript sources through tsx.
 */
export function peilBinEnv(): Record<string, string> {
  const root = join(import.meta.dirname, '..');
  const built = join(root, 'dist', 'src', 'cli', 'main.js');
  const fresh =
    existsSync(built) &&
    statSync(built).mtimeMs >= Math.max(newestMtime(join(root, 'src')), newestMtime(join(root, 'migrations')));
  return fresh ? {} : { PEIL_FROM_SOURCE: '1' };
}

export interface PeilResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const bin = join(import.meta.dirname, '..', 'bin', 'peil.js');

/**
 * Runs `peil <args>` as an operator would, as a child process with only the environment given (none
 * of this process's PEIL_*, DATABASE_URL or SMTP_URL; PEIL_FROM_SOURCE comes from peilBinEnv() only).
 * Issue 14: `lang` sets PEIL_LANG, the language of its messages; without it (and without PEIL_LANG in
 * `env`) it speaks Dutch, whatever this machine's locale (LC_ALL, LC_MESSAGES and LANG are not passed on).
 */
export function runPeil(args: string[], env: Record<string, string>, lang?: 'nl' | 'en'): Promise<PeilResult> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => !/^(PEIL_|DATABASE_URL|SMTP_URL|LC_ALL$|LC_MESSAGES$|LANG$)/.test(k)),
    );
    const child = spawn(process.execPath, [bin, ...args], {
      env: {
        ...clean,
        ...peilBinEnv(),
        NODE_OPTIONS: '',
        LOG_LEVEL: 'warn',
        ...(lang ? { PEIL_LANG: lang } : {}),
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
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

/** A `peil start` running as a child process, its output collected. */
export interface PeilProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts `peil start` as a child process (any port, warnings only, English messages) with `env` on top. */
export function spawnPeil(env: Record<string, string>): PeilProcess {
  const bin = join(import.meta.dirname, '..', 'bin', 'peil.js');
  const child = spawn(process.execPath, [bin, 'start'], {
    env: { ...process.env, ...peilBinEnv(), NODE_OPTIONS: '', PORT: '0', LOG_LEVEL: 'warn', PEIL_LANG: 'en', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

/**
 * Resolves when the output matches (or rejects when the process exits first, or after timeoutMs).
 * On a timeout the process is stopped (SIGTERM, then SIGKILL), so that a test that failed does not
 * leave a server behind that keeps its file's test runner waiting.
 */
export async function waitForOutput(c: PeilProcess, pattern: RegExp, timeoutMs = 120_000): Promise<RegExpExecArray> {
  const until = Date.now() + timeoutMs;
  let exited = false;
  void c.exited.then(() => (exited = true));
  for (;;) {
    const m = pattern.exec(c.output());
    if (m) return m;
    if (exited) throw new Error(`peil exited before printing ${pattern}:\n${c.output()}`);
    if (Date.now() > until) {
      c.child.kill('SIGTERM');
      const killed = setTimeout(() => c.child.kill('SIGKILL'), 5000);
      await c.exited;
      clearTimeout(killed);
      throw new Error(`timed out waiting for ${pattern}:\n${c.output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

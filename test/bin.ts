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
  const fresh = existsSync(built) && statSync(built).mtimeMs >= Math.max(newestMtime(join(root, 'src')), newestMtime(join(root, 'migrations')));
  return fresh ? {} : { PEIL_FROM_SOURCE: '1' };
}

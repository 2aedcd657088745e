import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface Lock {
  readonly path: string;
  release(): void;
}

export class LockedError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An exclusive lock on a data folder: a file created with O_EXCL holding our pid. A lock left by a
 * process that no longer runs is taken over, so a crash does not need manual clean-up.
 */
export function acquireLock(dir: string): Lock {
  const path = join(dir, 'peil.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        rmSync(path, { force: true });
      };
      process.once('exit', release);
      return { path, release };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid) && pid !== process.pid) {
        throw new LockedError(
          `The data folder ${dir} is in use by another Peil process (pid ${pid}). ` +
            `Stop that process first, or start this one with another PEIL_DATA_DIR.`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new LockedError(`Could not lock the data folder ${dir}.`);
}

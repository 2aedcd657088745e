import { log } from './log.js';
import { workerRuns } from './metrics.js';

/**
 * A periodic piece of work in this process: run every `seconds` (0: never; fractions allowed), and
 * once at start unless `atStart` is false; never twice at once. A failure is logged by its error code
 * only (a database message can quote values) and the work runs again at the next tick. Returns the
 * stop function, which waits for a running one: nothing started here outlives the pool it uses.
 */
export function startTick(
  label: string,
  seconds: number,
  run: () => Promise<unknown>,
  opts: { atStart?: boolean } = {},
): () => Promise<void> {
  if (!seconds) return async () => {};
  // The metrics' and the log's name of this work: the label without its brackets ("[plans] tick" → "plans tick").
  const worker = label.replace(/[[\]]/g, '').trim();
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const tick = () => {
    if (running || stopped) return;
    running = run()
      .then(() => workerRuns.inc({ worker, outcome: 'ok' }))
      .catch((err: unknown) => {
        workerRuns.inc({ worker, outcome: 'failed' });
        const code = String((err as { code?: unknown }).code ?? (err as Error).name);
        log.error({ worker, code }, `${label} failed (${code}); it runs again in ${seconds} s`);
      })
      .finally(() => {
        running = null;
      });
  };
  if (opts.atStart !== false) tick();
  const timer = setInterval(tick, seconds * 1000);
  timer.unref();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}

/**
 * OBLIGATIONS SEC-2 (issue 16): lets the event loop take its I/O turn. PGlite runs inside this process
 * and answers through promises alone, so a long job (a send into the outbox, a labelling run) that only
 * awaits queries never gives the HTTP server a turn: /healthz waited for a whole send (42 s for 12,000
 * mails; bench/invitations.ts). Such loops await this between rounds.
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

import { useCallback, useEffect, useRef, type DependencyList } from 'react';
import { toProblem } from '../api';
import type { Problem } from '../types';

/**
 * Loads a page's data: runs `fetch` when the page mounts (and again when `deps` change) and hands a
 * failure to `onProblem` as a problem+json the page can show. Returns the same function, to reload
 * after a change.
 */
export function useLoad(
  fetch: () => Promise<void>,
  onProblem: (problem: Problem) => void,
  deps: DependencyList = [],
): () => Promise<void> {
  const latest = useRef({ fetch, onProblem });
  latest.current = { fetch, onProblem };
  const load = useCallback(async () => {
    try {
      await latest.current.fetch();
    } catch (err) {
      latest.current.onProblem(toProblem(err));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load, ...deps]); // the caller names what should trigger a reload
  return load;
}

/**
 * OBLIGATIONS SVC-4: complementary suppression for the breakdown of a confidential survey, the way
 * statistics offices protect a table whose margins are published.
 *
 * What an owner can combine: the histogram of every release step (the trend; see release.ts) and the
 * histogram of every group shown. Any integer combination of those gives, for the atom "responses of
 * step s in group g", the value x_s − y_g (one free number per step and per shown group; every group
 * that is not shown sits together in one node whose number is fixed). An atom drops out exactly when
 * its step and its group carry the same number, so the responses such a combination isolates are the
 * edges of the bipartite graph (steps × groups, weighted by the number of responses) that join nodes
 * of different numbers: a cut of that graph. Hence: no combination isolates fewer than N respondents
 * if and only if every cut that crosses an edge weighs at least N, i.e. the minimum cut of each
 * connected part is ≥ N. A threshold per group (each group ≥ N) only covers the cuts around one node;
 * "total minus the other groups" and "an early step minus a group" are other cuts.
 *
 * While the minimum cut is below N, the smallest shown group is suppressed too, and the graph is
 * checked again (a shown group only ever moves to the hidden node, so this ends).
 */

/** Global minimum cut of an undirected weighted graph (Stoer–Wagner), on a dense matrix; ∞ for < 2 nodes. */
export function minimumCut(weights: number[][]): number {
  const n = weights.length;
  if (n < 2) return Infinity;
  const w = weights.map((row) => row.slice());
  const alive = Array.from({ length: n }, (_, i) => i);
  let best = Infinity;
  while (alive.length > 1) {
    const added = new Array<boolean>(n).fill(false);
    const conn = new Array<number>(n).fill(0);
    let prev = -1;
    let last = -1;
    for (let k = 0; k < alive.length; k++) {
      let sel = -1;
      for (const v of alive) if (!added[v] && (sel === -1 || conn[v]! > conn[sel]!)) sel = v;
      added[sel] = true;
      if (k === alive.length - 1) best = Math.min(best, conn[sel]!);
      prev = last;
      last = sel;
      for (const v of alive) if (!added[v]) conn[v]! += w[sel]![v]!;
    }
    // Merge `last` into `prev`.
    for (const v of alive) {
      w[prev]![v]! += w[last]![v]!;
      w[v]![prev] = w[prev]![v]!;
    }
    w[prev]![prev] = 0;
    alive.splice(alive.indexOf(last), 1);
  }
  return best;
}

/** The smallest cut over the connected parts of the graph that have an edge (0 edges: ∞). */
export function smallestIsolatable(weights: number[][]): number {
  const n = weights.length;
  const seen = new Array<boolean>(n).fill(false);
  let best = Infinity;
  for (let s = 0; s < n; s++) {
    if (seen[s] || !weights[s]!.some((x) => x > 0)) continue;
    const part: number[] = [];
    const stack = [s];
    seen[s] = true;
    while (stack.length) {
      const v = stack.pop()!;
      part.push(v);
      for (let u = 0; u < n; u++)
        if (!seen[u] && weights[v]![u]! > 0) {
          seen[u] = true;
          stack.push(u);
        }
    }
    best = Math.min(best, minimumCut(part.map((a) => part.map((b) => weights[a]![b]!))));
  }
  return best;
}

/**
 * Which groups may be shown. `cells[s][g]` counts the responses of release step s in group g; groups
 * are the columns (a null value is never shown). Returns the indexes of the groups to show.
 */
export function groupsToShow(
  cells: number[][],
  groupCount: number,
  minGroup: number,
  showable: (g: number) => boolean,
): Set<number> {
  const size = (g: number) => cells.reduce((s, row) => s + (row[g] ?? 0), 0);
  const shown = new Set<number>();
  for (let g = 0; g < groupCount; g++) if (showable(g) && size(g) >= minGroup) shown.add(g);
  for (;;) {
    if (shown.size === 0) return shown;
    // Nodes: the steps, then each shown group, then one node for all hidden groups.
    const groups = [...shown];
    const n = cells.length + groups.length + 1;
    const w = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    const hidden = n - 1;
    cells.forEach((row, s) => {
      for (let g = 0; g < groupCount; g++) {
        const c = row[g] ?? 0;
        if (!c) continue;
        const i = shown.has(g) ? cells.length + groups.indexOf(g) : hidden;
        w[s]![i]! += c;
        w[i]![s]! += c;
      }
    });
    if (smallestIsolatable(w) >= minGroup) return shown;
    const smallest = groups.reduce((a, b) => (size(b) < size(a) ? b : a));
    shown.delete(smallest);
  }
}

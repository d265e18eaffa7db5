import type { ForeignKey, SchemaInfo, TableKey } from '../../domain/types.ts';

// Join paths through foreign keys (declared or inferred). Walking from a child to the table it
// references ("up") never multiplies rows; walking to a referencing table ("down") does, so
// the compiler turns down-walks used only for filtering into EXISTS and guards measures
// against fan-out when a grouping needs one.

export interface JoinStep {
  from: TableKey;
  to: TableKey;
  fk: ForeignKey;
  /** 'up': from the referencing table to the referenced one (many-to-one). */
  direction: 'up' | 'down';
}

export type JoinTree = Map<TableKey, JoinStep>; // table → the step that reaches it

// A down step costs a little more, so among equally short paths the fan-out-free one wins.
const COST = { up: 1, down: 1.001 } as const;

function neighbours(schema: SchemaInfo, table: TableKey): JoinStep[] {
  const steps: JoinStep[] = [];
  for (const fk of schema.foreignKeys) {
    if (fk.fromTable === table && fk.toTable !== table)
      steps.push({ from: table, to: fk.toTable, fk, direction: 'up' });
    if (fk.toTable === table && fk.fromTable !== table)
      steps.push({ from: table, to: fk.fromTable, fk, direction: 'down' });
  }
  // Declared keys before inferred ones, so a real constraint wins a tie.
  return steps.sort((a, b) => Number(a.fk.inferred) - Number(b.fk.inferred));
}

/** Trees by schema and root: a discovered schema is never changed, and the planner and the
 *  compiler ask for the same few roots many times a question. */
const TREES = new WeakMap<SchemaInfo, Map<TableKey, JoinTree>>();

/** Shortest paths from `root` to every reachable table (Dijkstra on a tiny graph), not
 *  entering the tables in `avoid`. The tree is shared: read it, never change it. */
export function shortestPaths(schema: SchemaInfo, root: TableKey, avoid?: Set<TableKey>): JoinTree {
  if (avoid?.size) return walkPaths(schema, root, avoid);
  let byRoot = TREES.get(schema);
  if (!byRoot) {
    byRoot = new Map();
    TREES.set(schema, byRoot);
  }
  let tree = byRoot.get(root);
  if (!tree) {
    tree = walkPaths(schema, root);
    byRoot.set(root, tree);
  }
  return tree;
}

function walkPaths(schema: SchemaInfo, root: TableKey, avoid?: Set<TableKey>): JoinTree {
  const dist = new Map<TableKey, number>([[root, 0]]);
  const via: JoinTree = new Map();
  const open = new Set<TableKey>([root]);
  const done = new Set<TableKey>();
  while (open.size > 0) {
    let current: TableKey | undefined;
    for (const t of open)
      if (current === undefined || (dist.get(t) ?? 0) < (dist.get(current) ?? 0)) current = t;
    if (current === undefined) break;
    open.delete(current);
    done.add(current);
    for (const step of neighbours(schema, current)) {
      if (done.has(step.to) || avoid?.has(step.to)) continue;
      const d = (dist.get(current) ?? 0) + COST[step.direction];
      if (d < (dist.get(step.to) ?? Number.POSITIVE_INFINITY)) {
        dist.set(step.to, d);
        via.set(step.to, step);
        open.add(step.to);
      }
    }
  }
  return via;
}

/** The steps from root to `table`, root first; null when unreachable. */
export function pathTo(tree: JoinTree, root: TableKey, table: TableKey): JoinStep[] | null {
  const steps: JoinStep[] = [];
  let t = table;
  while (t !== root) {
    const step = tree.get(t);
    if (!step) return null;
    steps.unshift(step);
    t = step.from;
  }
  return steps;
}

/** Ways through one schema's keys. */
export class JoinPaths {
  constructor(private readonly schema: SchemaInfo) {}

  tree(root: TableKey): JoinTree {
    return shortestPaths(this.schema, root);
  }

  /** From root to `table`, through the first of `via` that lies on a way there without
   *  visiting a table twice — a table the question names on the way ("authors who wrote
   *  publications in a domain" go through publications, not a shorter author–domain link);
   *  else the shortest way. Null when unreachable. */
  between(root: TableKey, table: TableKey, via: TableKey[] = []): JoinStep[] | null {
    const direct = pathTo(this.tree(root), root, table);
    for (const v of via) {
      if (v === root || v === table || direct?.some((step) => step.to === v)) continue;
      const second = pathTo(this.tree(v), v, table);
      if (!second) continue;
      // The way to it must not already pass what lies beyond it.
      const beyond = new Set(second.map((step) => step.to));
      const first = pathTo(shortestPaths(this.schema, root, beyond), root, v);
      if (!first) continue;
      const visited = [root, ...first.map((step) => step.to), ...second.map((step) => step.to)];
      if (new Set(visited).size === visited.length) return [...first, ...second];
    }
    return direct;
  }
}

/** Rows of `rows` refer to each row of `of` (its orders, its lines, through link tables too):
 *  the path starts downwards, so each row of `of` can have any number of them to count. */
export function countsPerRow(schema: SchemaInfo, of: TableKey, rows: TableKey): boolean {
  return pathTo(shortestPaths(schema, of), of, rows)?.[0]?.direction === 'down';
}

/** True when every step from root to `table` is many-to-one: joining it cannot fan out. */
export function reachableWithoutFanOut(schema: SchemaInfo, root: TableKey, table: TableKey): boolean {
  const path = pathTo(shortestPaths(schema, root), root, table);
  return path?.every((s) => s.direction === 'up') ?? false;
}

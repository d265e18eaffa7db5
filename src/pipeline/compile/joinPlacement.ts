import type { QueryPlan, TableKey } from '../../domain/types.ts';
import type { JoinStep } from './joinGraph.ts';

// Which join steps the main query joins and which are only tested inside an EXISTS. Down-steps
// (to a table that refers to the row) multiply rows: they are joined only when an output column
// needs the table below, and that join is what the fan-out guards answer.

/** What a table is needed for: shown or grouped by (output), or only tested (filter). */
export interface Need {
  table: TableKey;
  role: 'output' | 'filter';
}

export interface JoinPlacement {
  /** Steps of the main FROM, each after the step that reaches its source. */
  joined: JoinStep[];
  /** Per first down-step that only filters, the steps its EXISTS walks. */
  existsGroups: Map<JoinStep, JoinStep[]>;
  /** Tables only inside an EXISTS, to the head step of that EXISTS; their conditions go there. */
  inExists: Map<TableKey, JoinStep>;
  /** A down-step is joined: root rows repeat, and measures must not count them twice. */
  fanOut: boolean;
}

export function needsOf(plan: QueryPlan): Need[] {
  const out: Need[] = [];
  for (const d of plan.dimensions) out.push({ table: d.ref.table, role: 'output' });
  for (const s of plan.select ?? []) out.push({ table: s.table, role: 'output' });
  for (const f of plan.filters) if (!f.none) out.push({ table: f.ref.table, role: 'filter' });
  // A measure's own condition is read row by row, so its table is joined, never an EXISTS.
  for (const m of plan.measures)
    for (const f of m.where ?? []) out.push({ table: f.ref.table, role: 'output' });
  if (plan.timeRange) out.push({ table: plan.timeRange.column.table, role: 'filter' });
  return out;
}

const firstDown = (path: JoinStep[]) => path.findIndex((s) => s.direction === 'down');

function addUnique(list: JoinStep[], steps: JoinStep[]): void {
  for (const s of steps) if (!list.includes(s)) list.push(s);
}

/** Places each need's path from `root` (`pathOf`) in the main FROM or in an EXISTS. */
export function placeJoins(
  root: TableKey,
  needs: Need[],
  pathOf: (table: TableKey) => JoinStep[],
): JoinPlacement {
  const paths = new Map<TableKey, JoinStep[]>();
  for (const n of needs) paths.set(n.table, pathOf(n.table));

  const fanOutSteps = new Set<JoinStep>();
  for (const n of needs) {
    const path = paths.get(n.table)!;
    const i = firstDown(path);
    if (n.role === 'output' && i >= 0) fanOutSteps.add(path[i]!);
  }
  const joined: JoinStep[] = [];
  const existsGroups = new Map<JoinStep, JoinStep[]>();
  for (const n of needs) {
    const path = paths.get(n.table)!;
    const i = firstDown(path);
    if (i < 0 || fanOutSteps.has(path[i]!)) {
      addUnique(joined, path);
      continue;
    }
    addUnique(joined, path.slice(0, i));
    const group = existsGroups.get(path[i]!) ?? [];
    addUnique(group, path.slice(i));
    existsGroups.set(path[i]!, group);
  }
  // A table reached both ways is joined; its conditions stay in the main WHERE.
  const joinedTables = new Set<TableKey>([root, ...joined.map((s) => s.to)]);
  const inExists = new Map<TableKey, JoinStep>();
  for (const [head, steps] of existsGroups) {
    for (const s of steps) if (!joinedTables.has(s.to)) inExists.set(s.to, head);
  }
  return { joined: inJoinOrder(root, joined), existsGroups, inExists, fanOut: fanOutSteps.size > 0 };
}

/** Joins in an order where each step's source is already in the FROM list. */
function inJoinOrder(root: TableKey, steps: JoinStep[]): JoinStep[] {
  const present = new Set<TableKey>([root]);
  const ordered: JoinStep[] = [];
  const pending = [...steps];
  while (pending.length) {
    const i = pending.findIndex((s) => present.has(s.from));
    if (i < 0) break;
    const [s] = pending.splice(i, 1);
    if (!s || present.has(s.to)) continue;
    present.add(s.to);
    ordered.push(s);
  }
  return ordered;
}

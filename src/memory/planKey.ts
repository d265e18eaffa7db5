import { createHash } from 'node:crypto';
import type { QueryPlan } from '../domain/types.ts';

// One short key per distinct plan, whatever the order of keys in its JSON: the same panel
// asked many times groups under one key (/usual), and a pattern is "the same" when its
// normalized question and plan key match.

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, canonical(v)]),
    );
  return value;
}

export function planKey(plan: QueryPlan): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(plan)))
    .digest('hex')
    .slice(0, 24);
}

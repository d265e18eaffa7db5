import type { QueryPlan, TimeRange } from '../domain/types.ts';

// Plain-words descriptions of a plan's parts, for summaries and "what I understood".

function plural(n: number, unit: string): string {
  return n === 1 ? unit : `${n} ${unit}s`;
}

export function describeRange(range: TimeRange): string {
  switch (range.kind) {
    case 'current':
      return range.unit === 'day' ? 'today' : `this ${range.unit}`;
    case 'previous':
      if (range.n === 1) return range.unit === 'day' ? 'yesterday' : `last ${range.unit}`;
      return `the last ${plural(range.n, range.unit)}`;
    case 'rolling':
      return `the past ${plural(range.n, range.unit)}`;
    case 'absolute':
      if (range.from && range.to) return `from ${range.from} to before ${range.to}`;
      return range.from ? `since ${range.from}` : `before ${range.to}`;
  }
}

/** "sales" → "Sales", "units_sold" → "Units sold". */
export function humanize(name: string): string {
  const words = name
    .replace(/_/g, ' ')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function describePeriod(plan: QueryPlan | null): string {
  return plan?.timeRange ? ` (${describeRange(plan.timeRange)})` : '';
}

import type { QueryPlan } from '../domain/types.ts';
import {
  type Built,
  buildBar,
  buildBigNumber,
  buildDoughnut,
  buildLine,
  buildScatter,
} from './chartBuilders.ts';
import { type ChartContext, type ChartInput, chartContext } from './chartContext.ts';
import type { ChartKind, ChartSpec } from './chartSpec.ts';

// Which chart suits an answer (docs/architecture.md#present): one value → big number; time ×
// measure → line (area for shares); up to 20 categories → bars (doughnut for up to 6 shares); two
// measures → scatter; else the table alone. An explicit request, then a learned preference, wins
// when it fits.

export interface ChartPrefs {
  /** The user's learned favourites, most liked first; used silently when they fit. */
  preferred?: ChartKind[];
  /** Asked for in the question ("as a line chart"); when it does not fit, the note says why. */
  requested?: ChartKind;
}

export interface ChartDecision {
  spec: ChartSpec | null;
  /** For the reader: why there is no chart, or why it is not the one asked for. */
  note: string | null;
}

const KIND_NAMES: Record<ChartKind, string> = {
  big_number: 'big-number card',
  line: 'line chart',
  area: 'area chart',
  bar: 'bar chart',
  doughnut: 'doughnut chart',
  scatter: 'scatter plot',
};

/** A plain listing of rows (no measures) reads better as a table than as any chart. */
function isListing(plan: QueryPlan | null): boolean {
  return plan !== null && !plan.sql && plan.measures.length === 0;
}

/** Why no chart of any kind can be drawn, or null. */
function unchartable(ctx: ChartContext): string | null {
  if (ctx.rows.length === 0) return 'there are no rows';
  if (isListing(ctx.plan)) return 'a list of rows reads best as a table';
  if (ctx.measures.length === 0) return 'there is no number to plot';
  return null;
}

function build(ctx: ChartContext, kind: ChartKind): Built {
  const blocked = unchartable(ctx);
  if (blocked) return { reason: blocked };
  switch (kind) {
    case 'big_number':
      return buildBigNumber(ctx);
    case 'line':
    case 'area':
      return buildLine(ctx, kind);
    case 'bar':
      return buildBar(ctx);
    case 'doughnut':
      return buildDoughnut(ctx);
    case 'scatter':
      return buildScatter(ctx);
  }
}

function automatic(ctx: ChartContext): Built {
  const blocked = unchartable(ctx);
  if (blocked) return { reason: blocked };
  if (ctx.rows.length === 1) return build(ctx, 'big_number');
  if (ctx.time.length > 0) return build(ctx, ctx.share ? 'area' : 'line');
  if (ctx.categories.length > 0) {
    const doughnut = ctx.share ? build(ctx, 'doughnut') : null;
    if (doughnut && 'spec' in doughnut) return doughnut;
    const bar = build(ctx, 'bar');
    if ('spec' in bar || ctx.measures.length < 2) return bar;
    const scatter = build(ctx, 'scatter');
    return 'spec' in scatter ? scatter : bar;
  }
  if (ctx.measures.length < 2) return { reason: 'there is nothing to plot the numbers against' };
  return build(ctx, 'scatter');
}

function decided(spec: ChartSpec, why?: string): ChartDecision {
  const note = [why, spec.note].filter(Boolean).join(' ') || null;
  return { spec: note ? { ...spec, note } : spec, note };
}

export function decideChart(input: ChartInput, prefs: ChartPrefs = {}): ChartDecision {
  const ctx = chartContext(input);
  if (prefs.requested) {
    const asked = build(ctx, prefs.requested);
    if ('spec' in asked) return decided(asked.spec);
    const fallback = automatic(ctx);
    const why = `A ${KIND_NAMES[prefs.requested]} doesn't fit this answer: ${asked.reason};`;
    if ('spec' in fallback)
      return decided(fallback.spec, `${why} showing a ${KIND_NAMES[fallback.spec.kind]} instead.`);
    return { spec: null, note: `${why} showing the table only.` };
  }
  for (const kind of prefs.preferred ?? []) {
    const liked = build(ctx, kind);
    if ('spec' in liked) return decided(liked.spec);
  }
  const auto = automatic(ctx);
  return 'spec' in auto ? decided(auto.spec) : { spec: null, note: `No chart: ${auto.reason}.` };
}

/** The chart for an answer, or null for the table alone; `spec.note` says what was adjusted. */
export function chooseChart(input: ChartInput, prefs?: ChartPrefs): ChartSpec | null {
  return decideChart(input, prefs).spec;
}

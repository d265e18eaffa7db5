import type { Answer, QueryPlan, SchemaInfo } from '../domain/types.ts';
import { MIN_SUCCESS_RATE } from '../memory/shouldUseMemoryPattern.ts';
import { answerPlan, loadSchema, type PipelineServices, planOffline } from '../pipeline/index.ts';
import type { PanelSource } from './choosePanels.ts';
import { type Change, changeOf, headlineOf, headlineValue } from './headline.ts';
import { previousPeriod } from './previousPeriod.ts';

// Runs a dashboard's panels, all at once on the target's pool (docs/architecture.md#execute:
// independent queries run in parallel), each with the same plan one period earlier for its change.
// Stored plans are re-compiled here, so relative periods ("last month") mean the month before
// today.

export interface UsualPanel {
  title: string;
  question: string;
  answer: Answer;
  headline: string;
  /** The number the headline stands for, when there is one to compare. */
  value: number | null;
  change?: Change;
  /** The previous period's answer, when one ran. */
  previous?: Answer;
  /** Wall-clock milliseconds from the dashboard's start to this panel's start and end. */
  startedMs: number;
  finishedMs: number;
}

export interface PanelRunContext {
  teamId: string;
  userId: string;
  timeZone?: string;
  locale?: string;
  now?: Date;
}

export interface PanelRun {
  panels: UsualPanel[];
  notes: string[];
}

/** The target's schema as answers see it: through the same caches and access rules. */
export async function panelSchema(services: PipelineServices): Promise<SchemaInfo> {
  return (await loadSchema(services.target, services.schemaLayers, { access: services.access })).schema;
}

/** A plan whose pattern often failed is planned again from its question; the stored plan
 *  stays when the question no longer plans. */
function freshPlan(
  source: PanelSource,
  schema: SchemaInfo,
  now: Date | undefined,
  notes: string[],
): QueryPlan {
  if (source.successRate === null || source.successRate > MIN_SUCCESS_RATE) return source.plan;
  try {
    return planOffline(source.question, { schema, defaultLimit: source.plan.limit ?? 100, now }).plan;
  } catch {
    notes.push(`"${source.title}" could not be planned afresh, so it runs as it was last answered.`);
    return source.plan;
  }
}

export async function runPanels(
  services: PipelineServices,
  sources: PanelSource[],
  ctx: PanelRunContext,
): Promise<PanelRun> {
  const start = performance.now();
  const elapsed = () => Math.round((performance.now() - start) * 100) / 100;
  const notes: string[] = [];
  const schema = await panelSchema(services);
  const options = { locale: ctx.locale, timeZone: ctx.timeZone };
  const panels = await Promise.all(
    sources.map(async (source): Promise<UsualPanel> => {
      const startedMs = elapsed();
      const plan = freshPlan(source, schema, ctx.now, notes);
      const earlier = previousPeriod(plan);
      const run = (p: QueryPlan) =>
        answerPlan({ question: source.question, plan: p, source: 'memory', schema }, ctx, services);
      const [answer, previous] = await Promise.all([run(plan), earlier ? run(earlier) : undefined]);
      const headline = headlineOf(answer, options);
      const change = previous ? changeOf(headline.value, headlineValue(previous)) : undefined;
      return {
        title: source.title,
        question: source.question,
        answer,
        headline: headline.text,
        value: headline.value,
        ...(change ? { change } : {}),
        ...(previous ? { previous } : {}),
        startedMs,
        finishedMs: elapsed(),
      };
    }),
  );
  return { panels, notes };
}

import type { PipelineServices } from '../pipeline/answer.ts';
import { loadSchema } from '../pipeline/schema.ts';
import { chooseChart, type DashboardPanel, renderDashboard } from '../render/index.ts';
import { choosePanels, type PanelSource } from './choosePanels.ts';
import { describeChange } from './headline.ts';
import { type PanelRunContext, runPanels, type UsualPanel } from './runPanels.ts';
import { suggestQuestions } from './suggestions.ts';

// `/usual` (DESIGN §5): the person's dashboard learned from their last 30 days — one message
// of panels (a line each) and one combined image. With too little history it says so and
// offers questions that fit the schema.

export interface UsualDashboard {
  panels: UsualPanel[];
  /** One line per panel: title, headline and change. */
  text: string;
  /** All panels in one image; null when there are no panels. */
  png: Buffer | null;
  notes: string[];
  /** Questions to ask when history is too thin; empty otherwise. */
  suggestions: string[];
  timings: { choose: number; run: number; render: number; total: number };
}

export interface UsualInput {
  teamId: string;
  userId: string;
  /** Only panels mentioning this ("/usual sales"). */
  topic?: string;
  now?: Date;
  timeZone?: string;
  locale?: string;
}

/** Fewer distinct plans than this and /usual offers suggestions. */
export const MIN_DISTINCT_PLANS = 3;

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

export function panelLine(panel: UsualPanel, options: { locale?: string; timeZone?: string } = {}): string {
  const change = panel.change ? ` (${describeChange(panel.change, panel.answer, options)})` : '';
  const mark = panel.answer.error ? '⚠️ ' : '';
  return `• ${panel.title}: ${mark}${panel.headline}${change}`;
}

/** The combined image of a run of panels. */
export function renderPanels(panels: UsualPanel[], options: { locale?: string; timeZone?: string } = {}) {
  const cards: DashboardPanel[] = panels.map((p) => ({
    title: p.title,
    headline: p.headline,
    spec: p.answer.error
      ? null
      : chooseChart({
          question: p.question,
          columns: p.answer.columns,
          rows: p.answer.rows,
          plan: p.answer.plan,
          previousValue: p.change?.previous ?? null,
          ...options,
        }),
  }));
  return renderDashboard(cards);
}

/** Runs given panels and renders them: the part of /usual that digests repeat on a schedule. */
export async function runDashboard(
  services: PipelineServices,
  sources: PanelSource[],
  ctx: PanelRunContext,
): Promise<Omit<UsualDashboard, 'suggestions' | 'timings'> & { timings: { run: number; render: number } }> {
  const runStart = performance.now();
  const run = await runPanels(services, sources, ctx);
  const renderStart = performance.now();
  const options = { locale: ctx.locale, timeZone: ctx.timeZone };
  const png = run.panels.length ? await renderPanels(run.panels, options) : null;
  return {
    panels: run.panels,
    text: run.panels.map((p) => panelLine(p, options)).join('\n'),
    png,
    notes: run.notes,
    timings: { run: round(renderStart - runStart), render: round(performance.now() - renderStart) },
  };
}

async function suggestionsFor(services: PipelineServices, now?: Date): Promise<string[]> {
  const { schema } = await loadSchema(services.target, services.schemaLayers);
  return suggestQuestions(schema, now);
}

export async function buildUsualDashboard(
  services: PipelineServices,
  input: UsualInput,
): Promise<UsualDashboard> {
  const start = performance.now();
  const memory = services.memory;
  if (!memory) {
    const suggestions = await suggestionsFor(services, input.now);
    return {
      panels: [],
      text: '',
      png: null,
      notes: ['/usual needs my long-term memory, which is not configured here.'],
      suggestions,
      timings: { choose: 0, run: 0, render: 0, total: round(performance.now() - start) },
    };
  }
  const choice = await choosePanels(memory.db, input);
  const chosen = performance.now();
  const ran = await runDashboard(services, choice.panels, input);
  const notes = [...ran.notes];
  let suggestions: string[] = [];
  if (choice.distinct < MIN_DISTINCT_PLANS) {
    suggestions = await suggestionsFor(services, input.now);
    const had =
      choice.distinct === 0
        ? 'I have none of your questions from the last 30 days yet'
        : `I only have ${choice.distinct} kind${choice.distinct === 1 ? '' : 's'} of question from you in the last 30 days`;
    notes.unshift(
      `${had}, so there is no usual dashboard to show.${suggestions.length ? ' Ask a few of these and /usual will fill up:' : ' Ask me a few questions and /usual will fill up.'}`,
    );
  } else if (input.topic && choice.panels.length === 0) {
    notes.unshift(`None of your usual panels mention "${input.topic}". Try /usual on its own.`);
  }
  const suggestionLines = suggestions.map((s) => `  – ${s}`);
  return {
    ...ran,
    text: [ran.text, ...notes, ...suggestionLines].filter(Boolean).join('\n'),
    notes,
    suggestions,
    timings: {
      choose: round(chosen - start),
      run: ran.timings.run,
      render: ran.timings.render,
      total: round(performance.now() - start),
    },
  };
}

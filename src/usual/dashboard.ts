import type { PipelineServices } from '../pipeline/index.ts';
import { choosePanels, type PanelSource } from './choosePanels.ts';
import { renderPanels } from './panelImage.ts';
import { panelLine } from './panelText.ts';
import { type PanelRunContext, panelSchema, runPanels, type UsualPanel } from './runPanels.ts';
import { suggestQuestions } from './suggestions.ts';

// `/usual` (docs/architecture.md#usual-and-digests): the person's dashboard learned from their last
// 30 days — one message of panels (a line each) and one combined image. With too little history it
// says so and offers questions that fit the schema.

/** Panels run and drawn: what a digest posts. */
export interface RanDashboard {
  panels: UsualPanel[];
  /** One line per panel: title, headline and change. */
  text: string;
  /** All panels in one image; null when there are no panels. */
  png: Buffer | null;
  notes: string[];
  timings: { run: number; render: number };
}

export interface UsualDashboard extends Omit<RanDashboard, 'timings'> {
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
  /** Draw the panels' image (default); agents reading rows skip it. */
  image?: boolean;
}

/** Fewer distinct plans than this and /usual offers suggestions. */
export const MIN_DISTINCT_PLANS = 3;

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** Runs given panels and renders them: the part of /usual that digests repeat on a schedule. */
export async function runDashboard(
  services: PipelineServices,
  sources: PanelSource[],
  ctx: PanelRunContext,
  image = true,
): Promise<RanDashboard> {
  const runStart = performance.now();
  const run = await runPanels(services, sources, ctx);
  const renderStart = performance.now();
  const options = { locale: ctx.locale, timeZone: ctx.timeZone };
  const png = image && run.panels.length ? await renderPanels(run.panels, options) : null;
  return {
    panels: run.panels,
    text: run.panels.map((p) => panelLine(p, options)).join('\n'),
    png,
    notes: run.notes,
    timings: { run: round(renderStart - runStart), render: round(performance.now() - renderStart) },
  };
}

async function suggestionsFor(services: PipelineServices, now?: Date): Promise<string[]> {
  return suggestQuestions(await panelSchema(services), now);
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
  const ran = await runDashboard(services, choice.panels, input, input.image ?? true);
  const notes = [...ran.notes];
  let suggestions: string[] = [];
  if (choice.distinct < MIN_DISTINCT_PLANS) {
    suggestions = await suggestionsFor(services, input.now);
    const why =
      choice.distinct === 0
        ? 'I have none of your questions from the last 30 days yet, so there is no usual dashboard to show.'
        : `I only have ${choice.distinct} kind${choice.distinct === 1 ? '' : 's'} of question from you in the last 30 days, so your usual dashboard is still short.`;
    const next = suggestions.length
      ? ' Ask a few of these and /usual will fill up:'
      : ' Ask me a few questions and /usual will fill up.';
    notes.unshift(why + next);
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

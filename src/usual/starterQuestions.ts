import type { PipelineServices } from '../pipeline/index.ts';
import { choosePanels } from './choosePanels.ts';
import { panelSchema } from './runPanels.ts';
import { suggestQuestions } from './suggestions.ts';

// Questions to offer someone who opens a new conversation with Quarry: what they ask most
// (their usual), then questions read from the schema, so a newcomer sees what works here.

export async function starterQuestions(
  services: PipelineServices,
  who: { teamId: string; userId: string; now?: Date },
  max: number,
): Promise<string[]> {
  const own = services.memory
    ? (await choosePanels(services.memory.db, { ...who, limit: max })).panels.map((p) => p.question)
    : [];
  const fromSchema = own.length < max ? suggestQuestions(await panelSchema(services), who.now) : [];
  return [...new Set([...own, ...fromSchema])].slice(0, max);
}

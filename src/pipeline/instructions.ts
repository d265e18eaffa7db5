import { tokenize } from '../language/text.ts';
import { recordFeedback } from '../memory/feedback.ts';
import type { MemoryServices } from '../memory/memoryServices.ts';
import { retirePatternsMentioning } from '../memory/patterns.ts';
import { defineTerm, listDefinitions, removeDefinition } from '../memory/teamDefinitions.ts';
import { findMentions } from './planner/mentions.ts';
import type { SchemaLexicon } from './planner/schemaLexicon.ts';

// Things people tell Quarry rather than ask it: a team definition ("remember that revenue means
// completed orders only"), forgetting one, listing them, and "that's wrong" about the last
// answer in the thread.

export type Instruction =
  | { kind: 'define'; term: string; meaning: string }
  | { kind: 'forget'; term: string }
  | { kind: 'list' }
  | { kind: 'wrong' };

const DEFINE =
  /^(?:please\s+)?(?:remember|note|from now on|define|fyi)[,:]?\s+(?:that\s+)?["'“]?([\p{L}][\p{L}\s-]{0,40}?)["'”]?\s+(?:means|is defined as|refers to|should mean|=)\s+(.+?)[.!]?$/iu;
const FORGET =
  /^(?:please\s+)?(?:forget|remove|delete|drop)\s+(?:the\s+)?(?:team\s+)?definition\s+(?:of|for)\s+["'“]?(.+?)["'”]?[.!]?$|^forget\s+what\s+["'“]?(.+?)["'”]?\s+means[.!]?$/iu;
const LIST =
  /^(?:what|which|list|show)(?:\s+me)?(?:\s+are|\s+do)?(?:\s+(?:the|our|my|your))?(?:\s+team)?\s+definitions\b/i;
const WRONG = /^(?:no[,.]?\s+)?(?:that'?s|that is|this is|it'?s)?\s*(?:wrong|incorrect|not right)\b/i;

export function readInstruction(text: string): Instruction | null {
  const t = text.trim();
  const define = DEFINE.exec(t);
  if (define) return { kind: 'define', term: define[1]!.trim().toLowerCase(), meaning: define[2]!.trim() };
  const forget = FORGET.exec(t);
  if (forget) return { kind: 'forget', term: (forget[1] ?? forget[2])!.trim().toLowerCase() };
  if (LIST.test(t)) return { kind: 'list' };
  if (WRONG.test(t)) return { kind: 'wrong' };
  return null;
}

export interface InstructionContext {
  teamId: string;
  userId: string;
  lexicon: SchemaLexicon;
  /** The thread's last answer, for "that's wrong". */
  lastAnswerId?: string;
}

/** Carries out the instruction; returns the sentence to reply with. */
export async function applyInstruction(
  memory: MemoryServices,
  i: Instruction,
  ctx: InstructionContext,
): Promise<string> {
  switch (i.kind) {
    case 'define': {
      const values = findMentions(tokenize(i.meaning), ctx.lexicon).flatMap((m) =>
        m.schema
          .filter((r) => r.kind === 'value')
          .map((r) => (r.kind === 'value' ? `${r.ref.column} = ${r.value}` : '')),
      );
      await defineTerm(memory.db, {
        teamId: ctx.teamId,
        term: i.term,
        definition: i.meaning,
        createdBy: ctx.userId,
      });
      await retirePatternsMentioning(memory.db, ctx.teamId, i.term);
      const effect = values.length
        ? `Answers that mention "${i.term}" will use ${[...new Set(values)].join(', ')}.`
        : `I couldn't match "${i.meaning}" to values in your data yet, so it won't change answers until it names some (for example a status).`;
      return `Got it: for everyone in your team, "${i.term}" means ${i.meaning}. ${effect} Say "forget the definition of ${i.term}" to remove it.`;
    }
    case 'forget': {
      const removed = await removeDefinition(memory.db, ctx.teamId, i.term);
      // Remembered answers that applied the definition must be planned afresh.
      await retirePatternsMentioning(memory.db, ctx.teamId, i.term);
      return removed
        ? `Done: "${i.term}" has no special meaning any more.`
        : `Your team has no definition of "${i.term}".`;
    }
    case 'list': {
      const defs = await listDefinitions(memory.db, ctx.teamId);
      if (!defs.length)
        return 'Your team has no definitions yet. Teach one with "remember that revenue means completed orders only".';
      return `Your team's definitions: ${defs.map((d) => `"${d.term}" means ${d.definition}`).join('; ')}.`;
    }
    case 'wrong': {
      if (!ctx.lastAnswerId) return 'There is no earlier answer in this thread to mark as wrong.';
      await recordFeedback(memory.db, {
        teamId: ctx.teamId,
        userId: ctx.userId,
        answerId: ctx.lastAnswerId,
        rating: 'down',
      });
      return "Thanks — I've marked that answer as wrong, so I won't reuse it from memory. Tell me what was off (for example which status or period you meant) and I'll try again.";
    }
  }
}

import type { Definition } from '../language/hints.ts';
import type { TeamKnowledge } from './teamKnowledge.ts';

// The knowledge file's definitions beside the ones made in chat and in the question: the
// file's win for a word both define, since the data team reviews the file.

export function withFileDefinitions(k: TeamKnowledge | undefined, others: Definition[]): Definition[] {
  if (!k) return others;
  return [...k.definitions, ...others.filter((d) => !k.terms.has(d.term))];
}

/** What the model is told of the file: every definition (the exact SQL of a measure with it)
 *  and the verified questions, its first examples. */
export function modelKnowledge(
  k: TeamKnowledge | undefined,
  definitions: Definition[] = [],
): { definitions: Definition[]; verified: { question: string; sql: string }[] } {
  const measures = (k?.measures ?? []).map((m) => ({
    term: m.term,
    meaning: `${m.means}; exactly ${m.sql}`,
    source: 'team' as const,
  }));
  const verified = (k?.verified ?? [])
    .filter((v) => !v.setAside)
    .map((v) => ({ question: v.question, sql: v.sql }));
  return { definitions: [...measures, ...definitions], verified };
}

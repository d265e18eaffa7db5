import { tokenize } from '../../../language/text.ts';
import type { Interpretation } from '../interpretation.ts';
import { findMentions } from '../mentions.ts';

// Definitions ("revenue means completed orders only", the team's or the question's own): the
// values their meaning names become filters, said as assumptions.

export function readDefinitions(it: Interpretation) {
  for (const d of it.definitions) {
    const termWords = tokenize(d.term).map((t) => t.norm);
    const present = termWords.length > 0 && termWords.every((w) => it.words.includes(w));
    if (!present) continue;
    const meaning = tokenize(d.meaning);
    const ms = findMentions(meaning, it.lexicon);
    const added: string[] = [];
    for (const m of ms) {
      const v = m.schema.find((x) => x.kind === 'value');
      if (v?.kind === 'value') {
        const negated = it.prev(m)?.negation || ms[ms.indexOf(m) - 1]?.negation;
        it.filters.push({ ref: v.ref, op: negated ? '<>' : '=', value: v.value });
        added.push(`${v.ref.column} ${negated ? '≠' : '='} ${v.value}`);
      }
    }
    if (added.length) {
      it.assumptions.push(
        `"${d.term}" means ${d.meaning} (${d.source === 'team' ? "your team's definition" : 'as you said'}): ${added.join(', ')}`,
      );
    }
  }
}

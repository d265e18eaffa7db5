import type { QueryPlan } from '../domain/types.ts';
import { identifierWords, singular } from '../language/text.ts';

// `/usual sales` keeps the panels about sales: every word of the topic must appear in the
// panel's title, its question, or the names its plan uses (measures, groupings, tables,
// columns, filter values), compared in singular lower case.

function words(text: string): string[] {
  return identifierWords(text).map(singular);
}

function planWords(plan: QueryPlan): string[] {
  const names: string[] = [plan.baseTable.split('.').pop() ?? ''];
  for (const m of plan.measures) {
    names.push(m.as);
    if (m.expr.kind === 'column') names.push(m.expr.ref.table, m.expr.ref.column);
    else if (m.expr.kind === 'rows') names.push(m.expr.table);
    else if (m.expr.kind === 'related') names.push(m.expr.table, m.expr.rows);
    else for (const r of m.expr.refs) names.push(r.table, r.column);
  }
  for (const d of plan.dimensions) names.push(d.as, d.ref.table, d.ref.column);
  for (const f of plan.filters) {
    names.push(f.ref.column);
    for (const v of [f.value ?? []].flat()) names.push(String(v));
  }
  return names.flatMap(words);
}

export function topicWords(topic: string): string[] {
  return words(topic);
}

export function mentionsTopic(
  topic: string,
  panel: { title: string; question: string; plan: QueryPlan },
): boolean {
  const wanted = topicWords(topic);
  if (wanted.length === 0) return true;
  const seen = new Set([...words(panel.title), ...words(panel.question), ...planWords(panel.plan)]);
  return wanted.every((w) => seen.has(w));
}

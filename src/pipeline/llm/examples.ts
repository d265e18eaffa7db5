import type { SchemaInfo } from '../../domain/types.ts';
import type { SimilarPattern } from '../../memory/patterns.ts';
import { checkPlan } from './checkPlan.ts';
import { modelPlan } from './replyShape.ts';
import { countTokens } from './tokens.ts';

// Few-shot examples from memory: the most similar questions this team answered successfully,
// with the plan that answered them, written exactly as the model is asked to reply.

const MAX_EXAMPLES = 3;

function fitsSchema(p: SimilarPattern, schema: SchemaInfo): boolean {
  if (p.plan.sql) return true;
  // A plan the reply shape cannot carry (a count per related row) is no example to copy.
  const written = modelPlan.safeParse(p.plan);
  if (!written.success) return false;
  try {
    checkPlan(written.data, schema);
    return true;
  } catch {
    return false;
  }
}

export function chooseExamples(patterns: SimilarPattern[], schema: SchemaInfo): SimilarPattern[] {
  const seen = new Set<string>();
  return [...patterns]
    .filter((p) => p.successCount > 0 && p.successRate >= 0.5 && fitsSchema(p, schema))
    .sort((a, b) => b.similarity - a.similarity)
    .filter((p) => {
      const key = p.question.trim().toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, MAX_EXAMPLES);
}

type Example = Pick<SimilarPattern, 'question' | 'plan'>;

function renderExample(p: Example): string {
  const { sql, ...plan } = p.plan;
  const reply = sql ? { action: 'sql', sql } : { action: 'plan', plan };
  return `Q: ${p.question}\nA: ${JSON.stringify(reply)}`;
}

/** The examples, most similar first, as many as fit `maxTokens`. */
export function renderExamples(examples: Example[], maxTokens: number): string {
  const out: string[] = [];
  let used = 0;
  for (const e of examples) {
    const text = renderExample(e);
    const cost = countTokens(text) + 1;
    if (used + cost > maxTokens) continue;
    used += cost;
    out.push(text);
  }
  return out.join('\n');
}

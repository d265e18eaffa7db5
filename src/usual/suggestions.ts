import pluralize from 'pluralize';
import type { ColumnInfo, QueryPlan, SchemaInfo, TableInfo } from '../domain/types.ts';
import { CONFIDENCE_THRESHOLD, planOffline } from '../pipeline/index.ts';
import { eventTimeColumn, isMoneyColumn, isUnitPrice } from '../pipeline/planner/columnRoles.ts';
import { columnWords, tableWords } from '../pipeline/planner/schemaLexicon.ts';

// Questions to start a /usual with, read from the schema at hand (never from the demo's
// names): the total of the main money column last month, a count by the most telling
// category, and a monthly trend. Each is checked with the offline planner, so only questions
// Quarry will understand — and understand as meant — are offered.

const MAX_CATEGORIES = 20;

interface MoneyPick {
  table: TableInfo;
  column: ColumnInfo;
  /** "order total", "invoice amount". */
  phrase: string;
}

function byRows(a: TableInfo, b: TableInfo): number {
  return b.rowEstimate - a.rowEstimate;
}

/** The money column of the busiest table that records when its rows happened. */
function mainMoney(schema: SchemaInfo): MoneyPick | undefined {
  for (const table of [...schema.tables].sort(byRows)) {
    if (!eventTimeColumn(table)) continue;
    const column = table.columns.find((c) => isMoneyColumn(table, c) && !isUnitPrice(c));
    if (!column) continue;
    const tWords = tableWords(table);
    const cWords = columnWords(column).filter((w) => !tWords.includes(w));
    return { table, column, phrase: [tWords.at(-1) ?? table.name, ...cWords].join(' ') };
  }
  return undefined;
}

/** The busiest table's low-cardinality text column with the most distinct values. */
function mainCategory(schema: SchemaInfo): { table: TableInfo; column: ColumnInfo } | undefined {
  for (const table of [...schema.tables].sort(byRows)) {
    const categories = table.columns
      .filter((c) => c.kind === 'text' && (c.sampleValues?.length ?? 0) > 1)
      .filter((c) => (c.distinctEstimate ?? c.sampleValues!.length) <= MAX_CATEGORIES)
      .sort((a, b) => (b.sampleValues?.length ?? 0) - (a.sampleValues?.length ?? 0));
    if (categories[0]) return { table, column: categories[0] };
  }
  return undefined;
}

function usesColumn(plan: QueryPlan, table: string, column: string): boolean {
  return plan.measures.some(
    (m) => m.expr.kind === 'column' && m.expr.ref.table === table && m.expr.ref.column === column,
  );
}

function humanWords(c: ColumnInfo): string {
  return columnWords(c).join(' ');
}

/** "order items" for `order_items`, "invoices" for `tbl_invoice`. */
function plural(t: TableInfo): string {
  const words = tableWords(t);
  return [...words.slice(0, -1), pluralize.plural(words.at(-1) ?? t.name)].join(' ');
}

/** Up to three questions that plan on this schema, in the order to offer them. */
export function suggestQuestions(schema: SchemaInfo, now?: Date): string[] {
  const candidates: { question: string; fits: (p: QueryPlan) => boolean }[] = [];
  const money = mainMoney(schema);
  const category = mainCategory(schema);
  if (money) {
    const fits = (p: QueryPlan) => usesColumn(p, money.table.key, money.column.name);
    const phrase = money.phrase.charAt(0).toUpperCase() + money.phrase.slice(1);
    candidates.push({ question: `${phrase} last month`, fits });
  }
  if (category) {
    candidates.push({
      question: `How many ${plural(category.table)} by ${humanWords(category.column)}?`,
      fits: (p) =>
        p.baseTable === category.table.key &&
        p.dimensions.some((d) => d.ref.table === category.table.key && d.ref.column === category.column.name),
    });
  }
  if (money) {
    candidates.push({
      question: `Monthly ${money.phrase} over the last 12 months`,
      fits: (p) => usesColumn(p, money.table.key, money.column.name) && p.dimensions.some((d) => d.grain),
    });
  } else {
    const busiest = [...schema.tables].sort(byRows).find((t) => eventTimeColumn(t));
    if (busiest) {
      candidates.push({
        question: `How many ${plural(busiest)} per month over the last 12 months?`,
        fits: (p) => p.baseTable === busiest.key && p.dimensions.some((d) => d.grain),
      });
    }
  }
  return candidates
    .filter(({ question, fits }) => {
      try {
        const draft = planOffline(question, { schema, defaultLimit: 100, now });
        return draft.confidence >= CONFIDENCE_THRESHOLD && fits(draft.plan);
      } catch {
        return false;
      }
    })
    .map((c) => c.question);
}

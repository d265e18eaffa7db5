import type {
  ColumnInfo,
  ColumnRef,
  MeasureExpr,
  SchemaInfo,
  TableInfo,
  TableKey,
} from '../../domain/types.ts';
import { tokenize } from '../../language/text.ts';
import { MONEY_COLUMN_WORDS, QUANTITY_COLUMN_WORDS, UNIT_PRICE_WORDS } from '../../language/vocabulary.ts';
import { columnWords, tableWords } from './schemaLexicon.ts';

// What columns are for, read from names, types and comments: money, quantities, event times,
// labels. These roles let the planner answer "sales" or "when" on schemas it has never seen.

const CURRENCY_COMMENT =
  /\b(usd|eur|gbp|dollars?|euros?|pounds?|currency|money|revenue|price|amount|cents)\b|[$€£]/i;
const ID_LIKE = /(^|_)(id|uuid|key|code|zip|postcode|phone|year|month|day)$/i;

function isKeyColumn(t: TableInfo, c: ColumnInfo): boolean {
  return t.primaryKey.includes(c.name) || ID_LIKE.test(c.name) || /Id$/.test(c.name);
}

export function isMoneyColumn(t: TableInfo, c: ColumnInfo): boolean {
  if (c.kind !== 'number' || isKeyColumn(t, c)) return false;
  if (c.type === 'money') return true;
  const words = columnWords(c);
  if (words.some((w) => MONEY_COLUMN_WORDS.has(w))) return true;
  return Boolean(c.comment && CURRENCY_COMMENT.test(c.comment));
}

export function isQuantityColumn(t: TableInfo, c: ColumnInfo): boolean {
  if (c.kind !== 'number' || isKeyColumn(t, c)) return false;
  return columnWords(c).some((w) => QUANTITY_COLUMN_WORDS.has(w));
}

export function isUnitPrice(c: ColumnInfo): boolean {
  const words = columnWords(c);
  return words.some((w) => UNIT_PRICE_WORDS.has(w)) && !words.includes('total');
}

export interface MoneyCandidate {
  table: TableKey;
  expr: MeasureExpr;
  /** Human description for assumptions: "orders.total", "order_items.price × quantity". */
  label: string;
  /** Unit prices alone are attributes ("list price"), not money earned: weaker for "sales". */
  unitPriceOnly: boolean;
}

/** Money measures per table: a total-like column, or unit price × quantity on a line table. */
export function moneyCandidates(schema: SchemaInfo): MoneyCandidate[] {
  const out: MoneyCandidate[] = [];
  for (const t of schema.tables) {
    const money = t.columns.filter((c) => isMoneyColumn(t, c));
    const qty = t.columns.find((c) => isQuantityColumn(t, c));
    for (const c of money) {
      const ref: ColumnRef = { table: t.key, column: c.name };
      if (isUnitPrice(c) && qty) {
        out.push({
          table: t.key,
          expr: { kind: 'product', refs: [ref, { table: t.key, column: qty.name }] },
          label: `${t.name}.${c.name} × ${qty.name}`,
          unitPriceOnly: false,
        });
      } else {
        out.push({
          table: t.key,
          expr: { kind: 'column', ref },
          label: `${t.name}.${c.name}`,
          unitPriceOnly: isUnitPrice(c),
        });
      }
    }
  }
  return out;
}

const EVENT_TIME_WORDS = [
  'created',
  'date',
  'ordered',
  'placed',
  'occurred',
  'timestamp',
  'time',
  'at',
  'when',
  'started',
  'issued',
  'paid',
  'booked',
  'signup',
  'hired',
  'joined',
  'opened',
];
const NON_EVENT_TIME_WORDS = [
  'updated',
  'modified',
  'deleted',
  'birth',
  'dob',
  'expires',
  'expiry',
  'due',
  'end',
  'ended',
  'closed',
  'cancelled',
  'canceled',
  'last',
];

/** The column that says when a row happened, or undefined when the table has none. */
export function eventTimeColumn(t: TableInfo): ColumnInfo | undefined {
  let best: { c: ColumnInfo; score: number } | undefined;
  for (const c of t.columns) {
    if (c.kind !== 'timestamp' && c.kind !== 'date') continue;
    const words = columnWords(c);
    let score = 1;
    if (words.some((w) => EVENT_TIME_WORDS.includes(w))) score += 1;
    if (words.includes('created') || words.includes('ordered') || words.includes('placed')) score += 1;
    if (words.some((w) => NON_EVENT_TIME_WORDS.includes(w))) score -= 1.5;
    if (!c.nullable) score += 0.5;
    if (!best || score > best.score) best = { c, score };
  }
  return best?.c;
}

const LABEL_WORDS = [
  'name',
  'title',
  'label',
  'full',
  'display',
  'username',
  'email',
  'subject',
  'description',
  'number',
  'code',
  'reference',
  'ref',
  'sku',
];

/** The column that names a row for people ("products.name"), falling back to the key. */
export function labelColumn(t: TableInfo): ColumnInfo | undefined {
  const named = t.label ? t.columns.find((c) => c.name === t.label) : undefined;
  if (named) return named;
  const text = t.columns.filter((c) => c.kind === 'text');
  const tWords = tableWords(t);
  const scored = text.map((c) => {
    const words = columnWords(c);
    let score = 0;
    if (words.includes('name') || words.includes('title')) score += 3;
    if (words.some((w) => LABEL_WORDS.includes(w))) score += 1;
    if (words.some((w) => tWords.includes(w))) score += 0.5;
    if (c.sampleValues?.length) score -= 1; // low-cardinality: a category, not a name
    return { c, score };
  });
  scored.sort((a, b) => b.score - a.score);
  if (scored[0] && scored[0].score > 0) return scored[0].c;
  const pk = t.primaryKey[0];
  return t.columns.find((c) => c.name === pk) ?? text[0];
}

/** Whether a question's words mention the column through its comment (e.g. "signup"). */
export function commentMentions(c: ColumnInfo, words: Set<string>): boolean {
  if (!c.comment) return false;
  return tokenize(c.comment).some((tk) => words.has(tk.norm));
}

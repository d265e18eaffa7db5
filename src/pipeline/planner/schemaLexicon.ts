import { distance } from 'fastest-levenshtein';
import pluralize from 'pluralize';
import type { SchemaReading, TeamWord } from '../../domain/schemaReading.ts';
import type { ColumnInfo, ColumnRef, SchemaInfo, TableInfo, TableKey } from '../../domain/types.ts';
import { identifierWords, singular, stem, tokenize } from '../../language/text.ts';
import { ENTITY_SYNONYMS, GRAIN_WORDS, STOPWORDS, US_STATE_NAMES } from '../../language/vocabulary.ts';

// An index from words to the schema: tables by their names and synonyms, columns by their
// names and short comments, and values sampled from low-cardinality columns. Built once per
// schema fingerprint; every lookup is a map access.

// Name prefixes that carry no meaning ("tbl_orders", "dim_customer").
const NOISE_PREFIXES = new Set([
  'tbl',
  'tb',
  't',
  'app',
  'dim',
  'fact',
  'fct',
  'stg',
  'raw',
  'src',
  'v',
  'vw',
]);
// Column words too generic to point at a column on their own.
const GENERIC_COLUMN_WORDS = new Set([
  'id',
  'at',
  'on',
  'is',
  'has',
  'the',
  'of',
  'no',
  'num',
  'nr',
  'key',
  'ts',
  'flag',
  'type',
  'code',
  'date',
  'time',
  'name',
  'number',
  'value',
  'amount',
  'total',
]);

export function tableWords(t: TableInfo): string[] {
  const words = identifierWords(t.name).map(singular);
  while (words.length > 1 && NOISE_PREFIXES.has(words[0]!)) words.shift();
  return words;
}

/** The name of a count of a table's rows: "orders", "order_items", "categories". */
export function countAlias(t: TableInfo): string {
  const words = tableWords(t);
  return [...words.slice(0, -1), pluralize.plural(words.at(-1)!)].join('_');
}

/** A prefix most of a table's columns share ("il_" in il_id, il_type, il_amount): noise. */
export function columnPrefix(t: TableInfo): string | undefined {
  const counts = new Map<string, number>();
  for (const c of t.columns) {
    const m = /^([a-z]{1,4})_/i.exec(c.name);
    if (m) counts.set(m[1]!.toLowerCase(), (counts.get(m[1]!.toLowerCase()) ?? 0) + 1);
  }
  const [prefix, n] = [...counts].sort((a, b) => b[1] - a[1])[0] ?? [];
  return prefix && n !== undefined && t.columns.length >= 3 && n / t.columns.length >= 0.6
    ? prefix
    : undefined;
}

/** Words that make a column a count of something: `citation_num`, `num_pages`, `like_count`. */
const COUNT_WORDS = new Set(['num', 'number', 'count', 'cnt', 'no', 'n']);

/** What a number column counts, by its words (`citation_num`, `num_of_pages` → citation,
 *  page); nothing when it is not a count. */
function countedWords(c: ColumnInfo, words: string[]): string[] {
  if (c.kind !== 'number' || words.length < 2) return [];
  const counted = COUNT_WORDS.has(words[0]!)
    ? words.slice(1)
    : COUNT_WORDS.has(words.at(-1)!)
      ? words.slice(0, -1)
      : [];
  return counted.filter((w) => w !== 'of');
}

/** A number column that holds a count of something (`citation_num`, `review_count`). */
export function isCountColumn(c: ColumnInfo): boolean {
  return countedWords(c, identifierWords(c.name).map(singular)).length > 0;
}

export function columnWords(c: ColumnInfo, prefix?: string): string[] {
  const words = identifierWords(c.name).map(singular);
  return prefix && words.length > 1 && words[0] === prefix ? words.slice(1) : words;
}

export class SchemaLexicon {
  // phrase → (target → reading): a word shared by thousands of columns stays cheap to add to.
  private readonly index = new Map<string, Map<string, SchemaReading>>();
  readonly maxWords: number;
  readonly tables = new Map<TableKey, TableInfo>();
  private readonly tableNameWords: Set<string>;

  constructor(
    readonly schema: SchemaInfo,
    teamWords: readonly TeamWord[] = [],
  ) {
    let maxWords = 1;
    const add = (phrase: string, reading: SchemaReading) => {
      if (!phrase || STOPWORDS.has(phrase)) return;
      const readings = this.index.get(phrase) ?? new Map<string, SchemaReading>();
      const key = targetKey(reading);
      const same = readings.get(key);
      if (same) same.score = Math.max(same.score, reading.score);
      else readings.set(key, reading);
      this.index.set(phrase, readings);
      maxWords = Math.max(maxWords, phrase.split(' ').length);
    };
    // Words that name tables stay table words: a comment saying "units of the product" must
    // not make "product" read as the quantity column.
    this.tableNameWords = new Set(schema.tables.flatMap((t) => tableWords(t)));
    const keyColumns = new Set(
      schema.foreignKeys.flatMap((fk) => fk.fromColumns.map((c) => `${fk.fromTable}.${c}`)),
    );
    for (const t of schema.tables) {
      this.tables.set(t.key, t);
      const words = tableWords(t);
      add(words.join(' '), { kind: 'table', table: t.key, score: 1 });
      // A view is a table someone named: used when the question names it, but its words and
      // columns lose every tie to the base tables it repeats.
      const weight = t.kind === 'view' || t.kind === 'materialized_view' ? 0.5 : 1;
      const addWeighted = (phrase: string, r: SchemaReading) =>
        add(phrase, { ...r, score: r.score * weight });
      const head = words[words.length - 1]!;
      if (words.length > 1) addWeighted(head, { kind: 'table', table: t.key, score: 0.6 });
      for (const syn of ENTITY_SYNONYMS[head] ?? [])
        addWeighted(syn, { kind: 'table', table: t.key, score: 0.7 });
      for (const c of t.columns)
        this.addColumn(
          t,
          c,
          addWeighted,
          keyColumns.has(`${t.key}.${c.name}`) || t.primaryKey.includes(c.name),
        );
    }
    for (const w of teamWords) add(w.phrase, w.reading);
    this.maxWords = maxWords;
  }

  /** `citation_num`, `num_citations`, `citation_count` hold "the number of citations": that
   *  phrase reads as the column, unless a table of citations could be counted instead. */
  private addCountColumn(
    c: ColumnInfo,
    words: string[],
    ref: ColumnRef,
    add: (p: string, r: SchemaReading) => void,
  ) {
    const what = countedWords(c, words);
    if (!what.length || what.some((w) => this.tableNameWords.has(w))) return;
    for (const lead of ['number of', 'total number of', 'count of', 'no of'])
      add(`${lead} ${what.join(' ')}`, { kind: 'column', ref, score: 1 });
  }

  private addColumn(t: TableInfo, c: ColumnInfo, add: (p: string, r: SchemaReading) => void, isKey: boolean) {
    const ref = { table: t.key, column: c.name };
    const words = columnWords(c, columnPrefix(t));
    const tWords = tableWords(t);
    add(words.join(' '), { kind: 'column', ref, score: 1 });
    // A key column ("customer_id") stands for the table it points at, which the table's own
    // name already finds; its words alone must not read as this column.
    if (isKey || /(^|_)id$|[a-z]Id$|ID$/.test(c.name)) return;
    this.addCountColumn(c, words, ref, add);
    // "product_name" is also reached by "name"; "unit_price" by "price".
    const significant = words.filter((w) => !GENERIC_COLUMN_WORDS.has(w) && !tWords.includes(w));
    if (words.length > 1) for (const w of significant) add(w, { kind: 'column', ref, score: 0.7 });
    // "cancellations" reaches cancelled_at, "starts" started_at.
    for (const w of significant) if (stem(w) !== w) add(stem(w), { kind: 'column', ref, score: 0.6 });
    // Generic single-word columns ("name", "total") still answer to their own word.
    if (words.length === 1 && GENERIC_COLUMN_WORDS.has(words[0]!))
      add(words[0]!, { kind: 'column', ref, score: 0.9 });
    // A column without the table's own prefix ("order_status" in orders → "status").
    const stripped = words.filter((w) => !tWords.includes(w));
    if (stripped.length && stripped.length < words.length)
      add(stripped.join(' '), { kind: 'column', ref, score: 0.9 });
    // The table's name run into the column's ("authorname" in author → "author name", "name").
    const joined = tWords.join('');
    const rest = words.length === 1 && words[0]!.startsWith(joined) ? words[0]!.slice(joined.length) : '';
    if (rest.length >= 3 && !/^(?:id|s)$/.test(rest)) {
      add([...tWords, singular(rest)].join(' '), { kind: 'column', ref, score: 1 });
      add(singular(rest), { kind: 'column', ref, score: 0.9 });
    }
    if (c.comment) {
      const commentWords = tokenize(c.comment)
        .map((tk) => tk.norm)
        .filter((w) => !STOPWORDS.has(w) && !(w in GRAIN_WORDS) && !/^\d/.test(w));
      // Short comments name the column ("signup time"); long ones describe it and are only hints.
      if (commentWords.length <= 3) add(commentWords.join(' '), { kind: 'column', ref, score: 0.8 });
      for (const w of commentWords)
        if (!this.tableNameWords.has(w)) add(w, { kind: 'column', ref, score: 0.4 });
    }
    const stateColumn = columnWords(c).includes('state');
    for (const v of [...(c.enumValues ?? []), ...(c.sampleValues ?? [])]) {
      if (typeof v !== 'string' || v.length < 2 || /^[\d\s.,:-]+$/.test(v) || v.length > 60) continue;
      // A state column keeping postal codes answers to the state's name ("California" → 'CA',
      // "Indiana" → 'IN', a code that is also a word).
      const stateName = stateColumn ? US_STATE_NAMES[v] : undefined;
      if (stateName) add(stateName, { kind: 'value', ref, value: v, score: 1 });
      const words = tokenize(v.replace(/_/g, ' ')).map((tk) => tk.norm);
      const norm = words.join(' ');
      if (!norm || STOPWORDS.has(norm)) continue;
      add(norm, { kind: 'value', ref, value: v, score: 1 });
      // "trial" finds 'trialing', "cancel" finds 'cancelled'.
      if (words.length === 1 && stem(norm) !== norm)
        add(stem(norm), { kind: 'value', ref, value: v, score: 0.9 });
    }
  }

  /** Readings for a phrase of normal-form words; tries verb/adjective stems too ("ordered"). */
  lookup(words: string[]): SchemaReading[] {
    const direct = this.index.get(words.join(' '));
    if (direct) return [...direct.values()];
    if (words.length !== 1) return [];
    const w = words[0]!;
    // "in" is not a stem of the name "Ines".
    if (STOPWORDS.has(w)) return [];
    for (const variant of [stem(w), `${stem(w)}e`, w.replace(/er$/, '')]) {
      const hit = this.index.get(variant);
      if (hit && variant !== w) return [...hit.values()].map((r) => ({ ...r, score: r.score * 0.8 }));
    }
    return [];
  }

  /** The schema's one-word names closest in spelling to `word` ("categry" → "category"),
   *  nearest first: one edit for short words, two from eight letters. */
  similarWords(word: string, limit: number): string[] {
    if (word.length < 4) return [];
    const allowed = word.length >= 8 ? 2 : 1;
    const near: { w: string; d: number }[] = [];
    for (const phrase of this.index.keys()) {
      if (phrase.includes(' ') || phrase === word || Math.abs(phrase.length - word.length) > allowed)
        continue;
      const d = distance(phrase, word);
      if (d <= allowed) near.push({ w: phrase, d });
    }
    return near
      .sort((a, b) => a.d - b.d || a.w.localeCompare(b.w))
      .slice(0, limit)
      .map((x) => x.w);
  }

  table(key: TableKey): TableInfo {
    const t = this.tables.get(key);
    if (!t) throw new Error(`unknown table ${key}`);
    return t;
  }

  column(ref: ColumnRef): ColumnInfo | undefined {
    return this.tables.get(ref.table)?.columns.find((c) => c.name === ref.column);
  }
}

function targetKey(r: SchemaReading): string {
  if (r.kind === 'table') return `t\u0000${r.table}`;
  const col = `${r.ref.table}\u0000${r.ref.column}`;
  return r.kind === 'column' ? `c\u0000${col}` : `v\u0000${col}\u0000${r.value}`;
}

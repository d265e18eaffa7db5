import type { ColumnRef, SchemaInfo, TableInfo, TableKey } from '../../../domain/types.ts';
import { pathTo, shortestPaths } from '../../compile/joinGraph.ts';
import { eventTimeColumn } from '../columnRoles.ts';
import type { Interpretation } from '../interpretation.ts';
import { columnReadings, tableReading } from '../readings.ts';

// Time: the column a period or a grain applies to.

/** The column that places rows in time for this question. */
export function timeColumn(
  it: Interpretation,
  root: TableKey,
  counted: TableKey | undefined,
): ColumnRef | undefined {
  const lex = it.lexicon;
  // A time column named in the question ("by signup date").
  for (const m of it.mentions) {
    const r = columnReadings(m).find((x) => {
      const k = lex.column(x)?.kind;
      return k === 'timestamp' || k === 'date';
    });
    if (r && !it.dims.some((d) => d.ref.column === r.column && d.ref.table === r.table)) {
      it.use(m);
      // "invoices not paid last month": by the payment date, nothing unpaid has one.
      const negation = it.prev(m);
      if (negation?.negation && negation.end === m.start)
        it.unplaced.push({ text: `${negation.text} ${m.text}`, what: 'negation' });
      return r;
    }
  }
  const fresh = it.mentions.find((m) => m.fresh);
  if (fresh) it.use(fresh);
  // An event of the counted entity named in the question ("customers who ordered last week").
  if (counted && !fresh) {
    const tree = shortestPaths(it.schema, root);
    for (const m of it.mentions) {
      const t = tableReading(m);
      if (!t || t === root) continue;
      const path = pathTo(tree, root, t);
      if (!path?.some((s) => s.direction === 'down')) continue;
      const c = eventTimeColumn(lex.table(t));
      if (c) {
        it.use(m);
        return { table: t, column: c.name };
      }
    }
  }
  const own = eventTimeColumn(lex.table(root));
  if (own) return { table: root, column: own.name };
  // The nearest referenced table with an event time; busier tables (more rows) record events.
  const tree = shortestPaths(it.schema, root);
  let best: { ref: ColumnRef; hops: number; rows: number } | undefined;
  for (const t of it.schema.tables) {
    const path = pathTo(tree, root, t.key);
    if (!path || path.some((s) => s.direction === 'down')) continue;
    const c = eventTimeColumn(t);
    if (!c) continue;
    const cand = {
      ref: { table: t.key, column: c.name },
      hops: path.length,
      rows: t.rowEstimate + (hasOutgoingKeys(it.schema, t) ? 1 : 0),
    };
    if (!best || cand.hops < best.hops || (cand.hops === best.hops && cand.rows > best.rows)) best = cand;
  }
  return best?.ref;
}

function hasOutgoingKeys(schema: SchemaInfo, t: TableInfo): boolean {
  return schema.foreignKeys.some((fk) => fk.fromTable === t.key);
}

import pluralize from 'pluralize';
import { countsPerRow } from '../../compile/joinGraph.ts';
import type { Interpretation, MeasurePick } from '../interpretation.ts';
import { tableReading } from '../readings.ts';
import { tableWords } from '../schemaLexicon.ts';

// An average over entities of how many rows each has ("average orders per customer").

/** "average number of items per order", "orders per customer on average": how many rows
 *  each order (customer) has, averaged over all of them, those with none as 0. Only counts
 *  of rows: an average of money per customer ("average order value per customer") stays asked. */
export function readPerEntityAverage(it: Interpretation): MeasurePick | undefined {
  const per = it.perEntity;
  const ms = it.mentions;
  if (!per || ms.some((m) => m.money || m.quantity)) return undefined;
  const rows = ms.find(
    (m) => !it.used.has(m) && m.start < per.per.start && tableReading(m) && tableReading(m) !== per.table,
  );
  const table = rows && tableReading(rows);
  if (!table || !countsPerRow(it.schema, per.table, table)) return undefined;
  for (const m of ms) if (m.agg === 'avg' || (m.count && m.start < rows.start)) it.use(m);
  it.use(rows, `average ${rows.text} per ${it.tableName(per.table)}`);
  it.unplaced.splice(it.unplaced.indexOf(per.doubt), 1);
  it.assumptions.push(
    `every ${pluralize.singular(it.tableName(per.table))} counted, those with no ${rows.text} as 0`,
  );
  const as = `${it.countAlias(table)}_per_${tableWords(it.lexicon.table(per.table)).join('_')}`;
  return { measure: { agg: 'avg', expr: { kind: 'related', table: per.table, rows: table }, as } };
}

import type { ColumnRef, Dimension, TableKey } from '../../domain/types.ts';
import { personNameColumns } from '../schema/entityLabels.ts';
import { identifyingKey } from '../schema/identity.ts';
import { datePartOf } from './calendar.ts';
import type { LowerContext } from './lowerContext.ts';
import type { SelectItem, Sql } from './selectTree.ts';

// The columns an answer is grouped by or lists: time buckets, people by their whole name, and
// the keys that keep entities of equal labels apart.

export function dimensionExpr(ctx: LowerContext, d: Dimension): Sql {
  const c = ctx.names.col(d.ref);
  if (d.grain) return `date_trunc('${d.grain}', ${c})`;
  if (d.part && isTimeColumn(ctx, d.ref)) return datePartOf(d.part, c);
  return d.entity ? (personName(ctx, d.ref) ?? c) : c;
}

export function isTimeColumn(ctx: LowerContext, ref: ColumnRef): boolean {
  const kind = ctx.names.table(ref.table).columns.find((c) => c.name === ref.column)?.kind;
  return kind === 'timestamp' || kind === 'date';
}

/** A listed column; a person's first (or last) name alone is their whole name. */
export function selectColumn(ctx: LowerContext, ref: ColumnRef): SelectItem {
  const select = ctx.plan.select ?? [];
  const name = personName(ctx, ref);
  const bothListed = select.some(
    (o) => o !== ref && o.table === ref.table && personNameColumns(ctx.names.table(o.table), o.column),
  );
  if (!name || bothListed) return { expr: ctx.names.col(ref) };
  return { expr: name, as: select.some((o) => o.column === 'name') ? ref.column : 'name' };
}

/** A person labelled by one of their name columns is shown by both: "Ada Lovelace". */
function personName(ctx: LowerContext, ref: ColumnRef): Sql | null {
  const parts = personNameColumns(ctx.names.table(ref.table), ref.column);
  if (!parts) return null;
  return `concat_ws(' ', ${parts.map((column) => ctx.names.col({ table: ref.table, column })).join(', ')})`;
}

/** Entity dimensions group by the entity's key as well, so equal labels stay apart. Rows that
 *  each belong to one measured row (a business's neighbourhood) are grouped by what they say:
 *  by their own key every group would hold one row. (A table referring to itself, employees to
 *  their manager, owns nothing of itself.) */
export function entityKeys(ctx: LowerContext): Sql[] {
  const ownedByRoot = (t: TableKey) =>
    t !== ctx.root && ctx.schema.foreignKeys.some((fk) => fk.fromTable === t && fk.toTable === ctx.root);
  return ctx.plan.dimensions
    .filter((d) => d.entity && !ownedByRoot(d.ref.table))
    .flatMap((d) =>
      identifyingKey(ctx.names.table(d.ref.table)).map((k) =>
        ctx.names.col({ table: d.ref.table, column: k }),
      ),
    );
}

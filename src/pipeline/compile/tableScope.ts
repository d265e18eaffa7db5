import type { ColumnRef, SchemaInfo, TableInfo, TableKey } from '../../domain/types.ts';
import { NotUnderstood } from '../../errors.ts';
import type { JoinStep } from './joinGraph.ts';
import { quoteIdent, quoteTable } from './quote.ts';
import type { Join, Source, Sql } from './selectTree.ts';

// The names one statement writes its tables and columns with. A table's alias is given on
// first use, so two tables of the same name in different schemas get the schema-qualified
// alias in the order the statement first mentions them.

export class TableScope {
  private readonly tables = new Map<TableKey, TableInfo>();
  private readonly aliases = new Map<TableKey, string>();

  constructor(private readonly schema: SchemaInfo) {
    for (const t of schema.tables) this.tables.set(t.key, t);
  }

  table(key: TableKey): TableInfo {
    const t = this.tables.get(key);
    if (!t) throw new NotUnderstood(`I can't find the table ${key} any more; the schema may have changed.`);
    return t;
  }

  alias(key: TableKey): Sql {
    const existing = this.aliases.get(key);
    if (existing) return existing;
    const t = this.table(key);
    const taken = new Set(this.aliases.values());
    let name = quoteIdent(t.name);
    if (taken.has(name)) name = quoteIdent(`${t.schema}_${t.name}`);
    this.aliases.set(key, name);
    return name;
  }

  col(ref: ColumnRef): Sql {
    const t = this.table(ref.table);
    if (!t.columns.some((c) => c.name === ref.column)) {
      throw new NotUnderstood(
        `I can't find the column ${ref.column} in ${t.name}; the schema may have changed.`,
      );
    }
    return `${this.alias(ref.table)}.${quoteIdent(ref.column)}`;
  }

  /** The table as FROM or JOIN names it: schema-qualified when its name is ambiguous or it is
   *  off the search path. */
  source(key: TableKey): Source {
    const t = this.table(key);
    const duplicated = this.schema.tables.filter((o) => o.name === t.name).length > 1;
    const name = duplicated
      ? `${quoteIdent(t.schema)}.${quoteIdent(t.name)}`
      : quoteTable(t.schema, t.name, this.schema.searchPath);
    return { table: key, name, alias: this.alias(key) };
  }

  /** The key columns of the step's foreign key, equal. */
  joinCondition(step: JoinStep): Sql {
    const { fk } = step;
    return fk.fromColumns
      .map(
        (c, i) =>
          `${this.col({ table: fk.fromTable, column: c })} = ${this.col({ table: fk.toTable, column: fk.toColumns[i]! })}`,
      )
      .join(' AND ');
  }

  join(step: JoinStep): Join {
    // Following a nullable reference keeps the rows that have none (LEFT JOIN).
    const from = this.table(step.fk.fromTable);
    const nullable =
      step.direction === 'up' &&
      step.fk.fromColumns.some((c) => from.columns.find((x) => x.name === c)?.nullable);
    const source = this.source(step.to);
    return { kind: nullable ? 'left' : 'inner', source, on: this.joinCondition(step) };
  }
}

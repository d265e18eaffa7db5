import { measureTable } from '../../domain/planParts.ts';
import type { QueryPlan, Scalar, SchemaInfo, TableKey } from '../../domain/types.ts';
import { NotUnderstood } from '../../errors.ts';
import { identifyingKey } from '../schema/identity.ts';
import { JoinPaths, type JoinStep } from './joinGraph.ts';
import type { Sql } from './selectTree.ts';
import { SqlWriter } from './sqlWriter.ts';
import { TableScope } from './tableScope.ts';

// What every part of lowering one plan shares: the plan, the table its measures are taken
// over (the root of every join path), the names of its tables and the values bound so far.

export class LowerContext {
  readonly names: TableScope;
  readonly writer = new SqlWriter();
  /** The measured table: join paths start here, and it is the table fan-out is judged from. */
  readonly root: TableKey;
  private readonly paths: JoinPaths;

  constructor(
    readonly plan: QueryPlan,
    readonly schema: SchemaInfo,
  ) {
    this.names = new TableScope(schema);
    const measureTables = [...new Set(plan.measures.map((m) => measureTable(m.expr)))];
    if (measureTables.length > 1) {
      throw new NotUnderstood(
        'I can only combine measures from one table in a single answer. Ask for them one at a time.',
        [],
        `measures on ${measureTables.join(', ')}`,
      );
    }
    this.root = measureTables[0] ?? plan.baseTable;
    this.names.table(this.root);
    this.paths = new JoinPaths(schema);
  }

  param(value: Scalar): Sql {
    return this.writer.param(value);
  }

  pathTo(table: TableKey): JoinStep[] {
    const path = this.paths.between(this.root, table, this.plan.via);
    if (path) return path;
    throw new NotUnderstood(
      `I can't tell how ${this.names.table(table).name} and ${this.names.table(this.root).name} are connected in this database, so I can't combine them; try asking about each on its own.`,
      [],
      `no join path ${this.root} → ${table}`,
    );
  }

  /** The root's identifying columns: what tells its rows apart under a fan-out. */
  rootKey(): Sql[] {
    return identifyingKey(this.names.table(this.root)).map((c) =>
      this.names.col({ table: this.root, column: c }),
    );
  }
}

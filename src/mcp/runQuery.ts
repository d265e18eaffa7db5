import { checkAccess } from '../access/checkAccess.ts';
import { capResultBytes, sizeCapNote } from '../access/resultSize.ts';
import { deniedRelationNames } from '../access/rules.ts';
import type { PipelineServices } from '../pipeline/answer.ts';
import { executeReadOnly } from '../pipeline/execute.ts';
import { guardSql } from '../pipeline/guard.ts';
import { loadSchema } from '../pipeline/schema.ts';
import type { Cell } from '../pipeline/types.ts';

// An agent's own SQL gets no trust a model's SQL does not: the same parser guard, access rules,
// READ ONLY execution and row and byte caps. Refusals are thrown as the guard's UnsafeSql.

export interface QueryResult {
  sql: string;
  columns: string[];
  rows: Cell[][];
  row_count: number;
  truncated: boolean;
  notes: string[];
}

export async function runAgentQuery(services: PipelineServices, sql: string): Promise<QueryResult> {
  const { maxRows, statementTimeoutMs } = services.limits;
  const { schema } = await loadSchema(services.target, services.schemaLayers, { access: services.access });
  const guarded = await guardSql(sql, {
    maxRows,
    deniedRelations: services.access && deniedRelationNames(services.access),
  });
  await checkAccess(guarded.sql, services.access, schema);
  const result = await executeReadOnly(services.target, guarded.sql, [], {
    timeoutMs: statementTimeoutMs,
    maxRows,
  });
  const maxBytes = services.limits.maxResultBytes ?? Number.POSITIVE_INFINITY;
  const sized = capResultBytes(result.rows, maxBytes);
  return {
    sql: guarded.sql,
    columns: result.columns.map((c) => c.name),
    rows: sized.rows,
    row_count: sized.rows.length,
    truncated: result.truncated || sized.cut,
    notes: sized.cut ? [sizeCapNote(sized.rows.length, maxBytes)] : [],
  };
}

import { capResultBytes, sizeCapNote } from '../access/resultSize.ts';
import { deniedRelationNames } from '../access/rules.ts';
import type { Answer, AnswerSource, QueryPlan, SchemaInfo } from '../domain/types.ts';
import { isQuarryError } from '../errors.ts';
import { DEFAULT_PREFERENCES } from '../memory/profiles.ts';
import { compilePlan, rowLimit } from './compile.ts';
import { countPlanRows } from './countRows.ts';
import { executeReadOnly } from './execute.ts';
import { checkAccess } from './guard/checkAccess.ts';
import { qualifyTables } from './guard/qualifyTables.ts';
import { checkReadDependencies } from './guard/readDependencies.ts';
import { guardSql } from './guard.ts';
import type { AskContext, PipelineServices } from './services.ts';
import { timed } from './stages.ts';

// The runner: a plan, whoever made it, is compiled, guarded, checked against the access rules,
// run read-only behind the breakers, capped in rows and bytes, and counted when it was cut.

/** The schema an unqualified table name resolves to: the first on the search path having it. */
function schemaOfTable(schema: SchemaInfo, name: string): string | undefined {
  const path = schema.searchPath.length > 0 ? schema.searchPath : ['public'];
  return path.find((s) => schema.tables.some((t) => t.schema === s && t.name === name));
}

/** Compiles, guards and runs a plan, filling the answer's SQL, columns and rows. */
export async function runPlan(
  services: PipelineServices,
  answer: Answer,
  ctx: AskContext,
  schema: SchemaInfo,
  plan: QueryPlan,
  source: AnswerSource,
): Promise<void> {
  const { maxRows, statementTimeoutMs } = services.limits;
  const limits = { defaultLimit: ctx.defaultLimit ?? DEFAULT_PREFERENCES.default_limit, maxRows };
  const compiled = await timed(answer, 'guard', ctx, async () => {
    const c = compilePlan(plan, schema, limits);
    const guarded = await guardSql(c.text, {
      maxRows,
      deniedRelations: services.access && deniedRelationNames(services.access),
      parameters: c.params.length,
    });
    await checkAccess(guarded.sql, services.access, schema);
    // Run with only pg_catalog on the search path (see docs/architecture.md#the-guard): tables
    // carry their schema.
    const qualified = qualifyTables(guarded.sql, (name) => schemaOfTable(schema, name));
    return { ...c, text: qualified.sql, tables: qualified.tables };
  });
  answer.plan = plan;
  answer.source = source;
  answer.sql = compiled.sql;
  const read = () =>
    executeReadOnly(services.target, compiled.text, compiled.params, {
      timeoutMs: statementTimeoutMs,
      maxRows,
      timeZone: ctx.timeZone,
      tablesQualified: true,
      maxBytes: services.limits.maxResultBytes,
      beforeRead: (s) => checkReadDependencies(s, compiled.tables, services.access),
    });
  const result = await timed(answer, 'execute', ctx, () =>
    services.timeouts ? services.timeouts.run(read, `${ctx.teamId}:${ctx.userId}`) : read(),
  );
  const maxBytes = services.limits.maxResultBytes ?? Number.POSITIVE_INFINITY;
  const sized = capResultBytes(result.rows, maxBytes);
  const bySize = sized.cut || result.cutBySize;
  if (bySize) answer.notes.push(sizeCapNote(sized.rows.length, maxBytes));
  answer.columns = result.columns;
  answer.rows = sized.rows;
  answer.rowCount = sized.rows.length;
  answer.truncated = result.truncated || sized.cut;
  if (answer.truncated) answer.truncatedBy = bySize ? 'size' : 'rows';
  const limit = plan.sql ? undefined : rowLimit(plan, limits);
  if (answer.truncated || (limit !== undefined && answer.rowCount >= limit)) {
    answer.totalRows = await timed(answer, 'count', ctx, () =>
      countPlanRows({
        target: services.target,
        schema,
        plan,
        maxRows,
        timeoutMs: statementTimeoutMs,
        access: services.access,
        timeZone: ctx.timeZone,
      }).catch((e: unknown) => {
        // The list is still right; its headline then says only that more may exist.
        services.log.warn({ kind: isQuarryError(e) ? e.kind : 'internal' }, 'rows not counted');
        return null;
      }),
    );
  }
}

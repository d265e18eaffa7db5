// Which table references in a statement name one of its CTEs, resolved by scope as PostgreSQL
// resolves them: a WITH covers its own SELECT (both arms of a set operation) and the queries
// nested in it; a CTE sees only the CTEs before it, unless the WITH is RECURSIVE. A CTE in an
// inner query never hides a real table of an outer one.

import { isObj, type Obj, walkNodes } from './walk.ts';

function cteList(withClause: Obj): { name: string; query: unknown }[] {
  const ctes = Array.isArray(withClause.ctes) ? withClause.ctes : [];
  return ctes.flatMap((item) => {
    const cte = isObj(item) && isObj(item.CommonTableExpr) ? item.CommonTableExpr : undefined;
    return cte && typeof cte.ctename === 'string' ? [{ name: cte.ctename, query: cte.ctequery }] : [];
  });
}

const widened = (scope: ReadonlySet<string>, names: string[]) =>
  names.length === 0 ? scope : new Set([...scope, ...names]);

/** Byte offsets of the table references (RangeVar nodes) that name a CTE in scope. */
export function cteReferences(root: unknown): Set<number> {
  const refs = new Set<number>();
  walkNodes<ReadonlySet<string>>(root, new Set(), (value, scope, push) => {
    if (typeof value.relname === 'string' && value.schemaname === undefined && scope.has(value.relname)) {
      refs.add(typeof value.location === 'number' ? value.location : 0);
    }
    const withClause = isObj(value.withClause) ? value.withClause : undefined;
    const ctes = withClause ? cteList(withClause) : [];
    const names = ctes.map((c) => c.name);
    ctes.forEach((cte, i) => {
      const visible = withClause?.recursive ? names : names.slice(0, i);
      push(cte.query, widened(scope, visible));
    });
    const inner = widened(scope, names);
    for (const [key, child] of Object.entries(value)) {
      if (key !== 'withClause') push(child, inner);
    }
  });
  return refs;
}

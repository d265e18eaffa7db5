import {
  ALLOWED_FUNCTIONS,
  ALLOWED_SQL_VALUE_FUNCTIONS,
  ALLOWED_TABLESAMPLE_METHODS,
} from './allowedFunctions.ts';
import { READ_ONLY_PREFIX, refuse, statementRefusal } from './refusals.ts';
import { isObj, type Obj, walkNodes } from './walk.ts';

// Walks a whole SELECT parse tree. Every node is visited, so a write hidden in a CTE, a
// subquery, a LATERAL join, ORDER BY or a FILTER clause is found; node types outside the
// list below are refused rather than trusted.

export interface RelationRef {
  schema?: string;
  name: string;
  /** Byte offset in the statement, to list relations in the order they were written. */
  location: number;
}

export interface Inspection {
  relations: RelationRef[];
  functions: string[];
}

export interface InspectOptions {
  /** Values bound to the statement: `$1…$n` may be used, a higher `$k` is refused. */
  parameters: number;
}

/** Parse-tree node types a read may contain. */
const ALLOWED_NODES = new Set([
  'SelectStmt',
  'ResTarget',
  'ColumnRef',
  'A_Star',
  'A_Const',
  'Integer',
  'Float',
  'Boolean',
  'String',
  'BitString',
  'List',
  'A_Expr',
  'BoolExpr',
  'NullTest',
  'BooleanTest',
  'FuncCall',
  'NamedArgExpr',
  'TypeCast',
  'TypeName',
  'CollateClause',
  'RangeVar',
  'JoinExpr',
  'RangeSubselect',
  'RangeFunction',
  /** Only as a column definition list of a record-returning function: `AS t(x int)`. */
  'ColumnDef',
  'RangeTableSample',
  'SubLink',
  'CaseExpr',
  'CaseWhen',
  'CoalesceExpr',
  'MinMaxExpr',
  'SQLValueFunction',
  'SortBy',
  'WindowDef',
  'WithClause',
  'CommonTableExpr',
  'CTESearchClause',
  'CTECycleClause',
  'Alias',
  'A_ArrayExpr',
  'A_Indirection',
  'A_Indices',
  'RowExpr',
  'GroupingSet',
  'GroupingFunc',
  'ParamRef',
  'JsonObjectConstructor',
  'JsonArrayConstructor',
  'JsonArrayQueryConstructor',
  'JsonAggConstructor',
  'JsonObjectAgg',
  'JsonArrayAgg',
  'JsonKeyValue',
  'JsonValueExpr',
  'JsonOutput',
  'JsonReturning',
  'JsonFormat',
  'JsonIsPredicate',
  'JsonFuncExpr',
  'JsonBehavior',
  'JsonArgument',
  'JsonParseExpr',
  'JsonScalarExpr',
  'JsonSerializeExpr',
  'JsonTable',
  'JsonTableColumn',
  'JsonTablePathSpec',
]);

/** The strings of a parse-tree name list (`[{String: {sval: 'pg_catalog'}}, …]`). */
function nameParts(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => {
    const s = isObj(item) && isObj(item.String) ? item.String.sval : undefined;
    return typeof s === 'string' ? s : '';
  });
}

/** A function's name with `pg_catalog.` dropped, or undefined when it lives in another schema. */
function builtinName(parts: string[]): string | undefined {
  if (parts.length === 1) return parts[0];
  if (parts.length === 2 && parts[0] === 'pg_catalog') return parts[1];
  return undefined;
}

function checkFunction(node: Obj, functions: string[]): void {
  const parts = nameParts(node.funcname);
  const written = parts.join('.');
  const name = builtinName(parts);
  if (name === undefined || !ALLOWED_FUNCTIONS.has(name)) {
    throw refuse(
      'function',
      `I don't run the function ${written}(): only everyday functions for counting, maths, text, dates and JSON are allowed.`,
      written,
    );
  }
  if (!functions.includes(name)) functions.push(name);
}

/** Types that turn a name into a catalog lookup: `'pg_authid'::regclass` reads the catalog. */
const CATALOG_LOOKUP_TYPES = new Set([
  'regclass',
  'regcollation',
  'regconfig',
  'regdictionary',
  'regnamespace',
  'regoper',
  'regoperator',
  'regproc',
  'regprocedure',
  'regrole',
  'regtype',
]);

/** Only PostgreSQL's own types: a type of another schema may be a domain whose CHECK runs code. */
function checkType(node: Obj): void {
  const parts = nameParts(node.names);
  const written = parts.join('.');
  const name = builtinName(parts);
  if (name === undefined) {
    throw refuse(
      'type',
      `This query uses the data type ${written}, which is not one of PostgreSQL's own.`,
      written,
    );
  }
  if (CATALOG_LOOKUP_TYPES.has(name)) {
    throw refuse(
      'system_catalog',
      `I don't look names up in the database's internal catalog (${name}); ask about your own data instead.`,
      written,
    );
  }
}

function checkParameter(node: Obj, options: InspectOptions): void {
  const number = typeof node.number === 'number' ? node.number : 0;
  if (number > options.parameters) {
    throw refuse(
      'parameter',
      'This query has a placeholder ($' +
        number +
        ') with no value for it; write the value into the query instead.',
      `$${number} with ${options.parameters} values`,
    );
  }
}

function checkNode(tag: string, node: Obj, found: Inspection, path: string, options: InspectOptions): void {
  if (tag.endsWith('Stmt') && tag !== 'SelectStmt') throw statementRefusal(tag, `at ${path}`, node);
  if (!ALLOWED_NODES.has(tag)) {
    throw refuse(
      'unsupported',
      'This query uses an SQL feature I do not run, for safety.',
      `${tag} at ${path}`,
    );
  }
  switch (tag) {
    case 'SelectStmt':
      if (node.intoClause) {
        throw refuse(
          'select_into',
          `${READ_ONLY_PREFIX}; this one tries to save its result as a new table (SELECT … INTO).`,
          `intoClause at ${path}`,
        );
      }
      if (Array.isArray(node.lockingClause) && node.lockingClause.length > 0) {
        throw refuse(
          'locking',
          `${READ_ONLY_PREFIX}; this one tries to lock rows (FOR UPDATE / FOR SHARE).`,
          `lockingClause at ${path}`,
        );
      }
      break;
    case 'FuncCall':
      checkFunction(node, found.functions);
      break;
    case 'A_Expr': {
      const op = nameParts(node.name);
      if (op.length > 1 && op[0] !== 'pg_catalog') {
        throw refuse('operator', 'This query uses an operator from outside the built-in set.', op.join('.'));
      }
      break;
    }
    case 'SQLValueFunction':
      if (!ALLOWED_SQL_VALUE_FUNCTIONS.has(String(node.op))) {
        throw refuse(
          'session_info',
          'This query asks about the database session (user, role or schema) rather than the data.',
          String(node.op),
        );
      }
      break;
    case 'RangeTableSample': {
      const method = nameParts(node.method).join('.');
      if (!ALLOWED_TABLESAMPLE_METHODS.has(method)) {
        throw refuse('tablesample', `I only sample tables with BERNOULLI or SYSTEM.`, method);
      }
      break;
    }
    case 'TypeName':
      checkType(node);
      break;
    case 'ParamRef':
      checkParameter(node, options);
      break;
  }
}

/** Visits every node of a parsed statement; throws UnsafeSql at the first thing not allowed. */
export function inspectSelect(root: Obj, options: InspectOptions): Inspection {
  const found: Inspection = { relations: [], functions: [] };
  walkNodes(root, 'statement', (value, path, push) => {
    // Any object naming a relation is one, wrapped as a RangeVar node or held in a typed field.
    if (typeof value.relname === 'string') {
      found.relations.push({
        schema: typeof value.schemaname === 'string' ? value.schemaname : undefined,
        name: value.relname,
        location: typeof value.location === 'number' ? value.location : 0,
      });
    }
    for (const [key, child] of Object.entries(value)) {
      if (!isObj(child)) continue;
      const isNodeTag = /^[A-Z]/.test(key) && !Array.isArray(child);
      const childPath = isNodeTag ? `${path} > ${key}` : path;
      if (isNodeTag) checkNode(key, child, found, path, options);
      // Type names sit in a `typeName` field (casts, column definition lists), untagged.
      else if (key === 'typeName') checkType(child);
      push(child, childPath);
    }
  });
  found.relations.sort((a, b) => a.location - b.location);
  found.functions.sort();
  return found;
}

import { UnsafeSql } from '../../errors.ts';

// Every refusal names a stable reason (the start of `detail`, for logs and tests) and says in
// plain words what the query tried to do.

export type RefusalReason =
  | 'empty'
  | 'too_long'
  | 'syntax'
  | 'multiple_statements'
  | 'not_a_select'
  | 'writes'
  | 'select_into'
  | 'locking'
  | 'function'
  | 'operator'
  | 'type'
  | 'parameter'
  | 'session_info'
  | 'tablesample'
  | 'system_catalog'
  | 'denied_relation'
  | 'unknown_table'
  | 'unsupported';

export function refuse(reason: RefusalReason, userMessage: string, detail: string): UnsafeSql {
  return new UnsafeSql(userMessage, `${reason}: ${detail}`);
}

const READ_ONLY = 'I only run read-only queries';

/** What a statement that changes rows tries to do, by parse-tree tag. */
const ROW_CHANGES: Record<string, string> = {
  InsertStmt: 'add rows',
  UpdateStmt: 'change rows',
  DeleteStmt: 'delete rows',
  MergeStmt: 'change rows',
};

/** Plain words for the other statements people paste, by parse-tree tag. */
const OTHER_STATEMENTS: Record<string, string> = {
  TruncateStmt: 'delete every row of a table',
  CopyStmt: 'copy data into or out of the server',
  VariableSetStmt: 'change session settings',
  VariableShowStmt: 'read server settings',
  AlterSystemStmt: 'change server settings',
  TransactionStmt: 'control transactions',
  DoStmt: 'run code on the server',
  CallStmt: 'run code on the server',
  CreateFunctionStmt: 'run code on the server',
  ExplainStmt: 'explain or profile a statement',
  ListenStmt: 'wait for notifications',
  NotifyStmt: 'send notifications',
  UnlistenStmt: 'stop waiting for notifications',
  PrepareStmt: 'prepare statements',
  ExecuteStmt: 'run a prepared statement',
  DeallocateStmt: 'remove prepared statements',
  DeclareCursorStmt: 'open a cursor',
  FetchStmt: 'read from a cursor',
  ClosePortalStmt: 'close a cursor',
  LockStmt: 'lock tables',
  VacuumStmt: 'run maintenance',
  ClusterStmt: 'run maintenance',
  ReindexStmt: 'run maintenance',
  CheckPointStmt: 'run maintenance',
  DiscardStmt: 'reset the session',
  LoadStmt: 'load a server library',
  GrantStmt: 'change permissions',
  GrantRoleStmt: 'change permissions',
  AlterDefaultPrivilegesStmt: 'change permissions',
  CreateRoleStmt: 'change users and roles',
  AlterRoleStmt: 'change users and roles',
  AlterRoleSetStmt: 'change users and roles',
  DropRoleStmt: 'change users and roles',
  ReassignOwnedStmt: 'change owners',
  DropOwnedStmt: 'drop objects',
  CreateTableAsStmt: 'create a table',
  RefreshMatViewStmt: 'refresh a materialized view',
};

/** The refusal for a statement that is not a plain SELECT (at the top or nested in a CTE). */
export function statementRefusal(tag: string, where: string, node?: Record<string, unknown>): UnsafeSql {
  // EXPLAIN ANALYZE runs the statement it explains, so name what that one would do.
  const explained =
    tag === 'ExplainStmt' ? Object.keys((node?.query as object | undefined) ?? {})[0] : undefined;
  if (explained && ROW_CHANGES[explained]) return statementRefusal(explained, `in EXPLAIN ${where}`);
  const change = ROW_CHANGES[tag];
  if (change) return refuse('writes', `${READ_ONLY}; this one tries to ${change}.`, `${tag} ${where}`);
  const action =
    OTHER_STATEMENTS[tag] ?? (isStructureChange(tag) ? "change the database's structure" : undefined);
  return refuse(
    'not_a_select',
    action
      ? `${READ_ONLY}; this one tries to ${action}.`
      : `${READ_ONLY} (SELECT); this is a different kind of statement.`,
    `${tag} ${where}`,
  );
}

function isStructureChange(tag: string): boolean {
  return /^(Create|Alter|Drop|Rename|Comment|Index|View|Define|Composite|Rule|SecLabel|Import)/.test(tag);
}

export const READ_ONLY_PREFIX = READ_ONLY;

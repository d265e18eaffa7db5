// Typed errors that carry two texts: one for the person asking (Slack, terminal) and a detail
// for the log. Edges (CLI, bot) show `userMessage` and never a stack trace.

export abstract class QuarryError extends Error {
  abstract readonly kind: string;
  /** Process exit code for the CLI when this error ends a command. */
  readonly exitCode: number = 1;
  constructor(
    readonly userMessage: string,
    readonly detail?: string,
  ) {
    super(detail ? `${userMessage} (${detail})` : userMessage);
    this.name = new.target.name;
  }
}

/** The base of an error that is only its kind: `class UnsafeSql extends errorOfKind('unsafe_sql') {}`. */
function errorOfKind<const K extends string>(kind: K) {
  return class extends QuarryError {
    readonly kind = kind;
  };
}

/** One way a question that was not understood could be read, offered back to pick. */
export interface Reading {
  /** What it computes, written from its plan: "Total sales by category". */
  label: string;
  /** A question that plans that way; asked when the reading is picked. */
  question: string;
}

/** The question could not be mapped to the schema confidently; the message asks back. */
export class NotUnderstood extends QuarryError {
  readonly kind = 'not_understood';
  override readonly exitCode = 2;
  /** Readings the planner could answer, best first (at most three); empty when none fits. */
  readings: Reading[] = [];
  constructor(
    userMessage: string,
    readonly understood: string[] = [],
    detail?: string,
  ) {
    super(userMessage, detail);
  }
}

/** The question asks to change data ("delete…", "set … to …"): Quarry only reads. */
export class WriteRefused extends QuarryError {
  readonly kind = 'write_refused';
  override readonly exitCode = 2;
}

/** SQL that is not a single safe read. */
export class UnsafeSql extends errorOfKind('unsafe_sql') {}

/** The target database cannot be reached or refused the connection. */
export class TargetUnavailable extends errorOfKind('target_unavailable') {}

/** The query ran longer than the statement timeout and was cancelled. */
export class QueryTimeout extends errorOfKind('timeout') {}

/** The database rejected the query (unknown column, type error…). */
export class QueryFailed extends errorOfKind('query_failed') {}

/** Quarry's own memory (Postgres/Redis) is unavailable. Answers go on without it. */
export class MemoryUnavailable extends errorOfKind('memory_unavailable') {}

/** Bad configuration or command-line input. */
export class ConfigError extends errorOfKind('config') {}

export function isQuarryError(e: unknown): e is QuarryError {
  return e instanceof QuarryError;
}

/** A one-line message safe to show a person for any thrown value. */
export function userMessageOf(e: unknown): string {
  if (isQuarryError(e)) return e.userMessage;
  return 'Something went wrong on our side. Please try again; if it keeps happening, tell the data team.';
}

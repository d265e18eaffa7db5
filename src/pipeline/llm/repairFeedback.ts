import { NotUnderstood, QueryFailed, UnsafeSql } from '../../errors.ts';
import { TOOL_NAME } from './replyShape.ts';

// What the model is told when its plan did not work. It learns the error, in the database's
// own words where there are some, but never data: quoted text in an error that the query did
// not itself contain (a value the database tripped over) is blanked out.

export const EMPTY_RESULT_FEEDBACK = `The query ran but returned no rows, although the question expects some. Check filter values against the sampled values (exact letter case) and the time range. If no rows is truly the answer, call ${TOOL_NAME} with the same plan and expect_rows false.`;

/** Quoted fragments of `message` that do not appear in `sql` are replaced by "…". */
export function withoutData(message: string, sql: string): string {
  return message.replace(/(["'])(.*?)\1/g, (whole, quote: string, inner: string) =>
    sql.includes(inner) ? whole : `${quote}…${quote}`,
  );
}

/** The message for a failure a new plan may fix, or null when the failure is not the plan's. */
export function feedbackFor(e: unknown, sql: string): string | null {
  const again = `Fix it and call ${TOOL_NAME} again.`;
  if (e instanceof UnsafeSql)
    return `Quarry refused to run this: ${e.userMessage} Write one plain SELECT on the tables shown. ${again}`;
  if (e instanceof QueryFailed)
    return `PostgreSQL rejected the query: ${withoutData(e.detail ?? e.userMessage, sql)}. ${again}`;
  // Thrown while compiling the plan: the plan's shape cannot become SQL.
  if (e instanceof NotUnderstood) return `The plan could not be turned into SQL: ${e.userMessage} ${again}`;
  return null;
}

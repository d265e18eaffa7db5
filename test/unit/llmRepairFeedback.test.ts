import { describe, expect, it } from 'vitest';
import { NotUnderstood, QueryFailed, QueryTimeout, TargetUnavailable, UnsafeSql } from '../../src/errors.ts';
import { feedbackFor, withoutData } from '../../src/pipeline/llm/repairFeedback.ts';

describe('what the model is told after a failure', () => {
  it("keeps the database's words about the query but blanks values it did not write", () => {
    const sql = `SELECT sum(amount) FROM orders WHERE status = 'done'`;
    expect(withoutData('column "amount" does not exist', sql)).toBe('column "amount" does not exist');
    expect(withoutData('invalid input syntax for type numeric: "N/A (Jane Doe)"', sql)).toBe(
      'invalid input syntax for type numeric: "…"',
    );
    expect(withoutData(`value 'done' and 'secret'`, sql)).toBe(`value 'done' and '…'`);
  });

  it('explains database errors, refusals and plans that do not compile', () => {
    const sql = 'SELECT sum(amount) FROM orders';
    const failed = new QueryFailed('The query refers to a column…', '42703: column "amount" does not exist');
    expect(feedbackFor(failed, sql)).toBe(
      'PostgreSQL rejected the query: 42703: column "amount" does not exist. Fix it and call answer_question again.',
    );
    expect(feedbackFor(new UnsafeSql('I only run one query at a time.'), sql)).toMatch(
      /^Quarry refused to run this: I only run one query at a time\./,
    );
    expect(feedbackFor(new NotUnderstood('I can only combine measures from one table.'), sql)).toMatch(
      /could not be turned into SQL: I can only combine measures from one table\./,
    );
  });

  it('leaves failures that are not the plan’s to the pipeline', () => {
    expect(feedbackFor(new QueryTimeout('too slow'), '')).toBeNull();
    expect(feedbackFor(new TargetUnavailable('down'), '')).toBeNull();
    expect(feedbackFor(new Error('bug'), '')).toBeNull();
  });
});

import type { ChatCompletionMessage } from 'openai/resources/chat/completions';
import { z } from 'zod';
import type { QueryPlan, SchemaInfo } from '../../domain/types.ts';
import { UnsafeSql } from '../../errors.ts';
import { guardSql } from '../guard.ts';
import { checkPlan } from './checkPlan.ts';
import { ModelReplyInvalid } from './modelErrors.ts';
import { modelReply, TOOL_NAME } from './replyShape.ts';

// The model's reply → a plan to run, a question to ask back, or a note of what was wrong with
// it (sent back to the model on the next round). Nothing in the reply is executed here: SQL is
// only parsed by the guard, to learn which table it reads and to refuse it early.

export type ReadReply =
  | { kind: 'plan'; plan: QueryPlan; explanation: string; assumptions: string[]; expectRows: boolean }
  | { kind: 'clarify'; question: string }
  | { kind: 'invalid'; feedback: string }
  /** SQL the guard refused: never run, and the model is told why. */
  | { kind: 'refused'; error: UnsafeSql };

/** The tool call's arguments; servers without tool calls may put the JSON in the text. */
function argumentsOf(message: ChatCompletionMessage): string {
  const call = message.tool_calls?.find((c) => c.type === 'function' && c.function.name === TOOL_NAME);
  if (call?.type === 'function') return call.function.arguments;
  const text = (message.content ?? '').trim();
  return /^```(?:json)?\s*([\s\S]*?)```$/.exec(text)?.[1] ?? text;
}

function tableOfSql(relations: string[], schema: SchemaInfo): string {
  const first = relations[0]?.toLowerCase();
  const t = schema.tables.find((x) => x.key.toLowerCase() === first || x.name.toLowerCase() === first);
  return t?.key ?? relations[0] ?? '';
}

async function readSql(sql: string, schema: SchemaInfo, maxRows: number): Promise<QueryPlan> {
  const guarded = await guardSql(sql, { maxRows });
  return { baseTable: tableOfSql(guarded.relations, schema), measures: [], dimensions: [], filters: [], sql };
}

export async function readReply(
  message: ChatCompletionMessage,
  finishReason: string | null,
  options: { schema: SchemaInfo; maxRows: number },
): Promise<ReadReply> {
  try {
    const raw = argumentsOf(message);
    if (!raw) throw new ModelReplyInvalid(`Reply by calling the function ${TOOL_NAME} with JSON arguments.`);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      const cut = finishReason === 'length' ? ' It was cut off: keep the reply short.' : '';
      throw new ModelReplyInvalid(
        `The arguments were not valid JSON (${e instanceof Error ? e.message : String(e)}).${cut} Call ${TOOL_NAME} again with valid JSON.`,
      );
    }
    const parsed = modelReply.safeParse(json);
    if (!parsed.success)
      throw new ModelReplyInvalid(
        `The arguments do not match the function's schema:\n${z.prettifyError(parsed.error)}`,
      );
    const reply = parsed.data;
    if (reply.action === 'clarify') {
      if (!reply.question?.trim())
        throw new ModelReplyInvalid('With action "clarify", give the question to ask.');
      return { kind: 'clarify', question: reply.question.trim() };
    }
    let plan: QueryPlan;
    if (reply.action === 'sql') {
      if (!reply.sql?.trim()) throw new ModelReplyInvalid('With action "sql", give the SELECT in "sql".');
      plan = await readSql(reply.sql.trim(), options.schema, options.maxRows);
    } else {
      if (!reply.plan) throw new ModelReplyInvalid('With action "plan", give the plan in "plan".');
      plan = checkPlan(reply.plan, options.schema);
    }
    return {
      kind: 'plan',
      plan,
      explanation: reply.explanation.trim(),
      assumptions: reply.assumptions.map((a) => a.trim()).filter(Boolean),
      expectRows: reply.expect_rows ?? false,
    };
  } catch (e) {
    if (e instanceof ModelReplyInvalid) return { kind: 'invalid', feedback: e.feedback };
    if (e instanceof UnsafeSql) return { kind: 'refused', error: e };
    throw e;
  }
}

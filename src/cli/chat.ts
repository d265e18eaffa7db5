import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline/promises';
import { LOCAL_TEAM, localRuntime } from '../localRuntime.ts';
import { answer } from '../pipeline/index.ts';
import { answerJson, dashboardJson } from '../render/answerJson.ts';
import type { Runtime } from '../runtime.ts';
import { isUsualRequest } from '../usual/usualRequest.ts';
import { printAnswer } from './printAnswer.ts';
import { usualInTerminal } from './usual.ts';

export interface ChatOptions {
  databaseUrl?: string;
  user: string;
  format: 'text' | 'jsonl';
}

const GREETING = `Quarry — ask about your data in plain words. For example:
  • Show me total sales for last month
  • Now break that down by product category
  • What were our top selling products last week?
  • How many customers do we have in Germany?
  • Show me the usual
Type "new" to start a new thread, "exit" to leave.
`;

/** One conversation: a terminal prompt, or (piped) one question a line as one thread. */
export async function chat(runtime: Runtime, opts: ChatOptions): Promise<number> {
  const interactive = process.stdin.isTTY && opts.format === 'text';
  let thread = randomUUID();
  const rl = createInterface({
    input: process.stdin,
    output: interactive ? process.stdout : undefined,
    terminal: interactive,
  });
  if (interactive) process.stdout.write(GREETING);
  let failures = 0;
  try {
    if (interactive) rl.setPrompt('\n› ');
    if (interactive) rl.prompt();
    for await (const line of rl) {
      const question = line.trim();
      if (question === 'exit' || question === 'quit') break;
      if (question === 'new') {
        thread = randomUUID();
        if (interactive) rl.prompt();
        continue;
      }
      if (!question) {
        if (interactive) rl.prompt();
        continue;
      }
      const usual = isUsualRequest(question);
      if (usual) {
        const reply = await usualInTerminal(runtime, { kind: 'show', topic: usual.topic }, opts.user);
        process.stdout.write(
          opts.format === 'jsonl'
            ? `${JSON.stringify(dashboardJson(question, reply.text))}\n`
            : `${reply.text}\n`,
        );
        if (interactive) rl.prompt();
        continue;
      }
      const a = await answer(
        question,
        {
          teamId: LOCAL_TEAM,
          userId: opts.user,
          session: { teamId: LOCAL_TEAM, channelId: 'cli', threadTs: thread },
        },
        runtime.pipeline,
      );
      if (a.error && a.error.kind !== 'not_understood') failures++;
      if (opts.format === 'jsonl') process.stdout.write(`${JSON.stringify(answerJson(a))}\n`);
      else printAnswer(a, null, { inThread: true });
      if (interactive) rl.prompt();
    }
  } finally {
    rl.close();
  }
  await runtime.learnQueue.drain().catch(() => {});
  return failures ? 1 : 0;
}

export async function chatCommand(opts: ChatOptions): Promise<number> {
  const runtime = await localRuntime({ ...opts, oneShot: true });
  try {
    return await chat(runtime, opts);
  } finally {
    await runtime.close();
  }
}

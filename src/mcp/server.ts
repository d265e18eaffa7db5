import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { userMessageOf } from '../errors.ts';
import { LOCAL_TEAM } from '../localRuntime.ts';
import { answer, loadSchema, renderSchema } from '../pipeline/index.ts';
import { answerJson } from '../render/answerJson.ts';
import type { Runtime } from '../runtime.ts';
import { runAgentQuery } from './runQuery.ts';
import { usualForAgent } from './usual.ts';

// Quarry's tools for any MCP client. Every tool goes through the pipeline's own guard, access
// rules and caps; a failure is a tool result saying why, so the server keeps serving.

export interface McpOptions {
  /** Whose memory, preferences and sessions the answers use, as a Slack person's. */
  user: string;
}

const text = (words: string, isError = false): CallToolResult => ({
  content: [{ type: 'text', text: words }],
  ...(isError ? { isError } : {}),
});

const json = (value: unknown, isError = false): CallToolResult => text(JSON.stringify(value), isError);

const refusal = (e: unknown): CallToolResult => text(userMessageOf(e), true);

/** Runs a tool, turning any exception into an error result. */
async function tool(fn: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await fn();
  } catch (e) {
    return refusal(e);
  }
}

export function buildMcpServer(runtime: Runtime, options: McpOptions): McpServer {
  const server = new McpServer({ name: 'quarry', version: '1.0.0' });
  const services = runtime.pipeline;

  server.registerTool(
    'ask',
    {
      description:
        'Answer a question about the database in plain words. Returns the SQL Quarry ran, its columns and rows (capped), and where the answer came from. Pass the returned thread back to ask a follow-up ("now by month").',
      inputSchema: {
        question: z.string().describe('the question, e.g. "total sales last month by category"'),
        thread: z.string().optional().describe('the thread of an earlier answer, to continue it'),
      },
    },
    ({ question, thread }) =>
      tool(async () => {
        const threadTs = thread ?? randomUUID();
        const a = await answer(
          question,
          {
            teamId: LOCAL_TEAM,
            userId: options.user,
            session: { teamId: LOCAL_TEAM, channelId: 'mcp', threadTs },
            threadReply: thread !== undefined,
          },
          services,
        );
        return json({ ...answerJson(a), summary: a.summary, thread: threadTs }, a.error !== null);
      }),
  );

  server.registerTool(
    'run_query',
    {
      description:
        'Run one PostgreSQL SELECT you wrote, read-only, with row and byte caps. Writes, several statements, system catalogs and denied tables or columns are refused with the reason.',
      inputSchema: { sql: z.string().describe('one SELECT (WITH allowed), no semicolon-separated batch') },
    },
    ({ sql }) =>
      tool(async () => {
        const result = await runAgentQuery(services, { teamId: LOCAL_TEAM, userId: options.user }, sql);
        return result.error === undefined ? json(result) : text(result.error, true);
      }),
  );

  server.registerTool(
    'describe_schema',
    {
      description:
        'The tables Quarry may read: columns with types, keys (-> marks a foreign key), comments and sampled values.',
    },
    () =>
      tool(async () => {
        const { schema } = await loadSchema(services.target, services.schemaLayers, {
          access: services.access,
        });
        return text(renderSchema(schema));
      }),
  );

  server.registerTool(
    'usual',
    {
      description:
        "The caller's usual dashboard, as /usual shows it in Slack: pinned questions first, then the ones asked most in the last 30 days, each run afresh. Returns every panel's headline, change against the period before, SQL and rows.",
      inputSchema: {
        topic: z.string().optional().describe('only the panels about this, e.g. "sales"'),
      },
    },
    ({ topic }) => tool(async () => json(await usualForAgent(services, options.user, topic))),
  );

  return server;
}

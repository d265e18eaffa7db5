import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { localRuntime } from '../localRuntime.ts';
import { buildMcpServer, type McpOptions } from './server.ts';

// `quarry mcp`: a client spawns Quarry and speaks MCP on its stdin and stdout. Stdout carries
// only the protocol; logs and progress go to stderr.

export async function mcpStdioCommand(opts: McpOptions & { databaseUrl?: string }): Promise<number> {
  const runtime = await localRuntime(opts);
  const server = buildMcpServer(runtime, opts);
  const closed = new Promise<void>((resolve) => {
    server.server.onclose = resolve;
  });
  await server.connect(new StdioServerTransport());
  // The client closing stdin ends the session.
  process.stdin.once('end', () => void server.close());
  await closed;
  await runtime.learnQueue.drain().catch(() => {});
  await runtime.close();
  return 0;
}

import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { loadConfig } from '../config.ts';
import { ConfigError } from '../errors.ts';
import { localRuntime } from '../localRuntime.ts';
import type { Runtime } from '../runtime.ts';
import { buildMcpServer, type McpOptions } from './server.ts';

// `quarry mcp --http`: Streamable HTTP on /mcp, one MCP session (and server) per client, so a
// client sending garbage gets its protocol error and the others keep being served. A bearer
// token (QUARRY_MCP_TOKEN) is required; without one only the loopback is served.

export interface McpHttpOptions extends McpOptions {
  port: number;
  host: string;
}

const LOOPBACK = '127.0.0.1';

/** Throws ConfigError when serving would open the database to the network without a token. */
export function checkExposure(host: string, token: string | undefined): void {
  if (!token && host !== LOOPBACK)
    throw new ConfigError(
      `Set QUARRY_MCP_TOKEN to serve MCP on ${host}; without a token Quarry serves only ${LOOPBACK}.`,
    );
}

function authorized(req: IncomingMessage, token: string | undefined): boolean {
  if (!token) return true;
  const given = Buffer.from(/^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '');
  const want = Buffer.from(token);
  return given.length === want.length && timingSafeEqual(given, want);
}

function reply(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }));
}

export function startMcpHttp(runtime: Runtime, options: McpHttpOptions, token: string | undefined): Server {
  checkExposure(options.host, token);
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const log = runtime.pipeline.log;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (new URL(req.url ?? '/', 'http://x').pathname !== '/mcp')
      return reply(res, 404, 'Not found: use /mcp.');
    if (!authorized(req, token))
      return reply(res, 401, 'A valid bearer token (QUARRY_MCP_TOKEN) is required.', {
        'www-authenticate': 'Bearer',
      });
    const id = req.headers['mcp-session-id'];
    const existing = typeof id === 'string' ? sessions.get(id) : undefined;
    if (existing) return existing.handleRequest(req, res);
    if (id !== undefined) return reply(res, 404, 'Unknown or ended session; initialize again.');
    // No session yet: a new transport, which accepts only an initialize request.
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (sid) => void sessions.set(sid, transport),
    });
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId);
    };
    await buildMcpServer(runtime, options).connect(transport);
    await transport.handleRequest(req, res);
    if (!transport.sessionId) await transport.close();
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log.error({ err: String(e) }, 'mcp request failed');
      if (!res.headersSent) reply(res, 500, 'Internal error.');
      else res.end();
    });
  });
  server.listen(options.port, options.host);
  return server;
}

export async function mcpHttpCommand(opts: McpHttpOptions & { databaseUrl?: string }): Promise<number> {
  const token = loadConfig().QUARRY_MCP_TOKEN;
  checkExposure(opts.host, token);
  const runtime = await localRuntime(opts);
  const server = startMcpHttp(runtime, opts, token);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  process.stderr.write(`Quarry MCP on http://${opts.host}:${opts.port}/mcp\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await runtime.learnQueue.drain().catch(() => {});
  await runtime.close();
  return 0;
}

// `quarry mcp` as an agent's client starts it: the real binary, spawned with only the variables
// given (and a data directory of its own), driven by the SDK's own Client over stdio or over
// Streamable HTTP with a bearer token.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { freePort } from './throwawayPostgres.ts';

const BIN = new URL('../../bin/quarry.js', import.meta.url).pathname;
export const MCP_TOKEN = 'test-token-0123456789abcdef';

export type McpTransportKind = 'stdio' | 'http';

export interface QuarryMcp {
  client: Client;
  /** The HTTP endpoint (empty over stdio). */
  url: string;
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** What the server wrote to stderr so far. */
  stderr(): string;
  close(): Promise<void>;
}

/** The text of a tool result's first content item. */
export const textOf = (r: CallToolResult) => (r.content[0] as { type: 'text'; text: string }).text;

/** A client connected to the HTTP endpoint with the bearer token. */
export async function httpClient(url: string, name = 'quarry-test'): Promise<Client> {
  const client = new Client({ name, version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { authorization: `Bearer ${MCP_TOKEN}` } },
    }),
  );
  return client;
}

/** Starts `quarry mcp --user <user>` with `env` and connects a client to it. */
export async function startQuarryMcp(
  kind: McpTransportKind,
  env: Record<string, string>,
  user = 'U_AGENT',
): Promise<QuarryMcp> {
  const dataDir = await mkdtemp(join(tmpdir(), 'quarry-mcp-'));
  const fullEnv = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    LOG_LEVEL: 'error',
    QUARRY_DATA_DIR: dataDir,
    ...env,
  };
  let stderr = '';
  let child: ChildProcess | undefined;
  let url = '';
  const connect = async (): Promise<Client> => {
    if (kind === 'stdio') {
      const stdio = new Client({ name: 'quarry-test', version: '1.0.0' });
      const transport = new StdioClientTransport({
        command: process.execPath,
        args: [BIN, 'mcp', '--user', user],
        env: fullEnv,
        stderr: 'pipe',
      });
      transport.stderr?.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      await stdio.connect(transport);
      return stdio;
    }
    const port = await freePort();
    url = `http://127.0.0.1:${port}/mcp`;
    const proc = spawn(process.execPath, [BIN, 'mcp', '--http', '--port', String(port), '--user', user], {
      env: { ...fullEnv, QUARRY_MCP_TOKEN: MCP_TOKEN },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child = proc;
    await new Promise<void>((resolve, reject) => {
      proc.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('Quarry MCP on')) resolve();
      });
      proc.once('exit', (code) => reject(new Error(`quarry mcp --http exited ${code}: ${stderr}`)));
    });
    return httpClient(url);
  };
  const stop = async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  let client: Client;
  try {
    client = await connect();
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    client,
    url,
    async call(name, args = {}) {
      return (await client.callTool({ name, arguments: args })) as CallToolResult;
    },
    stderr: () => stderr,
    async close() {
      await client.close();
      await stop();
    },
  };
}

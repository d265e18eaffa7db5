// A local HTTP server speaking the OpenAI wire protocol, scripted per test: each chat
// completion takes the next scripted reply (a tool call, raw arguments, plain text, an HTTP
// error, or no answer at all). Embeddings are answered on their own, deterministically, as
// base64 float32 when the client asks for it. Every request body is recorded.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
}

export type ScriptedReply =
  /** A call of the requested function with these arguments (JSON-encoded). */
  | { tool: unknown; usage?: FakeUsage }
  /** A call whose arguments are sent exactly as given (e.g. broken JSON). */
  | { toolArguments: string; usage?: FakeUsage }
  /** A plain assistant message, no tool call. */
  | { content: string; usage?: FakeUsage }
  /** An HTTP error, optionally with Retry-After (seconds). */
  | { status: number; retryAfter?: number }
  /** Never answers: the client must give up by itself. */
  | { hang: true };

export interface RecordedRequest {
  path: string;
  body: Record<string, unknown>;
}

export interface FakeOpenAI {
  /** For `new OpenAI({ baseURL })`. */
  baseURL: string;
  requests: RecordedRequest[];
  /** Chat completion requests only. */
  chatRequests(): Record<string, unknown>[];
  /** Replaces the queue of replies for the next chat completions. */
  script(...replies: ScriptedReply[]): void;
  /** Replies still queued. */
  pending(): number;
  close(): Promise<void>;
}

const DEFAULT_USAGE: FakeUsage = { prompt_tokens: 900, completion_tokens: 100 };

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A vector that depends only on the text (not unit length: embedders normalize). */
function vectorFor(text: string, dimensions: number): number[] {
  const out: number[] = [];
  for (let i = 0; out.length < dimensions; i++) {
    const digest = createHash('sha256').update(`${i}:${text}`).digest();
    for (let j = 0; j + 4 <= digest.length && out.length < dimensions; j += 4)
      out.push(digest.readInt32LE(j) / 2 ** 31);
  }
  return out;
}

function requestedTool(body: Record<string, unknown>): string {
  const choice = body.tool_choice as { function?: { name?: string } } | undefined;
  const tools = body.tools as { function?: { name?: string } }[] | undefined;
  return choice?.function?.name ?? tools?.[0]?.function?.name ?? 'tool';
}

export async function startFakeOpenAI(options: { embeddingDimensions?: number } = {}): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  let queue: ScriptedReply[] = [];
  let calls = 0;

  const completion = (res: ServerResponse, body: Record<string, unknown>, reply: ScriptedReply) => {
    if ('hang' in reply) return; // the socket stays open until the client aborts or we close
    if ('status' in reply) {
      const headers: Record<string, string> =
        reply.retryAfter === undefined ? {} : { 'retry-after': String(reply.retryAfter) };
      sendJson(
        res,
        reply.status,
        { error: { message: `scripted ${reply.status}`, type: 'server_error' } },
        headers,
      );
      return;
    }
    calls++;
    const usage = reply.usage ?? DEFAULT_USAGE;
    const message =
      'content' in reply
        ? { role: 'assistant', content: reply.content }
        : {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: `call_${calls}`,
                type: 'function',
                function: {
                  name: requestedTool(body),
                  arguments: 'tool' in reply ? JSON.stringify(reply.tool) : reply.toolArguments,
                },
              },
            ],
          };
    sendJson(res, 200, {
      id: `chatcmpl-${calls}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: body.model,
      choices: [{ index: 0, message, finish_reason: 'content' in reply ? 'stop' : 'tool_calls' }],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    });
  };

  const embeddings = (res: ServerResponse, body: Record<string, unknown>) => {
    const inputs = (Array.isArray(body.input) ? body.input : [body.input]) as string[];
    const dimensions = Number(body.dimensions ?? options.embeddingDimensions ?? 256);
    const data = inputs.map((text, index) => {
      const v = vectorFor(text, dimensions);
      const embedding =
        body.encoding_format === 'base64' ? Buffer.from(new Float32Array(v).buffer).toString('base64') : v;
      return { object: 'embedding', index, embedding };
    });
    sendJson(res, 200, {
      object: 'list',
      data,
      model: body.model,
      usage: { prompt_tokens: inputs.length, total_tokens: inputs.length },
    });
  };

  const server = createServer(async (req, res) => {
    const path = (req.url ?? '').replace(/\?.*$/, '');
    let body: Record<string, unknown>;
    try {
      body = await bodyOf(req);
    } catch {
      sendJson(res, 400, { error: { message: 'request body is not JSON' } });
      return;
    }
    requests.push({ path, body });
    if (req.method === 'POST' && path.endsWith('/chat/completions')) {
      const reply = queue.shift();
      if (reply) completion(res, body, reply);
      else sendJson(res, 500, { error: { message: 'no scripted reply left', type: 'server_error' } });
    } else if (req.method === 'POST' && path.endsWith('/embeddings')) embeddings(res, body);
    else sendJson(res, 404, { error: { message: `no route ${req.method} ${path}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    chatRequests: () => requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body),
    script(...replies) {
      queue = [...replies];
    },
    pending: () => queue.length,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

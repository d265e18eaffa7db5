import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.ts';
import { openaiEmbedder } from '../../src/memory/openaiEmbedder.ts';

// A local server speaking the embeddings endpoint of the OpenAI API. It answers in base64 or
// as plain arrays (as some compatible servers do whatever was asked), with vectors of a
// chosen length, and records each request body.

interface FakeBehaviour {
  plainArrays: boolean;
  length: number;
}

const behaviour: FakeBehaviour = { plainArrays: false, length: 256 };
const requests: Record<string, unknown>[] = [];
let server: Server;
let baseURL: string;

function vectorFor(text: string, length: number): number[] {
  // Not unit length on purpose: the embedder must normalize.
  return Array.from({ length }, (_, i) => ((text.length + i) % 7) + 1);
}

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8'));
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await bodyOf(req);
    requests.push(body);
    const inputs = body.input as string[];
    // Answer out of order: the client must sort by index.
    const data = inputs
      .map((text, index) => {
        const v = vectorFor(text, behaviour.length);
        const embedding = behaviour.plainArrays
          ? v
          : Buffer.from(new Float32Array(v).buffer).toString('base64');
        return { object: 'embedding', index, embedding };
      })
      .reverse();
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        object: 'list',
        data,
        model: body.model,
        usage: { prompt_tokens: 1, total_tokens: 1 },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function client(): OpenAI {
  return new OpenAI({ apiKey: 'test-key', baseURL, maxRetries: 0 });
}

function expectUnit(v: number[]): void {
  expect(Math.hypot(...v)).toBeCloseTo(1, 5);
}

describe('OpenAI embedder', () => {
  it('asks text-embedding-3 models for the deployment dimension and decodes base64', async () => {
    behaviour.plainArrays = false;
    behaviour.length = 256;
    const embedder = openaiEmbedder(client(), 'text-embedding-3-small');
    const [a, b] = await embedder.embed(['one', 'three']);
    const request = requests.at(-1)!;
    expect(request).toMatchObject({
      model: 'text-embedding-3-small',
      dimensions: 256,
      encoding_format: 'base64',
    });
    expect(a).toHaveLength(256);
    expectUnit(a!);
    // In input order, although the server answered in reverse.
    const raw = vectorFor('one', 256);
    expect(a![0]! / a![1]!).toBeCloseTo(raw[0]! / raw[1]!, 5);
    expect(b).not.toEqual(a);
    expect(embedder.id).toBe('openai:text-embedding-3-small:256');
  });

  it('accepts plain arrays from servers that ignore the encoding', async () => {
    behaviour.plainArrays = true;
    behaviour.length = 256;
    const [a] = await openaiEmbedder(client(), 'text-embedding-3-large').embed(['one']);
    expect(a).toHaveLength(256);
    expectUnit(a!);
  });

  it('does not send `dimensions` to other models, and accepts them at the right length', async () => {
    behaviour.plainArrays = false;
    behaviour.length = 256;
    const [a] = await openaiEmbedder(client(), 'nomic-embed-text').embed(['one']);
    expect(requests.at(-1)).not.toHaveProperty('dimensions');
    expect(a).toHaveLength(256);
  });

  it('says which model to use when a model returns another length', async () => {
    behaviour.plainArrays = false;
    behaviour.length = 1536;
    const error = await openaiEmbedder(client(), 'text-embedding-ada-002')
      .embed(['one'])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).userMessage).toMatch(/1536.*256.*text-embedding-3-small/);
  });
});

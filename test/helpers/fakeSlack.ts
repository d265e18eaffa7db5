// A local Slack Web API speaking the wire protocol (form or JSON in, JSON out), for tests and
// benches: it records every call, hands out message timestamps, serves the three-step file
// upload (URL, bytes, completion) and can answer one call of a method with 429 + Retry-After.
// It refuses what Slack refuses (fakeSlackRules.ts): too many blocks or too long a text.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BOT_SCOPES } from '../../src/bot/scopes.ts';
import { MAX_POST_TEXT, refusalOf } from './fakeSlackRules.ts';

export interface SlackCall {
  /** Order of arrival, from 1. */
  seq: number;
  method: string;
  /** Form fields or the JSON body; Block Kit and file lists arrive as JSON text in forms. */
  body: Record<string, unknown>;
  /** The bearer token the call was made with ('' for none). */
  token: string;
  /** The HTTP status the fake answered with, and its JSON body. */
  status: number;
  response: Record<string, unknown>;
  at: number;
}

export type CallFilter = (body: Record<string, unknown>, call: SlackCall) => boolean;

export interface UploadedFile {
  id: string;
  filename: string;
  length: number;
  bytes: Buffer;
}

export interface SlackUser {
  tz: string;
  locale: string;
}

export const FAKE_BOT_USER_ID = 'UQUARRY';
export const FAKE_BOT_ID = 'BQUARRY';

export interface FakeSlack {
  /** Base URL of the Web API, for SLACK_API_URL. */
  apiUrl: string;
  /** Base URL of the server (response_url targets live under it). */
  url: string;
  calls: SlackCall[];
  uploads: Map<string, UploadedFile>;
  /** Sets what users.info says about a person (default: Europe/Berlin, en-US). */
  setUser(userId: string, user: SlackUser): void;
  /** What `oauth.v2.access` answers for `code`: a bot token granted in workspace `teamId`. */
  grantInstall(code: string, install: { teamId: string; botToken: string; installerId: string }): void;
  /** A channel `conversations.list` shows (Quarry finds `#name` channels there); `member`
   *  false for one Quarry was not invited to. Unknown channels answer as if Quarry were in them. */
  addChannel(id: string, name: string, member?: boolean): void;
  /** The scopes every token reports having (x-oauth-scopes); all of the manifest's by default. */
  setScopes(scopes: string[]): void;
  /** Calls made with this token get `invalid_auth`, as for a revoked token. */
  revokeToken(token: string): void;
  /** The next call of `method` is neither recorded nor answered: a request that never reached
   *  Slack, its sender left waiting. Resolves when that call has arrived. */
  swallowNext(method: string): Promise<void>;
  /** Calls of `method` are answered `ms` late (recorded at once): a reply still on its way. */
  delayReplies(method: string, ms: number): void;
  /** The next call of `method` gets 429 with Retry-After: `seconds`. */
  rateLimitOnce(method: string, seconds: number): void;
  /** Calls of one method Slack took (200 and ok), in order, optionally filtered. */
  callsOf(method: string, where?: CallFilter): SlackCall[];
  /** Calls Slack would refuse and the fake did (invalid_blocks, msg_too_long, …). */
  refusals(method?: string): SlackCall[];
  /** Resolves with the first call Slack took (past or future) that matches. */
  waitForCall(method: string, where?: CallFilter, timeoutMs?: number): Promise<SlackCall>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseFields(raw: Buffer, contentType: string): Record<string, unknown> {
  if (contentType.includes('application/json')) return raw.length ? JSON.parse(raw.toString('utf8')) : {};
  return Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
}

/** Slack's answer to a call it refuses: HTTP 200, ok false, and what was wrong. */
function refusalBody(r: { error: string; messages?: string[] }): Record<string, unknown> {
  return {
    ok: false,
    error: r.error,
    ...(r.messages ? { response_metadata: { messages: r.messages } } : {}),
  };
}

const REFUSALS = new Set(['invalid_blocks', 'invalid_blocks_format', 'msg_too_long', 'alt_txt_too_large']);

const isRefusal = (c: SlackCall) => c.response.ok === false && REFUSALS.has(String(c.response.error));

/** A call Slack answered and took. */
const taken = (c: SlackCall) => c.status === 200 && c.response.ok !== false;

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const uploads = new Map<string, UploadedFile>();
  const pendingUploads = new Map<string, { filename: string; length: number }>();
  const users = new Map<string, SlackUser>();
  const channels = new Map<string, { name: string; member: boolean }>();
  let scopes: string[] = [...BOT_SCOPES];
  const grants = new Map<string, { teamId: string; botToken: string; installerId: string }>();
  const rateLimited = new Map<string, number>();
  const delays = new Map<string, number>();
  const swallowed = new Map<string, () => void>();
  const revoked = new Set<string>();
  const waiters: { match: (c: SlackCall) => boolean; resolve: (c: SlackCall) => void }[] = [];
  let counter = 0;
  let base = '';
  // Message timestamps as Slack writes them: seconds of the wall clock, unique by the counter
  // (from 900000, apart from the timestamps tests make up for the messages people send).
  const nextTs = () => {
    counter++;
    return `${Math.floor(Date.now() / 1000)}.${900_000 + counter}`;
  };

  const record = (entry: Omit<SlackCall, 'seq' | 'at'>) => {
    const call = { ...entry, seq: calls.length + 1, at: Date.now() };
    calls.push(call);
    for (const w of [...waiters]) {
      if (w.match(call)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(call);
      }
    }
  };

  function answer(method: string, body: Record<string, unknown>): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.com/',
          team: 'Fake',
          user: 'quarry',
          team_id: 'T_FAKE',
          user_id: FAKE_BOT_USER_ID,
          bot_id: FAKE_BOT_ID,
        };
      case 'chat.postMessage': {
        const ts = nextTs();
        // Slack cuts a longer text instead of refusing it.
        const text = typeof body.text === 'string' ? body.text.slice(0, MAX_POST_TEXT) : body.text;
        return { ok: true, channel: body.channel, ts, message: { text, ts, bot_id: FAKE_BOT_ID } };
      }
      case 'chat.update':
        return { ok: true, channel: body.channel, ts: body.ts, text: body.text };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: nextTs() };
      case 'users.info': {
        const id = String(body.user);
        const user = users.get(id) ?? { tz: 'Europe/Berlin', locale: 'en-US' };
        return { ok: true, user: { id, name: id.toLowerCase(), tz: user.tz, locale: user.locale } };
      }
      case 'files.getUploadURLExternal': {
        const id = `F${String(++counter).padStart(8, '0')}`;
        pendingUploads.set(id, { filename: String(body.filename), length: Number(body.length) });
        return { ok: true, upload_url: `${base}/upload/${id}`, file_id: id };
      }
      case 'files.completeUploadExternal': {
        const files = JSON.parse(String(body.files)) as { id: string; title?: string }[];
        return { ok: true, files: files.map((f) => ({ id: f.id, title: f.title ?? '' })) };
      }
      case 'conversations.info':
        return {
          ok: true,
          channel: { id: body.channel, is_member: channels.get(String(body.channel))?.member ?? true },
        };
      case 'assistant.threads.setStatus':
      case 'assistant.threads.setSuggestedPrompts':
      case 'assistant.threads.setTitle':
        return { ok: true };
      case 'oauth.v2.access': {
        const grant = grants.get(String(body.code));
        if (!grant) return { ok: false, error: 'invalid_code' };
        return {
          ok: true,
          access_token: grant.botToken,
          token_type: 'bot',
          scope: 'app_mentions:read,chat:write',
          bot_user_id: FAKE_BOT_USER_ID,
          app_id: 'A_QUARRY',
          team: { id: grant.teamId, name: `Team ${grant.teamId}` },
          enterprise: null,
          is_enterprise_install: false,
          authed_user: { id: grant.installerId },
        };
      }
      case 'conversations.history': {
        // The messages Quarry posted to the channel, newest first, with their metadata.
        const oldest = Number(body.oldest ?? 0);
        const messages = calls
          .filter(
            (c) => c.method === 'chat.postMessage' && c.status === 200 && c.body.channel === body.channel,
          )
          .map((c) => ({
            ts: String(c.response.ts),
            text: c.body.text,
            bot_id: FAKE_BOT_ID,
            ...(c.body.metadata ? { metadata: JSON.parse(String(c.body.metadata)) } : {}),
          }))
          .filter((m) => Number(m.ts) >= oldest)
          .reverse();
        return { ok: true, messages, has_more: false, response_metadata: { next_cursor: '' } };
      }
      case 'conversations.list':
        return {
          ok: true,
          channels: [...channels].map(([id, c]) => ({ id, name: c.name, is_member: c.member })),
          response_metadata: { next_cursor: '' },
        };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const raw = await readBody(req);
    const contentType = req.headers['content-type'] ?? '';
    if (path.startsWith('/upload/')) {
      // The client posts the bytes as multipart form data.
      const id = path.slice('/upload/'.length);
      const form = await new Response(new Uint8Array(raw), {
        headers: { 'content-type': contentType },
      }).formData();
      const file = [...form.values()].find((v): v is File => typeof v !== 'string');
      const bytes = file ? Buffer.from(await file.arrayBuffer()) : raw;
      const pending = pendingUploads.get(id);
      uploads.set(id, { id, filename: pending?.filename ?? '', length: pending?.length ?? -1, bytes });
      record({
        method: 'upload',
        body: { file_id: id, size: bytes.length },
        token: '',
        status: 200,
        response: {},
      });
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`OK - ${bytes.length}`);
      return;
    }
    if (path.startsWith('/response/')) {
      const body = parseFields(raw, contentType);
      const refused = refusalOf('response_url', body);
      const response = refused ? refusalBody(refused) : { ok: true };
      record({ method: 'response_url', body, token: '', status: 200, response });
      json(res, 200, response);
      return;
    }
    const method = path.replace(/^\/api\//, '');
    const body = parseFields(raw, contentType);
    const swallow = swallowed.get(method);
    if (swallow) {
      swallowed.delete(method);
      swallow();
      return;
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || String(body.token ?? '');
    const retryAfter = rateLimited.get(method);
    if (retryAfter !== undefined) {
      rateLimited.delete(method);
      const response = { ok: false, error: 'ratelimited' };
      record({ method, body, token, status: 429, response });
      json(res, 429, response, { 'Retry-After': String(retryAfter) });
      return;
    }
    const refused = refusalOf(method, body);
    const response = revoked.has(token)
      ? { ok: false, error: 'invalid_auth' }
      : refused
        ? refusalBody(refused)
        : answer(method, body);
    record({ method, body, token, status: 200, response });
    const delay = delays.get(method);
    if (delay) await new Promise((r) => setTimeout(r, delay));
    json(res, 200, response, { 'X-OAuth-Scopes': scopes.join(',') });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((e) => json(res, 500, { ok: false, error: String(e) }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const matches = (method: string, where?: CallFilter) => (c: SlackCall) =>
    c.method === method && taken(c) && (!where || where(c.body, c));

  return {
    apiUrl: `${base}/api/`,
    url: base,
    calls,
    uploads,
    setUser: (id, user) => users.set(id, user),
    addChannel: (id, name, member = true) => channels.set(id, { name, member }),
    grantInstall: (code, install) => grants.set(code, install),
    setScopes: (granted) => {
      scopes = granted;
    },
    revokeToken: (token) => revoked.add(token),
    rateLimitOnce: (method, seconds) => rateLimited.set(method, seconds),
    swallowNext: (method) => new Promise<void>((resolve) => swallowed.set(method, resolve)),
    delayReplies: (method, ms) => {
      if (ms > 0) delays.set(method, ms);
      else delays.delete(method);
    },
    callsOf: (method, where) => calls.filter(matches(method, where)),
    refusals: (method) => calls.filter((c) => (!method || c.method === method) && isRefusal(c)),
    waitForCall(method, where, timeoutMs = 20_000) {
      const match = matches(method, where);
      const past = calls.find(match);
      if (past) return Promise.resolve(past);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve };
        waiters.push(waiter);
        setTimeout(() => {
          const i = waiters.indexOf(waiter);
          if (i < 0) return;
          waiters.splice(i, 1);
          reject(new Error(`no ${method} call matched within ${timeoutMs} ms`));
        }, timeoutMs).unref();
      });
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => {});
    },
  };
}

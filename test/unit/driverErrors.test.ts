import net from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyDriverError, type DriverFailure, driverCode } from '../../src/db/driverErrors.ts';
import { MemoryUnavailable } from '../../src/errors.ts';
import { asMemoryError, isConnectionError } from '../../src/memory/memoryErrors.ts';
import { toQuarryError } from '../../src/pipeline/execute/dbErrors.ts';

// One classifier for both databases: server errors are pg's own DatabaseError with the SQLSTATE
// the server sends; socket errors come from real pg clients pointed at ports this test opens.

function serverError(code: string, message = 'server said no'): pg.DatabaseError {
  const e = new pg.DatabaseError(message, message.length, 'error');
  e.code = code;
  return e;
}

const bySqlState: [string, DriverFailure][] = [
  ['57014', 'timeout'],
  ['25006', 'read-only'],
  ['53300', 'crowded'],
  ['08P01', 'protocol'],
  ['08006', 'unreachable'],
  ['08001', 'unreachable'],
  ['57P01', 'unreachable'],
  ['57P02', 'unreachable'],
  ['57P03', 'unreachable'],
  ['28P01', 'login'],
  ['28000', 'login'],
  ['3D000', 'login'],
  ['42703', 'query'],
  ['22012', 'query'],
  ['53100', 'query'],
  ['54000', 'query'],
  ['40001', 'query'],
];

describe('classifyDriverError', () => {
  it.each(bySqlState)('reads SQLSTATE %s as %s', (code, failure) => {
    expect(classifyDriverError(serverError(code))).toBe(failure);
  });

  it.each([
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'ENOTFOUND',
    'EAI_AGAIN',
    'EPIPE',
  ])('reads the socket errno %s as unreachable', (code) => {
    expect(classifyDriverError(Object.assign(new Error(`connect ${code}`), { code }))).toBe('unreachable');
  });

  it('reads a code-less error as unreachable only when pg says the connection went', () => {
    for (const message of [
      'Connection terminated unexpectedly',
      'Connection terminated due to connection timeout',
      'timeout expired',
      'timeout exceeded when trying to connect',
      'Client has encountered a connection error and is not queryable',
    ]) {
      expect(classifyDriverError(new Error(message)), message).toBe('unreachable');
    }
    expect(classifyDriverError(new Error('something else broke'))).toBe('query');
    expect(classifyDriverError('a thrown string')).toBe('query');
    expect(classifyDriverError(null)).toBe('query');
  });

  it('trusts a code over the message: a column named like an outage is still a query error', () => {
    expect(classifyDriverError(serverError('42703', 'column "connection error" does not exist'))).toBe(
      'query',
    );
  });

  it('reads a failed connect to several addresses by the errors inside it', () => {
    const both = new AggregateError([
      Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' }),
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    ]);
    expect(classifyDriverError(both)).toBe('unreachable');
    expect(driverCode(both)).toBe('ECONNREFUSED');
    expect(classifyDriverError(new AggregateError([serverError('28P01')]))).toBe('login');
  });
});

describe('classifyDriverError on what pg really throws', () => {
  let silent: net.Server;
  const sockets = new Set<net.Socket>();
  let silentPort = 0;
  let closedPort = 0;

  beforeAll(async () => {
    // A server that accepts and never answers (a hung database), and a port nobody listens on.
    silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as net.AddressInfo).port;
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    closedPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  async function thrown(work: () => Promise<unknown>): Promise<unknown> {
    return work().then(
      () => expect.unreachable('the connection should fail'),
      (e: unknown) => e,
    );
  }

  it('a refused connection', async () => {
    const client = new pg.Client({ host: '127.0.0.1', port: closedPort, user: 'nobody' });
    expect(classifyDriverError(await thrown(() => client.connect()))).toBe('unreachable');
  });

  it('a client and a pool that time out connecting to a server that never answers', async () => {
    const client = new pg.Client({
      host: '127.0.0.1',
      port: silentPort,
      user: 'nobody',
      connectionTimeoutMillis: 100,
    });
    expect(classifyDriverError(await thrown(() => client.connect()))).toBe('unreachable');
    const pool = new pg.Pool({
      host: '127.0.0.1',
      port: silentPort,
      user: 'nobody',
      connectionTimeoutMillis: 100,
    });
    expect(classifyDriverError(await thrown(() => pool.query('SELECT 1')))).toBe('unreachable');
    await pool.end();
  });
});

describe('the two callers keep their own words', () => {
  it('the target: a sentence for the asker per failure', () => {
    expect(toQuarryError(serverError('57014'), 15_000).userMessage).toMatch(/longer than 15 s/);
    expect(toQuarryError(serverError('25006'), 0).kind).toBe('unsafe_sql');
    expect(toQuarryError(serverError('57P01'), 0).userMessage).toMatch(/can't reach the database/);
    expect(toQuarryError(serverError('28P01'), 0).userMessage).toMatch(/couldn't log in/);
    expect(toQuarryError(serverError('08P01', 'bind message'), 0).kind).toBe('query_failed');
    const crowded = toQuarryError(serverError('53300', 'too many clients'), 0);
    expect([crowded.kind, crowded.userMessage]).toEqual([
      'query_failed',
      'The query needed more than the database allows; try a narrower question: too many clients.',
    ]);
  });

  it('memory: retry later on an outage, a full server or a garbled message; pass the rest on', () => {
    for (const code of ['ECONNREFUSED', '57P01', '08006', '53300', '08P01']) {
      expect(isConnectionError(serverError(code)), code).toBe(true);
      expect(asMemoryError(serverError(code))).toBeInstanceOf(MemoryUnavailable);
    }
    for (const code of ['42P01', '23505', '28P01', '57014']) {
      const e = serverError(code);
      expect(isConnectionError(e), code).toBe(false);
      expect(asMemoryError(e)).toBe(e);
    }
  });
});

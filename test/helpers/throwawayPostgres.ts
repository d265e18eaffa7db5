// A PostgreSQL server of one test file's own, in a temporary directory on a free port, so a
// test may stop, restart or break it without touching the shared server. PostgreSQL refuses to
// run as root, so under root the server runs as the `postgres` user.
import { execFile } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

const run = promisify(execFile);
const BIN = process.env.TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const RUN_AS = 'postgres';

export interface ThrowawayPostgres {
  port: number;
  /** A connection string for a database on this server (`postgres` by default). */
  url(database?: string): string;
  createDatabase(name: string, options?: { vector?: boolean }): Promise<string>;
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  start(): Promise<void>;
  /** Stops (fast: sessions are terminated) and starts again. */
  restart(): Promise<void>;
  /** Stops the server and deletes its directory. */
  destroy(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const isRoot = () => process.getuid?.() === 0;

/** Runs a PostgreSQL binary, as the postgres user when this process is root. */
function pgCommand(binary: string, args: string[]) {
  const path = join(BIN, binary);
  return isRoot() ? run('runuser', ['-u', RUN_AS, '--', path, ...args]) : run(path, args);
}

async function ownedByServerUser(dir: string): Promise<void> {
  if (!isRoot()) return;
  const [uid, gid] = await Promise.all([
    run('id', ['-u', RUN_AS]).then((r) => Number(r.stdout.trim())),
    run('id', ['-g', RUN_AS]).then((r) => Number(r.stdout.trim())),
  ]);
  await chown(dir, uid, gid);
}

export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const dir = await mkdtemp(join(tmpdir(), 'quarry-pg-'));
  await ownedByServerUser(dir);
  const data = join(dir, 'data');
  await pgCommand('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off`;
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const start = async () => {
    await pgCommand('pg_ctl', ['-D', data, '-o', options, '-l', join(dir, 'server.log'), '-w', 'start']);
  };
  const stop = async (mode: 'fast' | 'immediate' = 'fast') => {
    await pgCommand('pg_ctl', ['-D', data, '-m', mode, '-w', 'stop']);
  };
  await start();
  return {
    port,
    url,
    async createDatabase(name, opts = {}) {
      const admin = new pg.Client({ connectionString: url() });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE ${name}`);
      } finally {
        await admin.end();
      }
      if (opts.vector) {
        const c = new pg.Client({ connectionString: url(name) });
        await c.connect();
        try {
          await c.query('CREATE EXTENSION vector');
        } finally {
          await c.end();
        }
      }
      return url(name);
    },
    stop,
    start,
    async restart() {
      await stop('fast');
      await start();
    },
    async destroy() {
      await stop('immediate').catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
}

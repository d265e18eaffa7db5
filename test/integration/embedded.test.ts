import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { DEMO_TABLES } from '../../src/demo/schema.ts';
import { type EmbeddedDatabases, openEmbedded, openEmbeddedInMemory } from '../../src/embedded/embedded.ts';
import { ConfigError } from '../../src/errors.ts';

const DAY = 86_400_000;
const SCALE = 0.05;
// The first run pretends to happen late in the evening two days ago, so the next run has dates
// to move forward, and moving them puts that evening's orders after the present hour.
const GENERATED_AT = new Date(Math.floor(Date.now() / DAY) * DAY - DAY - 60_000); // 23:59, two days ago

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'quarry-embedded-test-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function tablesOf(db: Db): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

async function orderSpan(db: Db): Promise<{ orders: number; newest: number }> {
  const [row] = await db.query<{ orders: number; newest: number }>(
    'SELECT count(*)::int AS orders, (extract(epoch FROM max(created_at)) * 1000)::float8 AS newest FROM orders',
  );
  return row!;
}

describe('openEmbedded', () => {
  let first: { orders: number; newest: number };

  it('prepares the shop and a pgvector memory database on the first run', async () => {
    const messages: string[] = [];
    const embedded = await openEmbedded({
      dataDir,
      scale: SCALE,
      now: GENERATED_AT,
      onProgress: (m) => messages.push(m),
    });
    try {
      expect(messages[0]).toBe('Preparing the demo shop… (first run only)');
      expect(messages.at(-1)).toBe('Preparing the demo shop… 100%');
      expect(await tablesOf(embedded.target)).toEqual([...DEMO_TABLES].sort());
      first = await orderSpan(embedded.target);
      expect(first.orders).toBeGreaterThan(2000);
      expect(first.newest).toBeLessThan(GENERATED_AT.getTime());

      await embedded.memory.exec(
        `CREATE TABLE notes (id int PRIMARY KEY, embedding vector(3));
         INSERT INTO notes VALUES (1, '[1,0,0]'), (2, '[0,1,0]')`,
      );
      const nearest = await embedded.memory.query<{ id: number }>(
        `SELECT id FROM notes ORDER BY embedding <=> '[0.1,0.9,0]' LIMIT 1`,
      );
      expect(nearest).toEqual([{ id: 2 }]);
      // Two databases, never one: neither sees the other's tables.
      expect(await tablesOf(embedded.memory)).toEqual(['notes']);
      expect(await tablesOf(embedded.target)).not.toContain('notes');
    } finally {
      await embedded.close();
    }
  }, 60_000);

  it('makes a second opening of the same directory wait its turn, and says which store it waits for', async () => {
    const embedded = await openEmbedded({ dataDir, scale: SCALE, now: GENERATED_AT });
    const said: string[] = [];
    let second: Promise<EmbeddedDatabases> | undefined;
    try {
      const refused = openEmbedded({ dataDir, scale: SCALE, now: GENERATED_AT, waitMs: 0 });
      await expect(refused).rejects.toBeInstanceOf(ConfigError);
      await expect(refused).rejects.toThrow(/Quarry's embedded memory is in use by Quarry process \d+\./);
      second = openEmbedded({ dataDir, scale: SCALE, now: GENERATED_AT, onProgress: (m) => said.push(m) });
      await new Promise((r) => setTimeout(r, 500));
      expect(said).toEqual([
        expect.stringMatching(
          /^Waiting for Quarry's embedded memory, in use by Quarry process \d+ \(up to 30 s\)…$/,
        ),
      ]);
    } finally {
      await embedded.close();
    }
    const opened = await second;
    expect(await opened.target.query('SELECT count(*)::int AS n FROM products')).not.toEqual([]);
    await opened.close();
  }, 60_000);

  it('opens warm on a later day with the dates moved forward by the days elapsed', async () => {
    const messages: string[] = [];
    const now = new Date();
    const embedded = await openEmbedded({ dataDir, scale: SCALE, now, onProgress: (m) => messages.push(m) });
    try {
      expect(messages).toEqual([]);
      const later = await orderSpan(embedded.target);
      // Orders of the generating day past today's hour are dropped rather than dated in the future.
      expect(later.newest).toBeLessThanOrEqual(now.getTime());
      expect(later.orders).toBeLessThanOrEqual(first.orders);
      expect(later.orders).toBeGreaterThan(first.orders * 0.99);
      const [yesterday] = await embedded.target.query<{ orders: number }>(
        `SELECT count(*)::int AS orders FROM orders
          WHERE created_at >= date_trunc('day', $1::timestamptz) - interval '1 day'
            AND created_at < date_trunc('day', $1::timestamptz)`,
        [now.toISOString()],
      );
      expect(yesterday!.orders).toBeGreaterThan(0);
      const [customersInFuture] = await embedded.target.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM customers WHERE created_at > $1::timestamptz',
        [now.toISOString()],
      );
      expect(customersInFuture!.n).toBe(0);
      expect(await embedded.memory.query('SELECT id FROM notes ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }]);
      const stamp = JSON.parse(await readFile(join(dataDir, 'embedded', 'demo.json'), 'utf8'));
      expect(stamp.asOf).toBe(now.toISOString().slice(0, 10));
    } finally {
      await embedded.close();
    }
  }, 60_000);

  it('moves every timestamp by exactly the whole days elapsed', async () => {
    const before = await openEmbedded({ dataDir, scale: SCALE });
    const [oldest] = await before.target.query<{ at: string }>(
      'SELECT min(created_at)::text AS at FROM customers',
    );
    await before.close();
    const threeDaysOn = new Date(Date.now() + 3 * DAY);
    const after = await openEmbedded({ dataDir, scale: SCALE, now: threeDaysOn });
    try {
      const [moved] = await after.target.query<{ days: number }>(
        `SELECT extract(epoch FROM min(created_at) - $1::timestamptz)::float8 / 86400 AS days FROM customers`,
        [oldest!.at],
      );
      expect(moved!.days).toBe(3);
    } finally {
      await after.close();
    }
  }, 60_000);
});

describe('openEmbeddedInMemory', () => {
  let pair: EmbeddedDatabases;

  beforeAll(async () => {
    pair = await openEmbeddedInMemory({ scale: SCALE });
  }, 60_000);

  afterAll(async () => {
    await pair?.close();
  });

  it('gives a shop and an empty pgvector memory database', async () => {
    expect(await tablesOf(pair.target)).toEqual([...DEMO_TABLES].sort());
    expect((await orderSpan(pair.target)).orders).toBeGreaterThan(2000);
    expect(await tablesOf(pair.memory)).toEqual([]);
    expect(await pair.memory.query(`SELECT '[3,4]'::vector <-> '[0,0]'::vector AS d`)).toEqual([{ d: 5 }]);
  });
});

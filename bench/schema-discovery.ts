// Schema discovery at scale: 1,000 tables × 20 columns (a third with declared foreign keys, a
// third with keys only by naming convention, a tenth holding a few never-analyzed rows) in a
// fresh PostgreSQL database. Prints cold discovery time (target ≤ 1 s), the warm in-process
// cache hit p50 (target ≤ 2 ms) and the Redis kv layer hit time, then drops the database.
//   node --import tsx bench/schema-discovery.ts [--tables N] [--runs N]
import { parseArgs } from 'node:util';
import { postgresDb } from '../src/db/postgres.ts';
import { discoverSchema, kvSchemaLayer, loadSchema, memorySchemaLayer } from '../src/pipeline/schema.ts';
import { createTestDatabase, createTestRedis } from '../test/helpers/services.ts';

const { values: args } = parseArgs({
  options: { tables: { type: 'string', default: '1000' }, runs: { type: 'string', default: '5' } },
});
const TABLE_COUNT = Number(args.tables);
const RUNS = Number(args.runs);
const COLUMN_TYPES = [
  'text',
  'integer',
  'numeric(12,2)',
  'timestamptz',
  'date',
  'boolean',
  'jsonb',
  'bigint',
];

const tableName = (i: number) => `entity_${String(i).padStart(4, '0')}`;

function ddl(): string {
  const statements: string[] = [];
  for (let i = 0; i < TABLE_COUNT; i++) {
    const columns = ['id integer PRIMARY KEY'];
    if (i > 0) {
      const parent = tableName(Math.floor(i / 2));
      // Declared key, key by naming convention only, or no link at all.
      if (i % 3 === 0) columns.push(`${parent}_id integer REFERENCES ${parent}(id)`);
      else if (i % 3 === 1) columns.push(`${parent}_id integer`);
    }
    columns.push('kind text');
    for (let c = columns.length; c < 20; c++)
      columns.push(`col_${c} ${COLUMN_TYPES[c % COLUMN_TYPES.length]}`);
    statements.push(
      `CREATE TABLE ${tableName(i)} (${columns.join(', ')}) WITH (autovacuum_enabled = false);`,
    );
    statements.push(`COMMENT ON TABLE ${tableName(i)} IS 'entity number ${i}';`);
    if (i % 10 === 0) {
      statements.push(
        `INSERT INTO ${tableName(i)} (id, kind) SELECT g, 'kind ' || (g % 4) FROM generate_series(1, 40) g;`,
      );
    }
  }
  return statements.join('\n');
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

async function timeRuns(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

const ms = (n: number) => `${n.toFixed(n < 10 ? 3 : 1)} ms`;

async function main(): Promise<void> {
  const database = await createTestDatabase();
  const redis = await createTestRedis();
  const db = postgresDb(database.url);
  try {
    const setupStart = performance.now();
    await db.exec(ddl());
    console.log(`setup: ${TABLE_COUNT} tables × 20 columns in ${ms(performance.now() - setupStart)}`);

    const cold = await timeRuns(RUNS, () => discoverSchema(db));
    const schema = await discoverSchema(db);
    const inferred = schema.foreignKeys.filter((fk) => fk.inferred).length;
    console.log(
      `cold discovery (${RUNS} runs): p50 ${ms(percentile(cold, 50))}, max ${ms(cold.at(-1)!)} ` +
        `[${schema.tables.length} tables, ${schema.foreignKeys.length - inferred} declared + ${inferred} inferred keys]`,
    );

    const memory = memorySchemaLayer();
    await memory.set(db.label, schema);
    const warm = await timeRuns(1000, () => loadSchema(db, [memory]));
    console.log(
      `warm in-process hit (1000 runs): p50 ${ms(percentile(warm, 50))}, p99 ${ms(percentile(warm, 99))}`,
    );

    const kv = kvSchemaLayer({
      get: (key) => redis.redis.get(redis.prefix + key),
      set: async (key, value, ttlSeconds) => {
        await redis.redis.set(redis.prefix + key, value, 'EX', ttlSeconds);
      },
    });
    await kv.set(db.label, schema);
    const bytes = (await redis.redis.strlen(`${redis.prefix}schema:${db.label}:tables`)) / 1024 / 1024;
    const kvHits = await timeRuns(50, () => loadSchema(db, [kv]));
    console.log(
      `kv (Redis) hit (50 runs, ${bytes.toFixed(1)} MB JSON): p50 ${ms(percentile(kvHits, 50))}, ` +
        `p99 ${ms(percentile(kvHits, 99))}`,
    );
  } finally {
    await db.close();
    await redis.cleanup();
    await database.drop();
  }
}

await main();

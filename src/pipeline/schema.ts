import { restrictSchema } from '../access/restrictSchema.ts';
import { type AccessRules, columnReadable } from '../access/rules.ts';
import type { Db } from '../db/client.ts';
import { schemaFingerprint } from '../domain/schemaFingerprint.ts';
import type { SchemaInfo } from '../domain/types.ts';
import type { SchemaCacheLayer } from './schema/cacheLayers.ts';
import { readCatalog } from './schema/catalog.ts';
import { inferForeignKeys } from './schema/inferredKeys.ts';
import { type ColumnSample, readSamples, sampleTargets } from './schema/samples.ts';
import { columnKey, declaredForeignKeys, tableInfo, tableKey } from './schema/tables.ts';

// The schema stage (see docs/architecture.md#schema): what the target database holds, read from the
// catalog in a fixed number of statements (two, plus one short read-only transaction for sample
// values of never-analyzed tables), and kept in cache layers between questions.

export {
  type KeyValueStore,
  kvSchemaLayer,
  memorySchemaLayer,
  SCHEMA_TTL_SECONDS,
  type SchemaCacheLayer,
  schemaKey,
} from './schema/cacheLayers.ts';

export interface DiscoverOptions {
  /** Schemas to leave out, besides the system ones. */
  excludeSchemas?: string[];
  /** Read a few values of low-cardinality text columns (default true). */
  sampleValues?: boolean;
  /** Values kept per column, most common first (default 25). */
  maxSampleValues?: number;
  /** Tables and columns Quarry may not read: never sampled, and left out of the schema. */
  access?: AccessRules;
}

const DEFAULT_MAX_SAMPLE_VALUES = 25;

export async function discoverSchema(db: Db, options: DiscoverOptions = {}): Promise<SchemaInfo> {
  const maxValues =
    options.sampleValues === false ? 0 : (options.maxSampleValues ?? DEFAULT_MAX_SAMPLE_VALUES);
  const catalog = await readCatalog(db, {
    excludeSchemas: options.excludeSchemas ?? [],
    maxCommonValues: maxValues,
  });
  const targets = (maxValues > 0 ? sampleTargets(catalog.relations) : []).filter(({ relation, column }) =>
    columnReadable(options.access, relation.schema, relation.name, column.name),
  );
  const byTarget = await readSamples(db, targets, maxValues);
  const samples = new Map<string, ColumnSample>();
  for (const [i, sample] of byTarget) {
    const { relation, column } = targets[i]!;
    samples.set(columnKey(tableKey(relation.schema, relation.name), column.name), sample);
  }
  const tables = catalog.relations.map((r) => tableInfo(r, samples));
  const declared = declaredForeignKeys(catalog.relations);
  const foreignKeys = [...declared, ...inferForeignKeys(tables, declared, catalog.searchPath)];
  const schema = {
    database: catalog.database,
    fingerprint: schemaFingerprint(tables, foreignKeys),
    tables,
    foreignKeys,
    searchPath: catalog.searchPath,
    discoveredAt: new Date().toISOString(),
  };
  return restrictSchema(schema, options.access);
}

export type SchemaSource = 'memory' | 'kv' | 'store' | 'discovered';

export interface LoadedSchema {
  schema: SchemaInfo;
  source: SchemaSource;
  ms: number;
}

export interface LoadOptions extends DiscoverOptions {
  /** Told about a cache layer that failed; the load goes on without it. */
  onCacheError?: (layer: string, error: unknown) => void;
}

/** Layers other than the in-process and kv ones are durable stores. */
function sourceOf(layer: SchemaCacheLayer): SchemaSource {
  return layer.name === 'memory' || layer.name === 'kv' ? layer.name : 'store';
}

async function fill(layers: SchemaCacheLayer[], label: string, schema: SchemaInfo, options: LoadOptions) {
  await Promise.all(
    layers.map((layer) =>
      layer.set(label, schema).catch((e: unknown) => options.onCacheError?.(layer.name, e)),
    ),
  );
}

const elapsedSince = (start: number) => Math.round((performance.now() - start) * 1000) / 1000;

/** The first layer that has the database's schema answers (and fills the faster layers before
 *  it); when none has it, discovery runs and fills them all. */
export async function loadSchema(
  db: Db,
  cache: SchemaCacheLayer[],
  options: LoadOptions = {},
): Promise<LoadedSchema> {
  const start = performance.now();
  for (const [i, layer] of cache.entries()) {
    const cached = await layer.get(db.label).catch((e: unknown) => {
      options.onCacheError?.(layer.name, e);
      return null;
    });
    if (!cached) continue;
    // Cached before the access rules changed: every layer gets the restricted schema instead.
    const schema = restrictSchema(cached, options.access);
    await fill(schema === cached ? cache.slice(0, i) : cache, db.label, schema, options);
    return { schema, source: sourceOf(layer), ms: elapsedSince(start) };
  }
  return discoverInto(cache, db, options, start);
}

/** Discovers again whatever the layers hold (after a migration, or on request) and overwrites
 *  every layer. */
export function refreshSchema(
  db: Db,
  cache: SchemaCacheLayer[],
  options: LoadOptions = {},
): Promise<LoadedSchema> {
  return discoverInto(cache, db, options, performance.now());
}

async function discoverInto(cache: SchemaCacheLayer[], db: Db, options: LoadOptions, start: number) {
  const schema = await discoverSchema(db, options);
  await fill(cache, db.label, schema, options);
  return { schema, source: 'discovered' as const, ms: elapsedSince(start) };
}

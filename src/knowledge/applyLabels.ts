import type { SchemaInfo, TableKey } from '../domain/types.ts';

// The knowledge file's `labels` say which column names a table's rows. They are set on the
// schema itself, so every reader of labels (planner, compiler, model prompt) sees the team's
// choice without knowing about the file. One labelled copy per schema object: the planner's
// lexicon cache keys on the object.
const labelled = new WeakMap<SchemaInfo, WeakMap<Record<TableKey, string>, SchemaInfo>>();

export function withLabels(schema: SchemaInfo, labels?: Record<TableKey, string>): SchemaInfo {
  if (!labels || Object.keys(labels).length === 0) return schema;
  const byLabels = labelled.get(schema) ?? new WeakMap<Record<TableKey, string>, SchemaInfo>();
  labelled.set(schema, byLabels);
  let out = byLabels.get(labels);
  if (!out) {
    out = {
      ...schema,
      tables: schema.tables.map((t) => (labels[t.key] ? { ...t, label: labels[t.key] } : t)),
    };
    byLabels.set(labels, out);
  }
  return out;
}

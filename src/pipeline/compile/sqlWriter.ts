import type { Scalar } from '../../domain/types.ts';

// Collects parameters while SQL is assembled, so the same text yields both the parameterised
// statement that runs and a readable copy with literals inlined for people and for memory.
// Placeholders use a NUL-delimited token that can never occur in SQL text or identifiers.
const TOKEN = /\u0000(\d+)\u0000/g;

export class SqlWriter {
  /** `values`: those of placeholders written before, when printing text lowered earlier. */
  constructor(readonly values: Scalar[] = []) {}

  /** A placeholder for `value`; use the returned text where the value belongs. */
  param(value: Scalar): string {
    this.values.push(value);
    return `\u0000${this.values.length}\u0000`;
  }

  /** The statement to execute (`$1…`) and its parameters. */
  executable(text: string): { text: string; params: Scalar[] } {
    return { text: text.replace(TOKEN, (_, n) => `$${n}`), params: [...this.values] };
  }

  /** The statement with values written as SQL literals. */
  readable(text: string): string {
    return text.replace(TOKEN, (_, n) => literal(this.values[Number(n) - 1] as Scalar));
  }
}

export function literal(value: Scalar): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NULL';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  return `'${value.replace(/'/g, "''")}'`;
}

import type { Cell, ValueKind } from '../../domain/types.ts';

// Turns PostgreSQL's text output into Cells without losing anything: a number becomes a JS
// number only when it round-trips exactly; otherwise the exact text is kept. Timestamps become
// ISO-8601 (the transaction sets DateStyle to ISO, so the input shape is known).

const OID = {
  bool: 16,
  char: 18,
  name: 19,
  int8: 20,
  int2: 21,
  int4: 23,
  text: 25,
  oid: 26,
  json: 114,
  float4: 700,
  float8: 701,
  bpchar: 1042,
  varchar: 1043,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
  numeric: 1700,
  uuid: 2950,
  jsonb: 3802,
} as const;

const KIND_BY_OID = new Map<number, ValueKind>([
  [OID.int2, 'number'],
  [OID.int4, 'number'],
  [OID.int8, 'number'],
  [OID.oid, 'number'],
  [OID.float4, 'number'],
  [OID.float8, 'number'],
  [OID.numeric, 'number'],
  [OID.text, 'text'],
  [OID.varchar, 'text'],
  [OID.bpchar, 'text'],
  [OID.name, 'text'],
  [OID.char, 'text'],
  [OID.uuid, 'text'],
  [OID.timestamp, 'timestamp'],
  [OID.timestamptz, 'timestamp'],
  [OID.date, 'date'],
  [OID.bool, 'boolean'],
  [OID.json, 'json'],
  [OID.jsonb, 'json'],
]);

export function valueKindOf(typeOid: number): ValueKind {
  return KIND_BY_OID.get(typeOid) ?? 'other';
}

/** `-0012.5000` → `-12.5`: the shortest spelling of a decimal, as `String(number)` writes it. */
function canonicalDecimal(text: string): string {
  const m = /^([+-]?)0*(\d*?)(?:\.(\d*?)0*)?$/.exec(text);
  if (!m) return text;
  const [, sign, int, frac] = m;
  const body = `${int || '0'}${frac ? `.${frac}` : ''}`;
  return sign === '-' && body !== '0' ? `-${body}` : body;
}

/** int8/numeric text as a number when that is exact, else the text itself. */
function exactNumber(text: string): number | string {
  const n = Number(text);
  if (!Number.isFinite(n)) return text;
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) return text;
  return String(n) === canonicalDecimal(text) ? n : text;
}

/** Float text as a number; NaN and ±Infinity stay text (JSON has no spelling for them). */
function floatNumber(text: string): number | string {
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

/** `2024-01-02 03:04:05.123+05:30` → `2024-01-02T03:04:05.123+05:30`; `+01` gains `:00`. */
function isoTimestamp(text: string): string {
  const m = /^(\d{4,}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)(?:([+-]\d{2})(?::(\d{2}))?)?$/.exec(text);
  // BC dates, infinity and second-precision historical offsets have no ISO spelling: keep them.
  if (!m) return text;
  const [, date, time, offsetHours, offsetMinutes] = m;
  return `${date}T${time}${offsetHours ? `${offsetHours}:${offsetMinutes ?? '00'}` : ''}`;
}

/** One value from the server's text output (null for SQL NULL) to a Cell. */
export function toCell(text: string | null, typeOid: number): Cell {
  if (text === null) return null;
  switch (typeOid) {
    case OID.int2:
    case OID.int4:
    case OID.oid:
    case OID.float4:
    case OID.float8:
      return floatNumber(text);
    case OID.int8:
    case OID.numeric:
      return exactNumber(text);
    case OID.bool:
      return text === 't' || text === 'true';
    case OID.timestamp:
    case OID.timestamptz:
      return isoTimestamp(text);
    default:
      return text;
  }
}

import { z } from 'zod';
import { ConfigError } from './errors.ts';

// Read and validated once at start-up
// (docs/architecture.md#configuration-and-the-embedded-default). Every problem names the variable
// and says how to fix it; nothing else in the code reads process.env.

/** Entry shape accepted in QUARRY_DENY (and a knowledge file's `hidden`): one to three
 *  non-empty dot-separated names, as access/rules.ts parses them. */
export const DENY_ENTRY = /^\s*[^.\s,]+(\s*\.\s*[^.\s,]+){0,2}\s*$/;

const postgresUrl = (name: string) =>
  z
    .string()
    .trim()
    .refine((v) => /^postgres(ql)?:\/\//.test(v) && URL.canParse(v), {
      message: `${name} must be a PostgreSQL URL like postgres://user:pass@host:5432/dbname`,
    });

const positiveInt = (name: string, def: number) =>
  z.coerce
    .number({ message: `${name} must be a whole number` })
    .int(`${name} must be a whole number`)
    .positive(`${name} must be greater than 0`)
    .default(def);

/** `a, b ,c` → ['a', 'b', 'c']. */
const commaList = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const schema = z.object({
  DATABASE_URL: postgresUrl('DATABASE_URL').optional(),
  MEMORY_DATABASE_URL: postgresUrl('MEMORY_DATABASE_URL').optional(),
  REDIS_URL: z
    .string()
    .trim()
    .refine((v) => /^rediss?:\/\//.test(v) && URL.canParse(v), {
      message: 'REDIS_URL must look like redis://host:6379 (or rediss:// for TLS)',
    })
    .optional(),
  OPENAI_API_KEY: optionalText,
  OPENAI_BASE_URL: z
    .string()
    .trim()
    .refine((v) => URL.canParse(v), {
      message: 'OPENAI_BASE_URL must be a URL like http://localhost:11434/v1',
    })
    .optional(),
  QUARRY_MODEL: z.string().trim().default('gpt-4o-mini'),
  /** The LLM planner's limits: one call (its retry included), one reply, one person's day. */
  QUARRY_MODEL_TIMEOUT_MS: positiveInt('QUARRY_MODEL_TIMEOUT_MS', 20000),
  QUARRY_MODEL_MAX_TOKENS: positiveInt('QUARRY_MODEL_MAX_TOKENS', 1000),
  QUARRY_DAILY_TOKEN_BUDGET: positiveInt('QUARRY_DAILY_TOKEN_BUDGET', 200000),
  QUARRY_EMBEDDING_MODEL: z.string().trim().default('text-embedding-3-small'),
  SLACK_BOT_TOKEN: z
    .string()
    .trim()
    .refine((v) => v.startsWith('xoxb-'), {
      message:
        'SLACK_BOT_TOKEN must start with xoxb- (https://api.slack.com/apps → your app → OAuth & Permissions → Bot User OAuth Token)',
    })
    .optional(),
  SLACK_SIGNING_SECRET: z
    .string()
    .trim()
    .regex(
      /^[0-9a-f]{32}$/i,
      'SLACK_SIGNING_SECRET must be the 32 hex characters under https://api.slack.com/apps → your app → Basic Information → App Credentials',
    )
    .optional(),
  SLACK_APP_TOKEN: z
    .string()
    .trim()
    .refine((v) => v.startsWith('xapp-'), {
      message:
        'SLACK_APP_TOKEN must start with xapp- (https://api.slack.com/apps → your app → Basic Information → App-Level Tokens, scope connections:write)',
    })
    .optional(),
  SLACK_CLIENT_ID: z
    .string()
    .trim()
    .regex(
      /^\d+\.\d+$/,
      'SLACK_CLIENT_ID must look like 1234567890.1234567890 (https://api.slack.com/apps → your app → Basic Information → App Credentials → Client ID)',
    )
    .optional(),
  SLACK_CLIENT_SECRET: z
    .string()
    .trim()
    .regex(
      /^[0-9a-f]{32}$/i,
      'SLACK_CLIENT_SECRET must be the 32 hex characters of the Client Secret (https://api.slack.com/apps → your app → Basic Information → App Credentials)',
    )
    .optional(),
  SLACK_STATE_SECRET: z
    .string()
    .trim()
    .min(
      16,
      'SLACK_STATE_SECRET must be a random string of at least 16 characters, the same on every replica (e.g. the output of `openssl rand -hex 16`)',
    )
    .optional(),
  SLACK_API_URL: z
    .string()
    .trim()
    .refine((v) => URL.canParse(v), { message: 'SLACK_API_URL must be a URL like https://slack.com/api/' })
    .optional(),
  PORT: positiveInt('PORT', 3000),
  QUARRY_STATEMENT_TIMEOUT_MS: positiveInt('QUARRY_STATEMENT_TIMEOUT_MS', 15000),
  QUARRY_MAX_ROWS: positiveInt('QUARRY_MAX_ROWS', 1000),
  /** Tables and columns never read: `table`, `schema.table`, `table.column`, `schema.table.column`. */
  QUARRY_DENY: commaList
    .refine((entries) => entries.every((e) => DENY_ENTRY.test(e)), {
      message:
        'QUARRY_DENY must be a comma-separated list like customers.email, hr.salaries, audit_log (table, schema.table, table.column or schema.table.column)',
    })
    .default([]),
  /** When set, only tables in these schemas are read. */
  QUARRY_ALLOW_SCHEMAS: commaList.optional(),
  QUARRY_MAX_ANSWERS_PER_USER: positiveInt('QUARRY_MAX_ANSWERS_PER_USER', 3),
  /** Questions one Slack replica works on at once; more wait their turn. */
  QUARRY_CONCURRENT_ANSWERS: positiveInt('QUARRY_CONCURRENT_ANSWERS', 4),
  QUARRY_MAX_RESULT_BYTES: positiveInt('QUARRY_MAX_RESULT_BYTES', 5_000_000),
  /** Timeouts or connection failures in a row after which the target is left alone a while. */
  QUARRY_BREAKER_FAILURES: positiveInt('QUARRY_BREAKER_FAILURES', 3),
  QUARRY_BREAKER_SECONDS: positiveInt('QUARRY_BREAKER_SECONDS', 30),
  QUARRY_DATA_DIR: z.string().trim().default('.quarry'),
  /** How long a process waits for an embedded store another Quarry process has open; 0 never waits. */
  QUARRY_EMBEDDED_WAIT_SECONDS: z.coerce
    .number({ message: 'QUARRY_EMBEDDED_WAIT_SECONDS must be a number of seconds' })
    .min(0, 'QUARRY_EMBEDDED_WAIT_SECONDS must be 0 or more')
    .max(3600, 'QUARRY_EMBEDDED_WAIT_SECONDS must be at most 3600 (an hour)')
    .default(30),
  /** The data team's knowledge file; ./quarry.yml is read when it exists and this is unset. */
  QUARRY_KNOWLEDGE: z.string().trim().optional(),
  /** The bearer token `quarry mcp --http` requires; without it, only 127.0.0.1 is served. */
  QUARRY_MCP_TOKEN: z
    .string()
    .trim()
    .min(
      16,
      'QUARRY_MCP_TOKEN must be a random string of at least 16 characters (e.g. `openssl rand -hex 32`)',
    )
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof schema>;

/** Parses the environment; throws one ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `VAR= cmd`.
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => i.message);
    throw new ConfigError(`Configuration problem: ${lines.join('; ')}.`);
  }
  return parsed.data;
}

/** Whether a model endpoint is configured (the LLM planner and OpenAI embeddings turn on). */
export function hasModel(config: Config): boolean {
  return Boolean(config.OPENAI_API_KEY || config.OPENAI_BASE_URL);
}

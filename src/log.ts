import { pino } from 'pino';

// Structured logs to stderr (stdout belongs to answers and JSON). Secrets are redacted by
// path; result rows are never passed to the logger in the first place.
export type Logger = pino.Logger;

export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino(
    {
      level,
      base: { app: 'quarry' },
      redact: {
        paths: [
          'token',
          '*.token',
          'botToken',
          'signingSecret',
          'apiKey',
          '*.apiKey',
          'password',
          'authorization',
          '*.authorization',
          'headers.authorization',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}

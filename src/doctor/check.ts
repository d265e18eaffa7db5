import { isQuarryError } from '../errors.ts';

// One line of `quarry doctor`'s checklist. `fail` is something to fix before going live (the
// target can write, a service Quarry needs is unreachable); `warn` works but is weaker than it
// should be; `info` says what Quarry will do.

export type CheckStatus = 'ok' | 'info' | 'warn' | 'fail';

export interface CheckResult {
  /** The part of the deployment checked: "Target database", "Redis"… */
  area: string;
  status: CheckStatus;
  /** What was found, in one line. */
  title: string;
  /** What to do about it, when something should be done. */
  fix?: string;
}

export const check = (area: string) => ({
  ok: (title: string): CheckResult => ({ area, status: 'ok', title }),
  info: (title: string, fix?: string): CheckResult => ({ area, status: 'info', title, fix }),
  warn: (title: string, fix: string): CheckResult => ({ area, status: 'warn', title, fix }),
  fail: (title: string, fix: string): CheckResult => ({ area, status: 'fail', title, fix }),
  /** The service is not configured: what Quarry does instead, and how to configure it. */
  notSet: (instead: string, fix: string): CheckResult[] => [
    { area, status: 'info', title: `not set: ${instead}`, fix },
  ],
});

export type Check = ReturnType<typeof check>;

/** A reason from anything thrown, for a checklist line: the driver's own words when a typed
 *  error carries them (its message already says which variable to check). */
export function reasonOf(e: unknown): string {
  if (isQuarryError(e)) return e.detail ?? e.userMessage;
  return e instanceof Error ? e.message : String(e);
}

/** `postgres://user:secret@host:5432/db` → `host:5432/db`: never a password in the output. */
export function whereOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'the configured URL';
  }
}

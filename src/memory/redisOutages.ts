import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import { isConnectionError } from './memoryErrors.ts';

// Redis clients retry a lost connection over and over, and each failed attempt is an 'error'
// event on the client and on every BullMQ queue and worker built on it. The log gets one line
// when an outage starts and one when a reconnect succeeds, whatever the number of retries;
// an error that is not about the connection is logged each time.

export interface OutageLog {
  /** An 'error' event of a client, queue or worker. */
  error(e: unknown): void;
  /** A connection (re)established. */
  ready(): void;
}

const CLIENT_GONE = /Connection is closed|Stream isn't writeable|max retries per request|ECONNREFUSED/i;

function aboutConnection(e: unknown): boolean {
  return isConnectionError(e) || (e instanceof Error && CLIENT_GONE.test(e.message));
}

/** One outage log for everything that shares a connection to Redis, named `what` in the log. */
export function outageLog(log: Logger, what: string): OutageLog {
  let down = false;
  return {
    error(e) {
      if (!aboutConnection(e)) {
        log.error({ err: e }, `${what}: Redis error`);
        return;
      }
      if (down) return;
      down = true;
      log.error(
        { err: e instanceof Error ? e.message : String(e) },
        `${what}: Redis is unreachable; retrying until it is back`,
      );
    },
    ready() {
      if (!down) return;
      down = false;
      log.info(`${what}: Redis is reachable again`);
    },
  };
}

/** Routes a client's connection events to `outages`. */
export function watchRedis(client: Redis, outages: OutageLog): void {
  client.on('error', (e: unknown) => outages.error(e));
  client.on('ready', () => outages.ready());
}

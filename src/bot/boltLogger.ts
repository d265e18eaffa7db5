import { format } from 'node:util';
import { LogLevel, type Logger as SlackLogger } from '@slack/bolt';
import type { Logger } from '../log.ts';

// Bolt and the Web API client log through Quarry's pino logger, so their lines share its
// format, level and redaction.

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

export function boltLogger(log: Logger): SlackLogger {
  let logger = log.child({ component: 'bolt' });
  return {
    // Formatted only when the level is on: Bolt logs several debug lines per request.
    debug: (...msg) => logger.isLevelEnabled('debug') && logger.debug(format(...msg)),
    info: (...msg) => logger.isLevelEnabled('info') && logger.info(format(...msg)),
    warn: (...msg) => logger.isLevelEnabled('warn') && logger.warn(format(...msg)),
    error: (...msg) => logger.isLevelEnabled('error') && logger.error(format(...msg)),
    // Bolt asks for its own level at start-up; Quarry's LOG_LEVEL stays in charge.
    setLevel: () => {},
    getLevel: () => LEVELS[logger.level] ?? LogLevel.INFO,
    setName: (name) => {
      logger = log.child({ component: name });
    },
  };
}

// The outage log on its own: one line when the connection goes, one when it is back, however
// many retries fail in between; an error that is not about the connection is logged each time.
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { outageLog } from '../../src/memory/redisOutages.ts';

function capturedLog() {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const l of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { log: pino({ level: 'info' }, sink), lines };
}

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6390'), { code: 'ECONNREFUSED' });

describe('outage log', () => {
  it('says an outage once and its end once, for each outage', () => {
    const { log, lines } = capturedLog();
    const outages = outageLog(log, 'digest queue');
    outages.ready();
    for (let i = 0; i < 10; i++) outages.error(refused());
    outages.error(new Error('Connection is closed.'));
    outages.ready();
    outages.ready();
    outages.error(refused());
    outages.error(refused());
    outages.ready();
    expect(lines.map((l) => l.msg)).toEqual([
      'digest queue: Redis is unreachable; retrying until it is back',
      'digest queue: Redis is reachable again',
      'digest queue: Redis is unreachable; retrying until it is back',
      'digest queue: Redis is reachable again',
    ]);
  });

  it('logs every error that is not about the connection', () => {
    const { log, lines } = capturedLog();
    const outages = outageLog(log, 'digest queue');
    outages.error(new Error('ERR Error running script'));
    outages.error(new Error('ERR Error running script'));
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      [50, 'digest queue: Redis error'],
      [50, 'digest queue: Redis error'],
    ]);
  });
});

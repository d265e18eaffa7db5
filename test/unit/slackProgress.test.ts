import { describe, expect, it } from 'vitest';
import { progressReporter } from '../../src/bot/progress.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('progressReporter', () => {
  it('sends only the latest stage per interval and nothing after finish', async () => {
    const sent: string[] = [];
    const progress = progressReporter(
      async (label) => {
        sent.push(label);
      },
      { shown: 'discovering schema', minIntervalMs: 50 },
    );
    progress.stage('schema');
    progress.stage('recall');
    progress.stage('plan');
    await sleep(200);
    expect(sent).toEqual(['planning the query']);
    progress.stage('guard');
    progress.stage('execute');
    await sleep(200);
    expect(sent).toEqual(['planning the query', 'running query']);
    progress.stage('present');
    await progress.finish();
    await sleep(200);
    expect(sent).toEqual(['planning the query', 'running query']);
  });

  it('waits for an update in flight before finishing', async () => {
    let release: () => void = () => {};
    const events: string[] = [];
    const progress = progressReporter(
      (label) =>
        new Promise<void>((resolve) => {
          events.push(`start ${label}`);
          release = () => {
            events.push(`end ${label}`);
            resolve();
          };
        }),
      { shown: 'discovering schema', minIntervalMs: 0 },
    );
    progress.stage('execute');
    await sleep(10);
    const finished = progress.finish().then(() => events.push('finished'));
    await sleep(10);
    expect(events).toEqual(['start running query']);
    release();
    await finished;
    expect(events).toEqual(['start running query', 'end running query', 'finished']);
  });

  it('keeps going after a failed update', async () => {
    const errors: unknown[] = [];
    const sent: string[] = [];
    const progress = progressReporter(
      async (label) => {
        sent.push(label);
        if (sent.length === 1) throw new Error('ratelimited');
      },
      { shown: 'discovering schema', minIntervalMs: 0, onError: (e) => errors.push(e) },
    );
    progress.stage('plan');
    await sleep(10);
    progress.stage('execute');
    await sleep(10);
    await progress.finish();
    expect(sent).toEqual(['planning the query', 'running query']);
    expect(errors).toHaveLength(1);
  });
});

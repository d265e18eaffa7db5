import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { jsonlJournal } from '../../src/memory/jsonlJournal.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quarry-journal-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('jsonlJournal', () => {
  it('creates its directory and takes back what was appended', async () => {
    const journal = jsonlJournal(join(dir, 'nested', 'q.jsonl'));
    await journal.append(['{"a":1}', '{"a":2}']);
    expect(await journal.count()).toBe(2);
    const batch = await journal.take();
    expect(batch.lines).toEqual(['{"a":1}', '{"a":2}']);
    await batch.done([]);
    expect(await journal.count()).toBe(0);
  });

  it('keeps lines appended during a drain, and the lines the drain could not handle', async () => {
    const journal = jsonlJournal(join(dir, 'q.jsonl'));
    await journal.append(['one', 'two']);
    const batch = await journal.take();
    await journal.append(['three']);
    await batch.done(['two']);
    const next = await journal.take();
    expect(next.lines.sort()).toEqual(['three', 'two']);
  });

  it('finishes the batch of a drain that died before the journal that came after', async () => {
    const path = join(dir, 'q.jsonl');
    await writeFile(`${path}.draining`, 'left\n');
    await writeFile(path, 'new\n');
    const journal = jsonlJournal(path);
    const first = await journal.take();
    expect(first.lines).toEqual(['left']);
    await first.done([]);
    expect((await journal.take()).lines).toEqual(['new']);
  });

  it('is empty when nothing was ever written', async () => {
    const journal = jsonlJournal(join(dir, 'none.jsonl'));
    expect(await journal.count()).toBe(0);
    expect((await journal.take()).lines).toEqual([]);
  });
});

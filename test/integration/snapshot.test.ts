// A new embedded memory store starts from this machine's snapshot of an empty one, written into
// its directory file by file (restoreSnapshot); the temp directory is this file's own.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootMemoryOnDisk } from '../../src/embedded/memoryStore.ts';
import { MEMORY_SNAPSHOT, restoreSnapshot } from '../../src/embedded/snapshot.ts';

let scratch: string;
let savedTmpdir: string | undefined;

/** One ustar entry: a header, then the contents padded to whole blocks. */
function tarEntry(name: string, body: string, type = '0'): Buffer {
  const header = Buffer.alloc(512);
  header.write(name, 0, 'latin1');
  header.write(`${Buffer.byteLength(body).toString(8).padStart(11, '0')}\0`, 124, 'latin1');
  header.write(type, 156, 'latin1');
  header.write('ustar\u000000', 257, 'latin1');
  const contents = Buffer.alloc(Math.ceil(Buffer.byteLength(body) / 512) * 512);
  contents.write(body, 'latin1');
  return Buffer.concat([header, contents]);
}

const tar = (...entries: Buffer[]) => Buffer.concat([...entries, Buffer.alloc(1024)]);

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'quarry-snapshot-'));
  savedTmpdir = process.env.TMPDIR;
  // os.tmpdir() reads TMPDIR: this file's snapshots stay in its scratch directory.
  process.env.TMPDIR = join(scratch, 'tmp');
  await mkdir(process.env.TMPDIR);
});

afterAll(async () => {
  if (savedTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = savedTmpdir;
  await rm(scratch, { recursive: true, force: true });
});

describe('the snapshot of an empty memory store', () => {
  it('is left by the first store made, and the next store is restored from it and boots', async () => {
    const first = await bootMemoryOnDisk(join(scratch, 'first'), { oneShot: true });
    await first.close();
    const snapshot = join(tmpdir(), MEMORY_SNAPSHOT);
    const made = (await stat(snapshot)).mtimeMs;

    const second = await bootMemoryOnDisk(join(scratch, 'second'), { oneShot: true });
    try {
      const rows = await second.query<{ extname: string }>('SELECT extname FROM pg_extension');
      expect(rows.rows.map((r) => r.extname)).toContain('vector');
      await second.exec("CREATE TABLE t (v vector(3)); INSERT INTO t VALUES ('[1,2,3]')");
      expect((await second.query('SELECT * FROM t')).rows).toHaveLength(1);
    } finally {
      await second.close();
    }
    // Restored, not made again: the snapshot was not rewritten.
    expect((await stat(snapshot)).mtimeMs).toBe(made);
    expect(await readdir(join(scratch, 'second'))).toContain('PG_VERSION');
  }, 120_000);

  it('is refused whole when an entry would land outside the store, writing nothing', async () => {
    const name = 'quarry-test-escaping.tar';
    await writeFile(
      join(tmpdir(), name),
      tar(tarEntry('PG_VERSION', '17\n'), tarEntry('../escaped', 'no'), tarEntry('global/x', 'y')),
    );
    const dir = join(scratch, 'escaping', 'store');
    await mkdir(join(scratch, 'escaping'));
    await expect(restoreSnapshot(name, dir)).rejects.toThrow(/outside/);
    expect(existsSync(join(scratch, 'escaping', 'escaped'))).toBe(false);
    // Neither the store nor its staging directory is left behind.
    expect(await readdir(join(scratch, 'escaping'))).toEqual([]);
  });

  it('is refused when cut short or holding other kinds of entry, and absent is no snapshot', async () => {
    const dir = join(scratch, 'refused');
    const cut = tarEntry('PG_VERSION', 'x'.repeat(2000)).subarray(0, 1024);
    await writeFile(join(tmpdir(), 'quarry-test-cut.tar'), cut);
    await expect(restoreSnapshot('quarry-test-cut.tar', dir)).rejects.toThrow(/cut short/);
    await writeFile(join(tmpdir(), 'quarry-test-link.tar'), tar(tarEntry('link', '', '2')));
    await expect(restoreSnapshot('quarry-test-link.tar', dir)).rejects.toThrow(/unexpected kind/);
    expect(await restoreSnapshot('quarry-test-none.tar', dir)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });

  it('writes directories and files where the archive names them', async () => {
    const name = 'quarry-test-files.tar';
    await writeFile(
      join(tmpdir(), name),
      tar(tarEntry('/base', '', '5'), tarEntry('/base/1/112', 'page'), tarEntry('/pg_notify', '', '5')),
    );
    const dir = join(scratch, 'files');
    expect(await restoreSnapshot(name, dir)).toBe(true);
    expect(await readdir(dir)).toEqual(['base', 'pg_notify']);
    expect(existsSync(join(dir, 'base', '1', '112'))).toBe(true);
  });
});

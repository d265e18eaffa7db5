// The JavaScript build bin/quarry.js starts from (bin/prebuilt.js), on a throwaway checkout of two
// sources: it runs what the sources say, finds files next to them as the sources do, and is never
// used once a source differs from what was built.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { build, builtEntry, currentBuild } from '../../bin/prebuilt.js';

const run = promisify(execFile);

let root: string;

/** Written with a modification time a minute ago, as a source saved before the build began. */
async function source(path: string, text: string): Promise<void> {
  const file = join(root, path);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, text);
  const past = new Date(Date.now() - 60_000);
  await utimes(file, past, past);
}

async function output(entry: string): Promise<string> {
  return (await run(process.execPath, [entry])).stdout.trim();
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'quarry-prebuilt-'));
  await source('tsconfig.json', '{}');
  await source(
    'src/cli.ts',
    "import { greeting } from './cli/greeting.ts';\nconsole.log(await greeting());\n",
  );
  await source(
    'src/cli/greeting.ts',
    "import { readFile } from 'node:fs/promises';\n" +
      "export const greeting = async (): Promise<string> => (await readFile(new URL('./word.txt', import.meta.url), 'utf8')).trim();\n",
  );
  await source('src/cli/word.txt', 'hello');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the build bin/quarry.js starts from', () => {
  it('runs the sources, resolving files beside each source as the sources do', async () => {
    expect(currentBuild(root)).toBeNull();
    const entry = await build(root);
    expect(entry.startsWith(join(root, '.build'))).toBe(true);
    expect(await output(entry)).toBe('hello');
    expect(currentBuild(root)).toBe(entry);
    expect(await builtEntry(root)).toBe(entry);
  });

  it('is not used once a source changes, and the next run builds the change', async () => {
    const first = await build(root);
    await source('src/cli/greeting.ts', "export const greeting = async (): Promise<string> => 'changed';\n");
    expect(currentBuild(root)).toBeNull();
    const second = await builtEntry(root);
    expect(second).not.toBe(first);
    expect(await output(second!)).toBe('changed');
    expect(currentBuild(root)).toBe(second);
  });

  it('is not used once a source is removed', async () => {
    await build(root);
    await rm(join(root, 'src/cli/greeting.ts'));
    expect(currentBuild(root)).toBeNull();
    // Nothing can be built either: the sources run, and report the missing file themselves.
    expect(await builtEntry(root)).toBeNull();
  });

  it('is not used when its entry is gone', async () => {
    await rm(await build(root));
    expect(currentBuild(root)).toBeNull();
  });

  it('removes outputs no build has used for a week, and keeps those one used lately', async () => {
    await source('src/cli/other.ts', "export const other = 'other';\n");
    await source(
      'src/cli.ts',
      "const { greeting } = await import('./cli/greeting.ts');\n" +
        "const { other } = await import('./cli/other.ts');\n" +
        'console.log(await greeting(), other);\n',
    );
    const first = await build(root);
    const dir = join(root, '.build');
    const weekAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    for (const name of await readdir(dir)) await utimes(join(dir, name), weekAgo, weekAgo);
    const before = await readdir(dir);
    await source('src/cli/greeting.ts', "export const greeting = async (): Promise<string> => 'changed';\n");
    const second = await build(root);
    const after = await readdir(dir);
    expect(after).not.toContain(basename(first));
    expect(await output(second)).toBe('changed other');
    // other.ts's chunk did not change: the second build uses it as it was.
    const reused = before.filter((n) => n.endsWith('.js') && after.includes(n));
    expect(reused).toHaveLength(1);
    // A third build leaves it unused, but the second used it a moment ago: a process started
    // from the second may still load it.
    await source('src/cli/other.ts', "export const other = 'another';\n");
    expect(await output(await build(root))).toBe('changed another');
    expect(await readdir(dir)).toContain(reused[0]);
  });

  it('is not trusted when a source was saved as the build began', async () => {
    await writeFile(join(root, 'src/cli/greeting.ts'), "export const greeting = async () => 'new';\n");
    const entry = await build(root);
    expect(await output(entry)).toBe('new');
    expect(currentBuild(root)).toBeNull();
  });

  it('records every input it read', async () => {
    await build(root);
    const manifest = JSON.parse(await readFile(join(root, '.build/manifest.json'), 'utf8'));
    expect(Object.keys(manifest.inputs)).toEqual(
      expect.arrayContaining(['src/cli.ts', 'src/cli/greeting.ts', 'tsconfig.json']),
    );
  });
});

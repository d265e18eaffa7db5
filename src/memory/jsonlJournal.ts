import { appendFile, mkdir, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

// An append-only file of JSON lines: the last place a write waits when no server can take it.
// Draining moves the file aside first, so lines appended meanwhile go to a fresh file; a drain
// that dies half-way leaves the aside file, which the next drain finishes.

export interface JournalBatch {
  lines: string[];
  /** Puts `rest` (lines not handled) back into the journal and drops the aside file. */
  done(rest: string[]): Promise<void>;
}

export interface JsonlJournal {
  readonly path: string;
  append(lines: string[]): Promise<void>;
  take(): Promise<JournalBatch>;
  count(): Promise<number>;
}

async function readLines(path: string): Promise<string[]> {
  try {
    return (await readFile(path, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw e;
  }
}

export function jsonlJournal(path: string): JsonlJournal {
  const aside = `${path}.draining`;
  const append = async (lines: string[]) => {
    if (lines.length === 0) return;
    await mkdir(dirname(path), { recursive: true });
    await appendFile(path, lines.map((l) => `${l}\n`).join(''), 'utf8');
  };
  return {
    path,
    append,
    async take() {
      let lines = await readLines(aside);
      if (lines.length === 0) {
        await rename(path, aside).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'ENOENT') throw e;
        });
        lines = await readLines(aside);
      }
      return {
        lines,
        async done(rest) {
          await append(rest);
          await unlink(aside).catch(() => {});
        },
      };
    },
    async count() {
      return (await readLines(aside)).length + (await readLines(path)).length;
    },
  };
}

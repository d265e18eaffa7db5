import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Config } from '../config.ts';
import { ConfigError } from '../errors.ts';
import type { Knowledge } from './knowledgeFile.ts';

export const DEFAULT_KNOWLEDGE_FILE = 'quarry.yml';

/** The file to read: QUARRY_KNOWLEDGE, else ./quarry.yml when there is one, else none. */
export function knowledgePath(config: Pick<Config, 'QUARRY_KNOWLEDGE'>): string | null {
  if (config.QUARRY_KNOWLEDGE) return config.QUARRY_KNOWLEDGE;
  return existsSync(DEFAULT_KNOWLEDGE_FILE) ? DEFAULT_KNOWLEDGE_FILE : null;
}

export async function readKnowledge(config: Pick<Config, 'QUARRY_KNOWLEDGE'>): Promise<Knowledge | null> {
  const file = knowledgePath(config);
  if (!file) return null;
  let source: string;
  try {
    source = await readFile(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code ?? String(e);
    throw new ConfigError(
      `QUARRY_KNOWLEDGE names ${file}, which cannot be read (${reason}): point it at the knowledge file or unset it.`,
    );
  }
  // The YAML parser loads only for a deployment that has a file: most one-shot asks have none.
  const { parseKnowledge } = await import('./knowledgeFile.ts');
  return parseKnowledge(source, file);
}

import type { Config } from '../config.ts';
import { memoryTableNames, sameDatabase } from './memoryTables.ts';
import { type AccessRules, denyTables, parseAccessRules } from './rules.ts';

/** The access rules a deployment runs with: QUARRY_DENY (and the knowledge file's `hidden`) and
 *  QUARRY_ALLOW_SCHEMAS, plus Quarry's own tables when the target and memory databases are the same. */
export async function configuredAccessRules(
  config: Config,
  urls: { target?: string; memory?: string },
  hidden: string[] = [],
): Promise<AccessRules> {
  const rules = parseAccessRules([...config.QUARRY_DENY, ...hidden], config.QUARRY_ALLOW_SCHEMAS);
  return sameDatabase(urls.target, urls.memory) ? denyTables(rules, await memoryTableNames()) : rules;
}

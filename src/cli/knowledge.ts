import { Document } from 'yaml';
import { ConfigError } from '../errors.ts';
import { DEFAULT_KNOWLEDGE_FILE } from '../knowledge/loadKnowledge.ts';
import { localRuntime } from '../localRuntime.ts';
import { listEveryTeamDefinition } from '../memory/teamDefinitions.ts';
import { listVerifiedAnswers } from '../memory/verifiedAnswers.ts';
import { checkKnowledge, loadSchema } from '../pipeline/index.ts';

// `quarry knowledge check`: the knowledge file against the database, entry by entry, exit 1 on
// any problem. `quarry knowledge export`: what owners verified in Slack and the definitions
// people made in chat, as YAML to merge into the file.

/** Columns padded to their widest cell; the last one whole, so a problem is read in full. */
function reportTable(rows: string[][]): string {
  const all = [['entry', 'check', 'result'], ...rows];
  const widths = [0, 1].map((i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) => `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]}`;
  return [
    line(all[0]!),
    line(['-'.repeat(widths[0]!), '-'.repeat(widths[1]!), '------']),
    ...rows.map(line),
  ].join('\n');
}

export async function knowledgeCheckCommand(opts: { databaseUrl?: string }): Promise<number> {
  const runtime = await localRuntime({ databaseUrl: opts.databaseUrl, skipKnowledge: true });
  try {
    const k = runtime.knowledgeFile;
    if (!k)
      throw new ConfigError(
        `There is no knowledge file: set QUARRY_KNOWLEDGE to its path or create ./${DEFAULT_KNOWLEDGE_FILE}.`,
      );
    const { pipeline } = runtime;
    const { schema } = await loadSchema(pipeline.target, pipeline.schemaLayers, { access: pipeline.access });
    const { findings } = await checkKnowledge(k, { ...pipeline, schema }, { full: true });
    const rows = findings.map((f) => [
      f.entry,
      f.ok ? 'ok' : 'PROBLEM',
      f.ok ? f.result : `${f.result}; ${f.fix}`,
    ]);
    const problems = findings.filter((f) => !f.ok).length;
    const table = rows.length ? reportTable(rows) : '(no entries to check)';
    const verdict = problems
      ? `${k.file}: ${problems} ${problems === 1 ? 'problem' : 'problems'} in ${findings.length} entries.`
      : `${k.file}: all ${findings.length} entries are good.`;
    process.stdout.write(`${table}\n\n${verdict}\n`);
    return problems ? 1 : 0;
  } finally {
    await runtime.close();
  }
}

export async function knowledgeExportCommand(): Promise<number> {
  const runtime = await localRuntime({ skipKnowledge: true });
  try {
    const [definitions, verified] = await Promise.all([
      listEveryTeamDefinition(runtime.memoryDb),
      listVerifiedAnswers(runtime.memoryDb),
    ]);
    const doc = new Document({
      definitions: definitions.map((d) => ({ term: d.term, means: d.definition })),
      verified: verified.map((v) => ({ question: v.question, sql: v.sql })),
    });
    doc.commentBefore = ` Definitions made in chat and answers data owners verified in Slack; merge into ${DEFAULT_KNOWLEDGE_FILE}.`;
    const notes = [
      ...definitions.map((d) => ` defined by ${d.createdBy} on ${d.updatedAt.slice(0, 10)} in ${d.teamId}`),
      ...verified.map((v) => ` verified by ${v.verifiedBy} on ${v.verifiedAt.slice(0, 10)} in ${v.teamId}`),
    ];
    const items = ['definitions', 'verified'].flatMap(
      (key) => (doc.get(key) as { items: { commentBefore?: string }[] }).items,
    );
    for (const [i, item] of items.entries()) item.commentBefore = notes[i];
    process.stdout.write(doc.toString());
    return 0;
  } finally {
    await runtime.close();
  }
}

import type { CheckResult, CheckStatus } from './check.ts';

// The checklist as people read it: grouped by area, a mark per line, each fix under its line.

const MARK: Record<CheckStatus, string> = { ok: '✓', info: '·', warn: '!', fail: '✗' };

export function formatChecklist(results: CheckResult[]): string {
  const lines: string[] = ['Quarry doctor', ''];
  const areas = [...new Set(results.map((r) => r.area))];
  for (const area of areas) {
    lines.push(area);
    for (const r of results.filter((x) => x.area === area)) {
      lines.push(`  ${MARK[r.status]} ${r.title}`);
      if (r.fix) lines.push(`      ${r.status === 'info' ? 'hint' : 'fix'}: ${r.fix}`);
    }
    lines.push('');
  }
  const fails = results.filter((r) => r.status === 'fail').length;
  const warns = results.filter((r) => r.status === 'warn').length;
  lines.push(
    fails
      ? `${fails} problem(s) to fix${warns ? ` and ${warns} warning(s)` : ''}.`
      : warns
        ? `No problems; ${warns} warning(s).`
        : 'All good.',
  );
  return `${lines.join('\n')}\n`;
}

/** 1 when any check failed (the target can write, or a service Quarry needs is unreachable). */
export function doctorExitCode(results: CheckResult[]): number {
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}

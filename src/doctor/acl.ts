import { grantedTo, type RoleGraph, revokeFix } from './roles.ts';
import { some, type WritePath } from './writePath.ts';

// Grants as read from PostgreSQL's access lists (aclexplode): grouped by grantee, each group one
// finding whose fix is the REVOKE that removes exactly what was found.

export interface Grant {
  schema: string;
  object: string;
  grantee: string;
  privileges: string;
}

export const byGrantee = <T extends { grantee: string }>(rows: T[]) => {
  const groups = new Map<string, T[]>();
  for (const r of rows) groups.set(r.grantee, [...(groups.get(r.grantee) ?? []), r]);
  return [...groups];
};

export const union = (rows: Grant[]) =>
  [...new Set(rows.flatMap((r) => r.privileges.split(', ')))].sort().join(', ');

export interface Kind {
  noun: string;
  /** The object clause of REVOKE for these objects. */
  on: (rows: Grant[]) => string;
  severity?: 'fail' | 'warn';
  /** The title's opening, after the role ("can write: "). */
  lead?: string;
}

export function pathsOf(g: RoleGraph, rows: Grant[], kind: Kind): WritePath[] {
  return byGrantee(rows).map(([grantee, list]) => ({
    severity: kind.severity ?? 'fail',
    // Each object's own privileges only when they differ between objects.
    title: `role ${g.me.name} ${kind.lead ?? 'can write: '}${union(list)} on ${list.length} ${kind.noun}: ${some(
      list.map((r) =>
        list.every((x) => x.privileges === list[0]!.privileges) ? r.object : `${r.object} (${r.privileges})`,
      ),
    )}${grantedTo(g, grantee)}`,
    fix: revokeFix(g, grantee, (from) => `REVOKE ${union(list)} ON ${kind.on(list)} FROM ${from}`),
  }));
}

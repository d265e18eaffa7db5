import type { DbSession } from '../db/client.ts';
import { quoteIdent } from '../pipeline/index.ts';
import { membership, type RoleGraph } from './roles.ts';
import { some, type WritePath } from './writePath.ts';

// An owner may do anything to what it owns — write a table, replace a function, drop a schema's
// objects, write a large object — and may grant itself again whatever was revoked, so owning
// anything in the target is a path to a write. PostgreSQL records owners in pg_shdepend (the
// roles it pins, such as pg_database_owner, excepted: their schemas are read directly).

interface Owned {
  type: string;
  identity: string;
  owner: string;
}

const OWNED_SQL = `
SELECT o.type, o.identity, d.refobjid::text AS owner
FROM pg_shdepend d, LATERAL pg_identify_object(d.classid, d.objid, d.objsubid) o
WHERE d.deptype = 'o' AND d.refobjid = ANY ($1::text[]::oid[])
  AND (d.dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) OR d.dbid = 0)
UNION ALL
SELECT 'schema', quote_ident(n.nspname), n.nspowner::text
FROM pg_namespace n
WHERE n.nspowner = 'pg_database_owner'::regrole AND n.nspowner = ANY ($1::text[]::oid[])
ORDER BY 3, 1, 2`;

export interface OwnershipFindings {
  paths: WritePath[];
  /** Qualified names of the relations, schemas and databases owned. */
  named: Set<string>;
}

export async function ownershipPaths(s: DbSession, g: RoleGraph): Promise<OwnershipFindings> {
  const rows = await s.query<Owned>(OWNED_SQL, [g.grantees.filter((o) => o !== '0')]);
  const groups = new Map<string, Owned[]>();
  for (const r of rows) groups.set(r.owner, [...(groups.get(r.owner) ?? []), r]);
  const paths = [...groups].map(([oid, owned]): WritePath => {
    const role = g.byOid.get(oid)!;
    const objects = some(owned.map((o) => `${o.type} ${o.identity}`));
    const fix =
      role.name === 'pg_database_owner'
        ? `ALTER DATABASE ${quoteIdent(g.database)} OWNER TO ${g.admin}`
        : `REASSIGN OWNED BY ${quoteIdent(role.name)} TO ${g.admin} — in this database; or ALTER … OWNER TO ${g.admin} for each`;
    return {
      severity: 'fail',
      title: role.self
        ? `role ${g.me.name} can write: it owns ${owned.length} object(s): ${objects}`
        : `role ${g.me.name} can write: ${role.name} owns ${owned.length} object(s): ${objects} (${membership(g, role)})`,
      fix:
        role.self || role.name === 'pg_database_owner'
          ? fix
          : `${fix} — or take ${g.me.name} out of that role: REVOKE ${quoteIdent(role.via ?? role.name)} FROM ${quoteIdent(g.me.name)}`,
    };
  });
  return { paths, named: new Set(rows.map((r) => r.identity)) };
}

import type { DbSession } from '../db/client.ts';
import type { Filter } from '../domain/types.ts';
import { onMemory } from './memoryErrors.ts';
import { isoOf } from './rows.ts';

// Terms a team defined ("revenue means completed orders only"): the planner honours them for
// everyone in the team.

export interface TeamDefinition {
  term: string;
  definition: string;
  /** The filters the term stands for, when it was given in structured form. */
  filter: Filter[] | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

interface DefinitionRow {
  term: string;
  definition: string;
  filter: Filter[] | null;
  created_by: string;
  created_at: unknown;
  updated_at: unknown;
}

const COLUMNS = 'term, definition, filter, created_by, created_at, updated_at';

function definitionOf(r: DefinitionRow): TeamDefinition {
  return {
    term: r.term,
    definition: r.definition,
    filter: r.filter,
    createdBy: r.created_by,
    createdAt: isoOf(r.created_at),
    updatedAt: isoOf(r.updated_at),
  };
}

function termOf(term: string): string {
  return term.trim().toLowerCase();
}

/** Defines a term for the team, or replaces its definition. */
export async function defineTerm(
  db: DbSession,
  d: { teamId: string; term: string; definition: string; filter?: Filter[] | null; createdBy: string },
): Promise<TeamDefinition> {
  return onMemory(async () => {
    const [row] = await db.query<DefinitionRow>(
      `INSERT INTO team_definitions (team_id, term, definition, filter, created_by) VALUES ($1, $2, $3, $4::jsonb, $5)
       ON CONFLICT (team_id, term) DO UPDATE SET
         definition = EXCLUDED.definition, filter = EXCLUDED.filter,
         created_by = EXCLUDED.created_by, updated_at = now()
       RETURNING ${COLUMNS}`,
      [d.teamId, termOf(d.term), d.definition, d.filter ? JSON.stringify(d.filter) : null, d.createdBy],
    );
    return definitionOf(row!);
  });
}

export async function listDefinitions(db: DbSession, teamId: string): Promise<TeamDefinition[]> {
  return onMemory(async () => {
    const rows = await db.query<DefinitionRow>(
      `SELECT ${COLUMNS} FROM team_definitions WHERE team_id = $1 ORDER BY term`,
      [teamId],
    );
    return rows.map(definitionOf);
  });
}

/** Every workspace's definitions, the latest of each term, for `quarry knowledge export`. */
export async function listEveryTeamDefinition(
  db: DbSession,
): Promise<(TeamDefinition & { teamId: string })[]> {
  return onMemory(async () => {
    const rows = await db.query<DefinitionRow & { team_id: string }>(
      `SELECT DISTINCT ON (term) team_id, ${COLUMNS} FROM team_definitions ORDER BY term, updated_at DESC`,
    );
    return rows.map((r) => ({ ...definitionOf(r), teamId: r.team_id }));
  });
}

/** Removes a term; false when the team had no such term. */
export async function removeDefinition(db: DbSession, teamId: string, term: string): Promise<boolean> {
  return onMemory(async () => {
    const rows = await db.query(
      'DELETE FROM team_definitions WHERE team_id = $1 AND term = $2 RETURNING term',
      [teamId, termOf(term)],
    );
    return rows.length > 0;
  });
}

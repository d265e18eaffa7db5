// `quarry doctor` on the target database: a role per way PostgreSQL offers to write — a column
// grant, a sequence, a writer role reached with or without INHERIT, ownership, a predefined
// role, an attribute, a CREATE grant, a SECURITY DEFINER function — each exits 1 and names the
// statement that closes it; running that statement makes the role pass. The role
// scripts/readonly-role.sql makes passes with exit 0. Roles are cluster-wide: every name here
// carries this run's prefix, and all are dropped afterwards.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/client.ts';
import { postgresDb } from '../../src/db/postgres.ts';
import type { CheckResult } from '../../src/doctor/check.ts';
import { checkTarget } from '../../src/doctor/target.ts';
import { createTestDatabase, TEST_PG_ADMIN_URL, type TestDatabase, uniqueName } from '../helpers/services.ts';

const run = promisify(execFile);
const prefix = uniqueName('qd');
const role = (name: string) => `${prefix}_${name}`;
const PASSWORD = 'doctor-pass';
let target: TestDatabase;
let owner: Db;
const created: string[] = [];

function urlAs(name: string): string {
  const u = new URL(TEST_PG_ADMIN_URL);
  u.username = name;
  u.password = PASSWORD;
  u.pathname = `/${target.name}`;
  return u.toString();
}

async function doctorCli(name: string): Promise<{ code: number; stdout: string }> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
  try {
    const { stdout } = await run('node', ['bin/quarry.js', 'doctor', '--database-url', urlAs(name)], { env });
    return { code: 0, stdout };
  } catch (e) {
    const failure = e as { code: number; stdout: string };
    return { code: failure.code, stdout: failure.stdout };
  }
}

/** A login role that reads every table (so only the case under test can fail it). */
async function reader(name: string, options = ''): Promise<string> {
  const r = role(name);
  created.push(r);
  await owner.exec(
    `CREATE ROLE ${r} LOGIN PASSWORD '${PASSWORD}' ${options};
     GRANT SELECT ON ALL TABLES IN SCHEMA public TO ${r};
     ALTER ROLE ${r} SET default_transaction_read_only = on; ALTER ROLE ${r} SET statement_timeout = '5s'`,
  );
  return r;
}

async function groupRole(name: string, options = ''): Promise<string> {
  const r = role(name);
  created.push(r);
  await owner.exec(`CREATE ROLE ${r} NOLOGIN ${options}`);
  return r;
}

const failures = (results: CheckResult[]) => results.filter((r) => r.status === 'fail');
/** The statement(s) a fix starts with, before any note or other way. */
const statementOf = (fix: string) => fix.split(' — ')[0]!;

/** Doctor exits 1 naming `title` and `fix`; running the fix as the admin clears the failure. */
async function expectCaught(name: string, title: RegExp, fix: string): Promise<void> {
  const cli = await doctorCli(name);
  expect(cli.code, cli.stdout).toBe(1);
  expect(cli.stdout).toMatch(title);
  expect(cli.stdout).toContain(fix);
  expect(cli.stdout).not.toContain('cannot change data');

  const [failed, ...others] = failures(await checkTarget(urlAs(name)));
  expect(others, JSON.stringify(others)).toEqual([]);
  expect(failed!.fix).toContain(fix);
  await owner.exec(statementOf(failed!.fix!));
  const after = await checkTarget(urlAs(name));
  expect(failures(after)).toEqual([]);
  expect(after.map((r) => r.title).join('\n')).toContain(`role ${name} cannot change data`);
}

beforeAll(async () => {
  target = await createTestDatabase();
  owner = postgresDb(target.url, { max: 1 });
  await owner.exec(
    `CREATE TABLE canary (id serial PRIMARY KEY, note text);
     INSERT INTO canary (note) VALUES ('alpha');
     CREATE TABLE events (id int, day int) PARTITION BY RANGE (day);
     CREATE TABLE events_1 PARTITION OF events FOR VALUES FROM (0) TO (10);
     CREATE TABLE events_2 PARTITION OF events FOR VALUES FROM (10) TO (20);
     CREATE VIEW notes AS SELECT note FROM canary;
     CREATE MATERIALIZED VIEW note_count AS SELECT count(*) FROM canary`,
  );
}, 60_000);

afterAll(async () => {
  await owner?.close();
  await target?.drop();
  const admin = postgresDb(TEST_PG_ADMIN_URL, { max: 1 });
  try {
    // Members first: a role granted to others drops all the same, but order keeps it plain.
    for (const r of created.reverse()) await admin.exec(`DROP ROLE IF EXISTS ${r}`);
  } finally {
    await admin.close();
  }
});

describe('quarry doctor: every path to a write on the target', () => {
  it('a column-level UPDATE grant', async () => {
    const r = await reader('column');
    await owner.exec(`GRANT UPDATE (note) ON canary TO ${r}`);
    await expectCaught(
      r,
      new RegExp(`✗ role ${r} can write: UPDATE on column\\(s\\) public\\.canary\\(note\\)`),
      `REVOKE UPDATE (note) ON TABLE public.canary FROM ${r}`,
    );
  });

  it('USAGE on a sequence (nextval)', async () => {
    const r = await reader('sequence');
    await owner.exec(`GRANT USAGE ON SEQUENCE canary_id_seq TO ${r}`);
    await expectCaught(
      r,
      new RegExp(`✗ role ${r} can write: USAGE on 1 sequence.*public\\.canary_id_seq`),
      `REVOKE USAGE ON SEQUENCE public.canary_id_seq FROM ${r}`,
    );
  });

  it('a NOINHERIT member of a role that can write, reachable with SET ROLE', async () => {
    const writer = await groupRole('writer_a');
    await owner.exec(`GRANT INSERT, DELETE ON canary TO ${writer}`);
    const r = await reader('noinherit', 'NOINHERIT');
    await owner.exec(`GRANT ${writer} TO ${r}`);
    await expectCaught(
      r,
      new RegExp(`DELETE, INSERT on .*granted to ${writer} .*NOINHERIT: reachable with SET ROLE ${writer}`),
      `REVOKE DELETE, INSERT ON TABLE public.canary FROM ${writer} — or take ${r} out of that role: REVOKE ${writer} FROM ${r}`,
    );
  });

  it('an INHERIT member, through a role in between', async () => {
    const writer = await groupRole('writer_b');
    const middle = await groupRole('middle');
    await owner.exec(`GRANT TRUNCATE ON canary TO ${writer}; GRANT ${writer} TO ${middle}`);
    const r = await reader('inherit');
    await owner.exec(`GRANT ${middle} TO ${r}`);
    await expectCaught(
      r,
      new RegExp(`TRUNCATE on .*granted to ${writer} \\(${r} is a member through ${middle} \\(inherits`),
      `REVOKE TRUNCATE ON TABLE public.canary FROM ${writer} — or take ${r} out of that role: REVOKE ${middle} FROM ${r}`,
    );
  });

  it('the owner of a table', async () => {
    const r = await reader('owner');
    await owner.exec(`CREATE TABLE owned (id int); ALTER TABLE owned OWNER TO ${r}`);
    await expectCaught(
      r,
      new RegExp(`✗ role ${r} can write: it owns 1 object\\(s\\): table public\\.owned`),
      `REASSIGN OWNED BY ${r} TO postgres`,
    );
  });

  it('a member of pg_write_all_data', async () => {
    const r = await reader('write_all');
    await owner.exec(`GRANT pg_write_all_data TO ${r}`);
    await expectCaught(
      r,
      /member of pg_write_all_data, which writes every table/,
      `REVOKE pg_write_all_data FROM ${r}`,
    );
  });

  it('CREATEROLE, which grants any role', async () => {
    const attr = await reader('createrole', 'CREATEROLE');
    await expectCaught(
      attr,
      /can write: CREATEROLE — it can grant itself any role/,
      `ALTER ROLE ${attr} NOCREATEROLE`,
    );
  });

  it('CREATE on a schema and on the database', async () => {
    const schema = await reader('schema');
    await owner.exec(`GRANT CREATE ON SCHEMA public TO ${schema}`);
    await expectCaught(schema, /CREATE on 1 schema/, `REVOKE CREATE ON SCHEMA public FROM ${schema}`);

    const database = await reader('database');
    await owner.exec(`GRANT CREATE ON DATABASE ${target.name} TO ${database}`);
    await expectCaught(
      database,
      /CREATE on database/,
      `REVOKE CREATE ON DATABASE ${target.name} FROM ${database}`,
    );
  });

  it('EXECUTE on a SECURITY DEFINER function that writes as its owner', async () => {
    const definer = await reader('definer');
    await owner.exec(
      `CREATE FUNCTION add_note(t text) RETURNS void LANGUAGE sql SECURITY DEFINER
         AS $$ INSERT INTO canary (note) VALUES (t) $$`,
    );
    await expectCaught(
      definer,
      /SECURITY DEFINER function\(s\), which run as their owner: public\.add_note\(t text\) as postgres, granted to PUBLIC/,
      'REVOKE EXECUTE ON FUNCTION public.add_note(t text) FROM PUBLIC',
    );
  });

  it('a grant to PUBLIC', async () => {
    const r = await reader('public');
    await owner.exec('GRANT UPDATE ON canary TO PUBLIC');
    await expectCaught(
      r,
      /can write: UPDATE on 1 table\(s\) or view\(s\): public\.canary, granted to PUBLIC/,
      'REVOKE UPDATE ON TABLE public.canary FROM PUBLIC',
    );
  });

  it('pg_read_server_files fails as reaching past the data; pg_signal_backend only warns', async () => {
    const r = await reader('server_files');
    await owner.exec(`GRANT pg_read_server_files, pg_signal_backend TO ${r}`);
    const cli = await doctorCli(r);
    expect(cli.stdout).toContain(`! role ${r} is a member of pg_signal_backend`);
    await expectCaught(
      r,
      new RegExp(`✗ role ${r} reaches beyond its data: member of pg_read_server_files, which reads any file`),
      `REVOKE pg_read_server_files FROM ${r}`,
    );
  });

  it('a NOINHERIT member of a superuser role', async () => {
    const boss = await groupRole('boss', 'SUPERUSER');
    const r = await reader('boss_member', 'NOINHERIT');
    await owner.exec(`GRANT ${boss} TO ${r}`);
    await expectCaught(
      r,
      new RegExp(
        `can write: it can become superuser ${boss} \\(.*NOINHERIT: reachable with SET ROLE ${boss}`,
      ),
      `REVOKE ${boss} FROM ${r}`,
    );
  });

  it('UPDATE on a large object', async () => {
    const r = await reader('large_object');
    const [lo] = await owner.query<{ oid: string }>('SELECT lo_from_bytea(0, $1)::text AS oid', [
      Buffer.from('x'),
    ]);
    await owner.exec(`GRANT UPDATE ON LARGE OBJECT ${lo!.oid} TO ${r}`);
    await expectCaught(r, /UPDATE on 1 large object/, `REVOKE UPDATE ON LARGE OBJECT ${lo!.oid} FROM ${r}`);
    await owner.exec(`SELECT lo_unlink(${lo!.oid})`);
  });

  it('the owner of the database, which also owns its public schema', async () => {
    const r = await reader('db_owner');
    await owner.exec(`ALTER DATABASE ${target.name} OWNER TO ${r}`);
    const cli = await doctorCli(r);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`✗ role ${r} can write: it owns 1 object(s): database ${target.name}`);
    expect(cli.stdout).toContain(`REASSIGN OWNED BY ${r} TO postgres`);
    expect(cli.stdout).toContain(
      `✗ role ${r} can write: pg_database_owner owns 1 object(s): schema public (${r} owns the database)`,
    );
    await owner.exec(`REASSIGN OWNED BY ${r} TO postgres`);
    expect(failures(await checkTarget(urlAs(r)))).toEqual([]);
  });

  it('passes the role scripts/readonly-role.sql makes, with exit 0, and counts relations by kind', async () => {
    const r = role('reader');
    const group = role('readers');
    created.push(group, r);
    await run('psql', [
      target.url,
      '-q',
      '-v',
      `reader=${r}`,
      '-v',
      `group=${group}`,
      '-v',
      `password=${PASSWORD}`,
      '-f',
      'scripts/readonly-role.sql',
    ]);
    const cli = await doctorCli(r);
    expect(cli.code, cli.stdout).toBe(0);
    expect(cli.stdout).toContain(`✓ role ${r} cannot change data`);
    expect(cli.stdout).toContain(
      '· reads public: 3 of 3 tables, 2 of 2 partitions, 1 of 1 view, 1 of 1 materialized view',
    );
    // What every role may do by default is said, as a warning.
    expect(cli.stdout).toMatch(/! role .* may create temporary tables/);
    expect(cli.stdout).toMatch(/! role .* may create large objects, even in a READ ONLY transaction/);
    // And it really cannot write, with the read-only default off.
    const db = postgresDb(urlAs(r), { max: 1 });
    try {
      await db.session(async (s) => {
        await s.exec('SET default_transaction_read_only = off');
        await expect(s.query("UPDATE canary SET note = 'x'")).rejects.toMatchObject({ code: '42501' });
        await expect(s.query("SELECT nextval('canary_id_seq')")).rejects.toMatchObject({ code: '42501' });
      });
    } finally {
      await db.close();
    }
  });
});

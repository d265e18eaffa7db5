-- A read-only role for Quarry's target database: a NOLOGIN group holding the privileges, and a
-- LOGIN user in it whose sessions are read-only and time-limited by default. Quarry already
-- reads in READ ONLY transactions behind a SQL guard; this role is the wall behind both.
--
-- Run it in the target database as the owner of its tables (or a superuser):
--   psql "postgres://admin@host:5432/shop" -v reader=quarry_reader -v password='…' \
--        -f scripts/readonly-role.sql
-- then set DATABASE_URL=postgres://quarry_reader:…@host:5432/shop and run `quarry doctor`.
--
-- Variables (all optional):
--   reader    the login user                      (default quarry_reader)
--   password  its password; leave out for peer/certificate authentication
--   group     the NOLOGIN group                   (default quarry_readers)
--   schemas   comma list of schemas to read       (default every non-system schema)
--   timeout   statement_timeout of the user       (default 30s)
--   owner     role whose future tables the group may read (default the role running this)
-- Safe to run again, e.g. after adding a schema. On PostgreSQL 14 and older every role may
-- create tables in `public` unless you run: REVOKE CREATE ON SCHEMA public FROM PUBLIC;

\set ON_ERROR_STOP on
\if :{?reader}
\else
  \set reader quarry_reader
\endif
\if :{?group}
\else
  \set group quarry_readers
\endif
\if :{?schemas}
\else
  \set schemas ''
\endif
\if :{?timeout}
\else
  \set timeout 30s
\endif
\if :{?owner}
\else
  \set owner ''
\endif

-- psql does not substitute variables inside a DO body; settings carry them in.
SET quarry.reader = :'reader';
SET quarry.reader_group = :'group';
SET quarry.schemas = :'schemas';
SET quarry.timeout = :'timeout';
SET quarry.owner = :'owner';

DO $$
DECLARE
  reader text := current_setting('quarry.reader');
  grp text := current_setting('quarry.reader_group');
  wanted text[] := string_to_array(nullif(replace(current_setting('quarry.schemas'), ' ', ''), ''), ',');
  owner text := nullif(current_setting('quarry.owner'), '');
  s text;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = grp) THEN
    EXECUTE format('CREATE ROLE %I NOLOGIN', grp);
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = reader) THEN
    EXECUTE format('CREATE ROLE %I LOGIN', reader);
  END IF;
  EXECUTE format('ALTER ROLE %I NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT', reader);
  EXECUTE format('GRANT %I TO %I', grp, reader);
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), grp);
  FOR s IN
    SELECT nspname FROM pg_namespace
    WHERE nspname <> 'information_schema' AND nspname !~ '^pg_'
      AND (wanted IS NULL OR nspname = ANY (wanted))
  LOOP
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, grp);
    -- Tables, views, materialized views and foreign tables alike.
    EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', s, grp);
    IF owner IS NULL THEN
      EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON TABLES TO %I', s, grp);
    ELSE
      EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA %I GRANT SELECT ON TABLES TO %I',
                     owner, s, grp);
    END IF;
  END LOOP;
  -- Role settings are not inherited through groups, so they go on the login user.
  EXECUTE format('ALTER ROLE %I SET default_transaction_read_only = on', reader);
  EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', reader, current_setting('quarry.timeout'));
  EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', reader, '60s');
END
$$;

\if :{?password}
  ALTER ROLE :"reader" PASSWORD :'password';
\endif

-- The last discovered schema of each target database a team queries (behind the Redis copy).
CREATE TABLE schema_cache (
  team_id text NOT NULL,
  database text NOT NULL,
  fingerprint text NOT NULL,
  schema jsonb NOT NULL,
  discovered_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, database)
);

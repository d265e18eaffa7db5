-- Question patterns that worked (or failed), searched by meaning at recall time.
-- The dimension is fixed per deployment (EMBEDDING_DIMENSIONS in src/memory/embed.ts); rows
-- record which embedder made them and are only compared with rows of the same embedder.
CREATE TABLE query_embeddings (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id text NOT NULL,
  user_id text NOT NULL,
  question text NOT NULL,
  normalized_question text NOT NULL,
  embedding vector(256) NOT NULL,
  embedder text NOT NULL,
  plan jsonb NOT NULL,
  plan_key text NOT NULL,
  sql_template text,
  success_count integer NOT NULL DEFAULT 0,
  failure_count integer NOT NULL DEFAULT 0,
  -- The owner's feedback; their confidence in the pattern is derived from these.
  thumbs_up integer NOT NULL DEFAULT 0,
  thumbs_down integer NOT NULL DEFAULT 0,
  schema_fingerprint text NOT NULL,
  retired boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (team_id, user_id, embedder, normalized_question, plan_key)
);
CREATE INDEX query_embeddings_embedding ON query_embeddings USING hnsw (embedding vector_cosine_ops);
CREATE INDEX query_embeddings_owner ON query_embeddings (team_id, user_id, embedder);
CREATE INDEX query_embeddings_fingerprint ON query_embeddings (team_id, schema_fingerprint) WHERE NOT retired;

ALTER TABLE user_query_history
  ADD FOREIGN KEY (pattern_id) REFERENCES query_embeddings (id) ON DELETE SET NULL;

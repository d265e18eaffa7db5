-- Answers a data owner verified in Slack: the question is answered with this SQL for everyone
-- in the workspace, until it fails and is set aside.
CREATE TABLE verified_answers (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id text NOT NULL,
  question text NOT NULL,
  normalized_question text NOT NULL,
  sql text NOT NULL,
  embedding vector(256),
  embedder text,
  answer_id text NOT NULL,
  verified_by text NOT NULL,
  verified_at timestamptz NOT NULL DEFAULT now(),
  -- Set when the SQL later failed (schema changed, the guard refused it): never used again.
  set_aside_at timestamptz,
  set_aside_reason text,
  UNIQUE (team_id, normalized_question)
);
CREATE INDEX verified_answers_team ON verified_answers (team_id, embedder) WHERE set_aside_at IS NULL;

-- The knowledge file's definitions as last applied, so a changed one retires the patterns
-- built on the old meaning.
CREATE TABLE knowledge_definitions (
  term text PRIMARY KEY,
  digest text NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE user_query_history DROP CONSTRAINT user_query_history_source_check;
ALTER TABLE user_query_history ADD CONSTRAINT user_query_history_source_check
  CHECK (source IN ('memory', 'followup', 'rules', 'llm', 'verified'));

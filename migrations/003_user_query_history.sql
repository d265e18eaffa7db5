-- Every question asked, answered or not: the source of /usual and of usage statistics.
CREATE TABLE user_query_history (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id text NOT NULL,
  user_id text NOT NULL,
  -- The answer's id: shown on its feedback buttons, and the idempotency key of its learning
  -- (a learning replayed from the retry queue meets this row and is skipped).
  answer_id uuid NOT NULL,
  session_id text,
  question text NOT NULL,
  plan jsonb,
  -- Hash of the plan (planKey), so /usual can group the same panel asked many times.
  plan_key text,
  sql text,
  source text CHECK (source IN ('memory', 'followup', 'rules', 'llm')),
  success boolean NOT NULL,
  error_kind text,
  row_count integer,
  timings jsonb NOT NULL DEFAULT '{}',
  tokens_used integer NOT NULL DEFAULT 0,
  pattern_id bigint,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (team_id, answer_id)
);
CREATE INDEX user_query_history_user_recent ON user_query_history (team_id, user_id, created_at DESC);

-- 👍 / 👎 on answers; one vote per person and answer (a second click changes it).
CREATE TABLE answer_feedback (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id text NOT NULL,
  user_id text NOT NULL,
  answer_id uuid NOT NULL,
  pattern_id bigint REFERENCES query_embeddings (id) ON DELETE SET NULL,
  rating text NOT NULL CHECK (rating IN ('up', 'down')),
  comment text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (team_id, user_id, answer_id)
);

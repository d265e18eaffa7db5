-- What a team teaches Quarry: recurring patterns it noticed, and terms people defined.
CREATE TABLE system_learnings (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id text NOT NULL,
  learning_type text NOT NULL,
  pattern_data jsonb NOT NULL,
  frequency_count integer NOT NULL DEFAULT 1,
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (team_id, learning_type, pattern_data)
);

CREATE TABLE team_definitions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id text NOT NULL,
  -- Lower case, as the planner links it.
  term text NOT NULL CHECK (term = lower(term) AND term <> ''),
  definition text NOT NULL,
  -- Optional structured form: a list of plan filters the term stands for.
  filter jsonb,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (team_id, term)
);

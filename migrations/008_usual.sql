-- /usual: panels people pinned ("add to my usual") and scheduled channel digests.
CREATE TABLE usual_pins (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id text NOT NULL,
  user_id text NOT NULL,
  title text NOT NULL,
  plan jsonb NOT NULL,
  plan_key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (team_id, user_id, plan_key)
);

CREATE TABLE digest_schedules (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  team_id text NOT NULL,
  owner_user_id text NOT NULL,
  channel_id text NOT NULL,
  cadence text NOT NULL CHECK (cadence IN ('daily', 'weekdays', 'weekly', 'monthly')),
  -- Local wall-clock time "HH:MM" in `timezone`.
  time_of_day text NOT NULL CHECK (time_of_day ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
  timezone text NOT NULL DEFAULT 'UTC',
  -- The dashboard's panels: [{title, plan}].
  panels jsonb NOT NULL,
  paused boolean NOT NULL DEFAULT false,
  -- The run slot last delivered ("2025-06-02T09:00"): claiming a slot is how replicas agree
  -- that exactly one of them posts it.
  last_run_key text,
  last_run_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX digest_schedules_team ON digest_schedules (team_id) WHERE NOT paused;

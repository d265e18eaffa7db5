-- One row per Slack user of a team: what they prefer and how they use Quarry.
CREATE TABLE user_profiles (
  team_id text NOT NULL,
  user_id text NOT NULL,
  preferences jsonb NOT NULL
    DEFAULT '{"default_limit": 100, "preferred_charts": ["table"], "timezone": "UTC", "date_format": "YYYY-MM-DD"}',
  -- Flat counters ("hour:09", "table:public.orders", "chart:bar") bumped by the learn stage.
  usage_patterns jsonb NOT NULL DEFAULT '{}',
  expertise_level text NOT NULL DEFAULT 'beginner'
    CHECK (expertise_level IN ('beginner', 'intermediate', 'expert')),
  locale text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (team_id, user_id)
);

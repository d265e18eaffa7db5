-- Workspaces that installed Quarry through Slack OAuth (one row per team or enterprise).
CREATE TABLE slack_installations (
  -- The team id, or the enterprise id for an org-wide install.
  install_id text PRIMARY KEY,
  team_id text,
  enterprise_id text,
  is_enterprise_install boolean NOT NULL DEFAULT false,
  bot_user_id text,
  -- The installation object as Slack's OAuth flow returned it (holds the bot token).
  installation jsonb NOT NULL,
  installed_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

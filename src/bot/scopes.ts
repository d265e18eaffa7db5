// The bot scopes Quarry asks for when a workspace installs it through OAuth. They are the
// scopes of manifest.yml (a test keeps the two the same); why each is needed is written there.

export const BOT_SCOPES = [
  'app_mentions:read',
  'chat:write',
  'files:write',
  'im:history',
  'channels:history',
  'groups:history',
  'users:read',
  'assistant:write',
  'channels:read',
  'groups:read',
  'commands',
] as const;

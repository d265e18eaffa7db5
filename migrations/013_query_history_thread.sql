-- The thread each question was asked in: Redis holds a thread's session and its "Quarry
-- answered here" marker only as a cache, and when it loses them (a restart without
-- persistence, a failover, an eviction) they are rebuilt from these rows.
ALTER TABLE user_query_history ADD COLUMN channel_id text, ADD COLUMN thread_ts text;
CREATE INDEX user_query_history_thread ON user_query_history (team_id, channel_id, thread_ts, created_at DESC)
  WHERE thread_ts IS NOT NULL;

-- Each run slot of a digest: claimed before it is posted, marked delivered after. The claim
-- names the scheduler job and its attempt, so when a replica dies between the two, the next
-- attempt of the same job (and nothing else) takes the slot over, looks in the channel, and
-- posts it only if it is not there.
CREATE TABLE digest_runs (
  schedule_id bigint NOT NULL REFERENCES digest_schedules (id) ON DELETE CASCADE,
  -- The slot ("2025-06-02T09:00:00.000Z"); keys sort in time order.
  run_key text NOT NULL,
  claimed_by text NOT NULL,
  attempt integer NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  delivered_at timestamptz,
  PRIMARY KEY (schedule_id, run_key)
);

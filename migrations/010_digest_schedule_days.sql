-- Which day a weekly or monthly digest runs, and the date of a one-off digest: the cadence
-- and time of day alone cannot say "every Monday" or "on 2026-12-01".
ALTER TABLE digest_schedules
  DROP CONSTRAINT digest_schedules_cadence_check,
  ADD CONSTRAINT digest_schedules_cadence_check
    CHECK (cadence IN ('daily', 'weekdays', 'weekly', 'monthly', 'once')),
  -- 0 = Sunday … 6 = Saturday, as in cron.
  ADD COLUMN day_of_week smallint CHECK (day_of_week BETWEEN 0 AND 6),
  ADD COLUMN day_of_month smallint CHECK (day_of_month BETWEEN 1 AND 28),
  ADD COLUMN run_on date,
  ADD CONSTRAINT digest_schedules_day_fits_cadence CHECK (
    (cadence = 'weekly') = (day_of_week IS NOT NULL)
    AND (cadence = 'monthly') = (day_of_month IS NOT NULL)
    AND (cadence = 'once') = (run_on IS NOT NULL));

-- Backfill under ROW EXCLUSIVE: reads and writes of other rows go on. In production, run it in
-- batches (WHERE aid BETWEEN ...) so no row stays locked for long.
UPDATE pgbench_accounts SET region_id = bid % 3 WHERE region_id IS NULL;

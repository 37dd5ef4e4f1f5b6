-- The ALTER locks pgbench_branches (5 rows) and keeps the lock until the backfill of the big
-- table commits: every read of the branches waits for the whole UPDATE.
ALTER TABLE pgbench_branches ADD COLUMN region text;
UPDATE pgbench_accounts SET abalance = abalance + 1;

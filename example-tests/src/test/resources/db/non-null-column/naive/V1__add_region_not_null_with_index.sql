-- The naive way: one transaction that locks the table ACCESS EXCLUSIVE at its first statement
-- and keeps it through the backfill, the validation scan of SET NOT NULL and the index build.
ALTER TABLE pgbench_accounts ADD COLUMN region_id int;
UPDATE pgbench_accounts SET region_id = bid % 3;
ALTER TABLE pgbench_accounts ALTER COLUMN region_id SET NOT NULL;
CREATE INDEX accounts_region_idx ON pgbench_accounts (region_id);

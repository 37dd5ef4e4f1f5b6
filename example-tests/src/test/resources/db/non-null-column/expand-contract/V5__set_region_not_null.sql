-- The validated CHECK proves there are no nulls: SET NOT NULL skips its scan.
ALTER TABLE pgbench_accounts ALTER COLUMN region_id SET NOT NULL;
ALTER TABLE pgbench_accounts DROP CONSTRAINT accounts_region_not_null;

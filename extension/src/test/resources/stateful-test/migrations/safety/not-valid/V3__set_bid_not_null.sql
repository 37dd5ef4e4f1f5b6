-- The validated CHECK proves there are no nulls: SET NOT NULL skips its scan.
ALTER TABLE pgbench_accounts ALTER COLUMN bid SET NOT NULL;

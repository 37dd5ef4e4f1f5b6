-- Expand: a nullable column without a default is a catalog change (ACCESS EXCLUSIVE for
-- milliseconds, no rewrite). The default for new rows is set separately, also without a rewrite.
ALTER TABLE pgbench_accounts ADD COLUMN region_id int;
ALTER TABLE pgbench_accounts ALTER COLUMN region_id SET DEFAULT 0;

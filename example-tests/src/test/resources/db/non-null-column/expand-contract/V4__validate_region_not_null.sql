-- The scan, under SHARE UPDATE EXCLUSIVE: reads and writes go on.
ALTER TABLE pgbench_accounts VALIDATE CONSTRAINT accounts_region_not_null;

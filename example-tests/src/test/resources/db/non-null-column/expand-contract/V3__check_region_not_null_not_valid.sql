-- NOT VALID: checked for new rows only, so no scan under the ACCESS EXCLUSIVE lock.
ALTER TABLE pgbench_accounts ADD CONSTRAINT accounts_region_not_null CHECK (region_id IS NOT NULL) NOT VALID;

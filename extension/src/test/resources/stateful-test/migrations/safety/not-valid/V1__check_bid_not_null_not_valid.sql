ALTER TABLE pgbench_accounts ADD CONSTRAINT accounts_bid_not_null CHECK (bid IS NOT NULL) NOT VALID;

CREATE INDEX CONCURRENTLY accounts_bid_cic ON pgbench_accounts (bid);

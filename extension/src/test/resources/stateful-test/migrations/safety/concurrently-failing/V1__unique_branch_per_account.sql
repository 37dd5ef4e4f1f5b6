-- Fails: many accounts share a branch. Outside a transaction, it leaves an invalid index behind.
CREATE UNIQUE INDEX CONCURRENTLY accounts_bid_unique ON pgbench_accounts (bid);

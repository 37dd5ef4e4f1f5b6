CREATE INDEX accounts_bid_idx ON pgbench_accounts (bid);

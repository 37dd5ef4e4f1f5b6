CREATE INDEX accounts_abalance_idx ON pgbench_accounts (abalance);
SELECT 1 / 0;

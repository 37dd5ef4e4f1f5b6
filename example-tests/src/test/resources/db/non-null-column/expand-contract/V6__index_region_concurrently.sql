-- Alone in its script, so Flyway runs it outside a transaction.
CREATE INDEX CONCURRENTLY accounts_region_idx ON pgbench_accounts (region_id);

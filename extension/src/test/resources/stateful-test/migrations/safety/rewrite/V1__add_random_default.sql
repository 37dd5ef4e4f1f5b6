-- A volatile default: every row gets its own value, so Postgres rewrites the table.
ALTER TABLE pgbench_accounts ADD COLUMN bucket int DEFAULT (random() * 10)::int;

ALTER TABLE pgbench_accounts ADD COLUMN note text;
ALTER TABLE pgbench_accounts ADD COLUMN status int DEFAULT 7;
ALTER TABLE pgbench_accounts ADD COLUMN created_at timestamptz DEFAULT now();

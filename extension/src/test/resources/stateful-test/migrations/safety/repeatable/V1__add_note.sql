ALTER TABLE pgbench_tellers ADD COLUMN note text;

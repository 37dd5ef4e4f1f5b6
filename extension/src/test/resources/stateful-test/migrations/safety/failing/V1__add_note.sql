-- A nullable column without a default: a catalog change, no rewrite.
ALTER TABLE pgbench_accounts ADD COLUMN note text;

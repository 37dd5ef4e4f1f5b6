-- ACCESS EXCLUSIVE on orders, kept while the transaction goes on for 0.3 s: a hazard only when
-- stateful.migrate.max-blocking is below that.
ALTER TABLE orders ADD COLUMN note text;
SELECT pg_sleep(0.3);

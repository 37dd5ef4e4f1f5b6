-- ACCESS EXCLUSIVE on orders for the new column, kept while the transaction goes on for 0.3 s,
-- then a check that fails (totals go up to 99.6): the whole migration is rolled back.
ALTER TABLE orders ADD COLUMN reviewed boolean;
SELECT pg_sleep(0.3);
ALTER TABLE orders ADD CONSTRAINT total_below_50 CHECK (total < 50);

-- Runs in a transaction: the ALTER below is rolled back when the INSERT fails.
ALTER TABLE items ADD COLUMN price_cents int;

INSERT INTO item_prices (item_id, price_cents) VALUES (1, 100);

-- SHARE on orders while the index is built: writes wait, reads go on (BLOCKING_INDEX_BUILD).
CREATE INDEX orders_customer_idx ON orders (customer_id);

-- A volatile default rewrites orders under ACCESS EXCLUSIVE (TABLE_REWRITE); the foreign key
-- then holds SHARE ROW EXCLUSIVE on orders and customers while it checks every row.
ALTER TABLE orders ADD COLUMN flagged boolean NOT NULL DEFAULT (random() < 0.1);
ALTER TABLE orders ADD CONSTRAINT orders_customer_fk FOREIGN KEY (customer_id) REFERENCES customers (id);

CREATE TABLE customers (id serial PRIMARY KEY, name text NOT NULL);
ALTER TABLE orders ADD COLUMN customer_id int REFERENCES customers (id);

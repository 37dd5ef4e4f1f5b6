CREATE TABLE customers (id int PRIMARY KEY, name text NOT NULL);
INSERT INTO customers SELECT g, 'customer ' || g FROM generate_series(1, 5000) g;
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, total numeric(10, 2) NOT NULL);
INSERT INTO orders SELECT g, 1 + g % 5000, (g % 997) / 10.0 FROM generate_series(1, 150000) g;
ANALYZE customers, orders;

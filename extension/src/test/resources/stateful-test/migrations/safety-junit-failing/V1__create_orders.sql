CREATE TABLE orders (id bigint PRIMARY KEY, customer int NOT NULL, total numeric(10, 2) NOT NULL);
INSERT INTO orders SELECT g, g % 5000, (g % 997) / 10.0 FROM generate_series(1, 200000) g;

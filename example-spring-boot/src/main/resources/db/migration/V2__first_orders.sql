INSERT INTO customers (name, orders_placed) VALUES ('ada', 1), ('grace', 1);
INSERT INTO orders (customer, amount_cents) VALUES ('ada', 1200), ('grace', 3400);

CREATE TABLE customers (
    name          text PRIMARY KEY,
    orders_placed integer NOT NULL DEFAULT 0
);
CREATE TABLE orders (
    id           bigserial PRIMARY KEY,
    customer     text NOT NULL REFERENCES customers (name),
    amount_cents integer NOT NULL CHECK (amount_cents > 0)
);

CREATE TABLE accounts (
    id            int PRIMARY KEY,
    email         text NOT NULL,
    balance_cents bigint NOT NULL
);

INSERT INTO accounts (email, balance_cents) VALUES ('ada@example.com', 100), ('linus@example.com', 250);

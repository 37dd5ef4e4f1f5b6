-- Runs outside a transaction (see the .conf file next to it), like a migration with
-- CREATE INDEX CONCURRENTLY would: the UPDATE stays applied when the next statement fails.
UPDATE accounts SET balance_cents = 0;

INSERT INTO ledger (account_id, amount_cents) SELECT id, balance_cents FROM accounts;

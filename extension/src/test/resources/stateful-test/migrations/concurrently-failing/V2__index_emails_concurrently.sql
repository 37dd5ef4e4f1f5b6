-- CREATE INDEX CONCURRENTLY cannot run in a transaction, so Flyway runs this migration
-- without one: the first index stays when the second fails on the duplicate address,
-- and the failed one is left behind INVALID.
CREATE INDEX CONCURRENTLY emails_domain_idx ON emails (domain);

CREATE UNIQUE INDEX CONCURRENTLY emails_address_uq ON emails (address);

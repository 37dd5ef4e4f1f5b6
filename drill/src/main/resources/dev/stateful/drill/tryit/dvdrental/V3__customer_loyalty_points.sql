-- A column with a constant default: no rewrite since Postgres 11, a short ACCESS EXCLUSIVE lock.
ALTER TABLE customer ADD COLUMN loyalty_points integer NOT NULL DEFAULT 0;

-- int to bigint: Postgres rewrites payment and its indexes under ACCESS EXCLUSIVE (reads wait too).
ALTER TABLE payment ALTER COLUMN payment_id TYPE bigint;

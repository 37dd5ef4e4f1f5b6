-- A backfill in the migration's transaction: every customer row stays locked until the end.
UPDATE customer c SET loyalty_points = (SELECT count(*) FROM rental r WHERE r.customer_id = c.customer_id);

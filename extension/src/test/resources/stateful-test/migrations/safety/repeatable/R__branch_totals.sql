CREATE OR REPLACE VIEW branch_totals AS
SELECT bid, sum(abalance) AS balance, count(*) AS accounts FROM pgbench_accounts GROUP BY bid;

-- Validated at once: both tables SHARE ROW EXCLUSIVE while every account is checked.
ALTER TABLE pgbench_accounts ADD CONSTRAINT accounts_branch_fk FOREIGN KEY (bid) REFERENCES pgbench_branches (bid);

-- Repeatable: only uses columns that exist from V1 on, so it applies at any version.
CREATE OR REPLACE VIEW account_emails AS SELECT id, email FROM accounts;

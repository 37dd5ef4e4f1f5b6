-- Unqualified: lands in the first schema of MigrationSettings.withSchemas(...).
CREATE TABLE widgets (id int PRIMARY KEY);

--liquibase formatted sql

--changeset stateful:sql-1
--comment: notes table
CREATE TABLE notes (id int PRIMARY KEY, body text NOT NULL);

--changeset stateful:sql-2 context:demo
INSERT INTO notes VALUES (1, 'demo only');

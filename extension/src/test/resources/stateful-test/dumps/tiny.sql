-- A tiny plain SQL dump used by DumpSourceTest and DumpsTest.
CREATE TABLE tiny (id int PRIMARY KEY, label text);
INSERT INTO tiny VALUES (1, 'één');

CREATE TABLE ${table_name} (id int PRIMARY KEY, label text NOT NULL DEFAULT '${default_label}');
INSERT INTO ${table_name} (id) VALUES (1);

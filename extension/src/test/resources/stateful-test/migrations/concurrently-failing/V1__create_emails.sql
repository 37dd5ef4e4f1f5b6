CREATE TABLE emails (id int PRIMARY KEY, address text NOT NULL, domain text NOT NULL);
INSERT INTO emails VALUES (1, 'ada@example.com', 'example.com'), (2, 'ada@example.com', 'example.com'),
                          (3, 'linus@example.org', 'example.org');

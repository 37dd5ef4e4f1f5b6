CREATE TABLE IF NOT EXISTS promotions (code text PRIMARY KEY, percent integer NOT NULL);
INSERT INTO promotions (code, percent) VALUES ('WELCOME', 10) ON CONFLICT DO NOTHING;

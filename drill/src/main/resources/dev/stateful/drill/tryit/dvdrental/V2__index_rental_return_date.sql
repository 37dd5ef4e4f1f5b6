-- A plain CREATE INDEX: holds SHARE on rental (writes wait) for the whole build.
CREATE INDEX rental_return_date_idx ON rental (return_date);

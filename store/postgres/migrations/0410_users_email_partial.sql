-- users_email holds only the users whose lower-cased email differs from their key. A
-- Chime or Amazon Business user with an email is keyed by that email lower-cased, so
-- its entry repeated the UNIQUE (directory_id, key) index's, and every create wrote it
-- into a b-tree of its own at a random place (emails are not time-ordered, as IDs are).
-- The email filter (store/userquery) reads both: the key's index for the users whose
-- key is their email, this one for the others (its WHERE carries this index's term).
DROP INDEX users_email;
CREATE INDEX users_email ON users (directory_id, email_lower, id) WHERE email_lower <> key;

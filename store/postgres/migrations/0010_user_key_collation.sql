-- Users are listed by key too (WorkDocs DescribeUsers sorted by USER_NAME, Alexa for
-- Business SearchUsers sorted by UserId): make the key sort bytewise, as Go compares
-- strings and as SQLite does, whatever the database's default collation. The unique
-- (directory_id, key) index is rebuilt with it, so keyset pages by key stay on an index.
ALTER TABLE users ALTER COLUMN key TYPE text COLLATE "C";

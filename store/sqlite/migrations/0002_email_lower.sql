-- The email filter compares a lower-cased copy of the email that the store writes
-- (Go's strings.ToLower, which folds all of Unicode, where SQLite's lower() folds ASCII
-- only), so it matches what the core means, through a plain index.
ALTER TABLE users ADD COLUMN email_lower TEXT NOT NULL DEFAULT '';
UPDATE users SET email_lower = lower(email);
DROP INDEX users_email;
CREATE INDEX users_email ON users (directory_id, email_lower);

-- The admin API lists one tenant's messages, newest first.
CREATE INDEX messages_tenant ON messages (tenant_id, created_at, id);

-- Console sessions, server-side: the cookie holds a random ID, this table its SHA-256.
CREATE TABLE sessions (
    hash         TEXT PRIMARY KEY,
    binding      TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);
-- Ending a user's invitations finds them by user; the purge finds expired rows.
CREATE INDEX invitations_user ON invitations (directory_id, user_id);
CREATE INDEX invitations_expires ON invitations (expires_at);
CREATE INDEX access_tokens_expires ON access_tokens (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX access_keys_expires ON access_keys (expires_at) WHERE expires_at IS NOT NULL;

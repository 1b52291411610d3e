-- Console sessions, server-side: the cookie holds a random ID, this table its SHA-256.
CREATE TABLE IF NOT EXISTS sessions (
    hash         text PRIMARY KEY,
    binding      text NOT NULL,
    created_at   timestamptz(3) NOT NULL,
    last_seen_at timestamptz(3) NOT NULL,
    expires_at   timestamptz(3) NOT NULL
);
CREATE INDEX IF NOT EXISTS sessions_expires ON sessions (expires_at);
CREATE INDEX IF NOT EXISTS sessions_last_seen ON sessions (last_seen_at);
-- Ending a user's invitations finds them by user; the purge finds expired rows.
CREATE INDEX IF NOT EXISTS invitations_user ON invitations (directory_id, user_id);
CREATE INDEX IF NOT EXISTS invitations_expires ON invitations (expires_at);
CREATE INDEX IF NOT EXISTS access_tokens_expires ON access_tokens (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX IF NOT EXISTS access_keys_expires ON access_keys (expires_at) WHERE expires_at IS NOT NULL;

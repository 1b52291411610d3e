-- One row per committed Update, written in its transaction: when the connection dies
-- while a COMMIT is on its way, the replica looks for the row on a new connection to
-- learn whether the transaction committed (see commit.go). Rows older than ten minutes
-- serve no one and are deleted.
CREATE TABLE rollcall_commits (
    id text COLLATE "C" PRIMARY KEY,
    at timestamptz(3) NOT NULL
);
CREATE INDEX rollcall_commits_at ON rollcall_commits (at);

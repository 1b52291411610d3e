-- Client tokens are random: the (scope, token) primary key's index took each create's
-- record on a leaf page of its own, a 4 KB page written to the WAL and again at the
-- checkpoint per create. The records are now appended in rowid order with no token
-- index; the store finds them by an in-memory map of their tokens' hashes to rowids
-- (store/sqlite/idempotency.go), which enforces that a (scope, token) is stored once.
-- The rowid is a named column so that a VACUUM keeps it.
CREATE TABLE idempotency_0450 (
    id           INTEGER PRIMARY KEY,
    scope        TEXT NOT NULL,
    token        TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    result_id    TEXT NOT NULL,
    created_at   INTEGER NOT NULL
);
INSERT INTO idempotency_0450 (scope, token, request_hash, result_id, created_at)
    SELECT scope, token, request_hash, result_id, created_at FROM idempotency ORDER BY created_at, scope, token;
DROP TABLE idempotency;
ALTER TABLE idempotency_0450 RENAME TO idempotency;
CREATE INDEX idempotency_created_at ON idempotency (created_at);

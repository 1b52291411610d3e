-- Settings the replicas of one database share (the key that signs pagination tokens),
-- written once (insert if absent) and read by every process that opens the database.
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Fault-injection rules (rollcall.Fault). remaining is NULL for a rule without a count;
-- expires_at NULL for one without expiry. fault_version has one row, bumped whenever a
-- rule is inserted or deleted, so a replica learns from one cheap read that its cached
-- rules are stale.
CREATE TABLE faults (
    id            TEXT PRIMARY KEY,
    face          TEXT NOT NULL,
    operation     TEXT NOT NULL,
    tenant_id     TEXT NOT NULL,
    access_key_id TEXT NOT NULL,
    header_name   TEXT NOT NULL,
    header_value  TEXT NOT NULL,
    action        TEXT NOT NULL,
    latency_ms    INTEGER NOT NULL,
    probability   REAL NOT NULL,
    remaining     INTEGER,
    fired         INTEGER NOT NULL DEFAULT 0,
    expires_at    INTEGER,
    created_at    INTEGER NOT NULL
);
CREATE TABLE fault_version (
    one     INTEGER PRIMARY KEY CHECK (one = 1),
    version INTEGER NOT NULL
);
INSERT INTO fault_version (one, version) VALUES (1, 0);

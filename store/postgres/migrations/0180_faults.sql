-- Fault-injection rules (rollcall.Fault). remaining is NULL for a rule without a count;
-- expires_at NULL for one without expiry. fault_version has one row, bumped whenever a
-- rule is inserted or deleted, so a replica learns from one cheap read that its cached
-- rules are stale.
CREATE TABLE faults (
    id            text COLLATE "C" PRIMARY KEY,
    face          text NOT NULL,
    operation     text NOT NULL,
    tenant_id     text NOT NULL,
    access_key_id text NOT NULL,
    header_name   text NOT NULL,
    header_value  text NOT NULL,
    action        text NOT NULL,
    latency_ms    bigint NOT NULL,
    probability   double precision NOT NULL,
    remaining     bigint,
    fired         bigint NOT NULL DEFAULT 0,
    expires_at    timestamptz(3),
    created_at    timestamptz(3) NOT NULL
);
CREATE TABLE fault_version (
    one     integer PRIMARY KEY CHECK (one = 1),
    version bigint NOT NULL
);
INSERT INTO fault_version (one, version) VALUES (1, 0);

-- The audit trail: one row per API call, the encoded record in record. A tenant's page
-- (newest first) is a keyset walk of the primary key or of the narrower index its
-- filter needs; the purge walks audit_events_at, oldest first.
CREATE TABLE audit_events (
    tenant_id TEXT NOT NULL,
    at        INTEGER NOT NULL,
    id        TEXT NOT NULL,
    name      TEXT NOT NULL,
    principal TEXT NOT NULL,
    failed    INTEGER NOT NULL,
    read_only INTEGER NOT NULL,
    record    BLOB NOT NULL,
    PRIMARY KEY (tenant_id, at, id)
);
CREATE INDEX audit_events_name ON audit_events (tenant_id, name, at, id);
CREATE INDEX audit_events_principal ON audit_events (tenant_id, principal, at, id);
CREATE INDEX audit_events_failed ON audit_events (tenant_id, at, id) WHERE failed = 1;
CREATE INDEX audit_events_at ON audit_events (at);

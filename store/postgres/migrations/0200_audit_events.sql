-- The audit trail: one row per API call, the encoded record in record. A tenant's page
-- (newest first) is a keyset walk of the primary key or of the narrower index its
-- filter needs; the purge walks audit_events_at, oldest first.
CREATE TABLE IF NOT EXISTS audit_events (
    tenant_id text NOT NULL,
    at        timestamptz(3) NOT NULL,
    id        text NOT NULL,
    name      text NOT NULL,
    principal text NOT NULL,
    failed    boolean NOT NULL,
    read_only boolean NOT NULL,
    record    bytea NOT NULL,
    PRIMARY KEY (tenant_id, at, id)
);
CREATE INDEX IF NOT EXISTS audit_events_name ON audit_events (tenant_id, name, at, id);
CREATE INDEX IF NOT EXISTS audit_events_principal ON audit_events (tenant_id, principal, at, id);
CREATE INDEX IF NOT EXISTS audit_events_failed ON audit_events (tenant_id, at, id) WHERE failed;
CREATE INDEX IF NOT EXISTS audit_events_at ON audit_events (at);

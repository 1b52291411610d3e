-- The audit trail, cheaper to write (each API call writes an event, most in the
-- single writer's transactions). The table is clustered on its key (WITHOUT ROWID):
-- an event is one B-tree entry, not a row plus a copy of its key in an index. The
-- index on time alone is gone: the purge walks each tenant's events by the key. So
-- are the name, principal and failed indexes: a tenant's page (newest first) walks the
-- key, a bounded number of events, and tests those filters on each.
CREATE TABLE audit_events_0210 (
    tenant_id TEXT NOT NULL,
    at        INTEGER NOT NULL,
    id        TEXT NOT NULL,
    name      TEXT NOT NULL,
    principal TEXT NOT NULL,
    failed    INTEGER NOT NULL,
    read_only INTEGER NOT NULL,
    record    BLOB NOT NULL,
    PRIMARY KEY (tenant_id, at, id)
) WITHOUT ROWID;
INSERT INTO audit_events_0210 (tenant_id, at, id, name, principal, failed, read_only, record)
    SELECT tenant_id, at, id, name, principal, failed, read_only, record FROM audit_events;
DROP TABLE audit_events;
ALTER TABLE audit_events_0210 RENAME TO audit_events;

-- A write's response elements, stored once the call is answered (PutAuditResponse),
-- after the event its transaction wrote: a small row appended here costs a fraction of
-- rewriting the event with them.
CREATE TABLE audit_responses (
    tenant_id TEXT NOT NULL,
    at        INTEGER NOT NULL,
    id        TEXT NOT NULL,
    response  BLOB NOT NULL,
    PRIMARY KEY (tenant_id, at, id)
) WITHOUT ROWID;
-- Whatever deletes an event (a reset, the purge) deletes its response.
CREATE TRIGGER audit_events_delete_response AFTER DELETE ON audit_events BEGIN
    DELETE FROM audit_responses WHERE tenant_id = old.tenant_id AND at = old.at AND id = old.id;
END;

-- The audit trail, cheaper to write again: back to a rowid table with a narrow unique
-- index on the key. Clustered on (tenant_id, at, id) (0210), an event of some 1.2 KB is
-- a cell of an index B-tree, whose cells keep at most about 1 KB on their page: each
-- insert lands in the middle of its tenant's range and spills to an overflow page, and
-- a split moves whole records. As a rowid table, an event is appended at the end of the
-- table's B-tree (new rowids are the largest), and only its key, some 60 bytes, goes
-- into the index in key order. Queries walk the index by tenant and time as they
-- walked the clustered key (INDEXED BY audit_events_key), and read each event they walk
-- by its rowid.
CREATE TABLE audit_events_0260 (
    tenant_id TEXT NOT NULL,
    at        INTEGER NOT NULL,
    id        TEXT NOT NULL,
    name      TEXT NOT NULL,
    principal TEXT NOT NULL,
    failed    INTEGER NOT NULL,
    read_only INTEGER NOT NULL,
    record    BLOB NOT NULL
);
INSERT INTO audit_events_0260 (tenant_id, at, id, name, principal, failed, read_only, record)
    SELECT tenant_id, at, id, name, principal, failed, read_only, record FROM audit_events ORDER BY at, tenant_id, id;
DROP TABLE audit_events;
ALTER TABLE audit_events_0260 RENAME TO audit_events;
CREATE UNIQUE INDEX audit_events_key ON audit_events (tenant_id, at, id);

-- Whatever deletes an event (a reset, the purge) deletes its response (as in 0210: the
-- trigger went with the table it was on).
CREATE TRIGGER audit_events_delete_response AFTER DELETE ON audit_events BEGIN
    DELETE FROM audit_responses WHERE tenant_id = old.tenant_id AND at = old.at AND id = old.id;
END;
-- And a response is stored only while its event is there: one stored after a reset or
-- the purge removed its event (the response is stored once the call is answered, in a
-- later transaction than the event) would stay behind, never purged, and attach to an
-- event put again with the same key.
CREATE TRIGGER audit_responses_need_event BEFORE INSERT ON audit_responses
    WHEN NOT EXISTS (SELECT 1 FROM audit_events WHERE tenant_id = new.tenant_id AND at = new.at AND id = new.id)
BEGIN
    SELECT RAISE(IGNORE);
END;
-- The orphans stored before this trigger.
DELETE FROM audit_responses WHERE NOT EXISTS
    (SELECT 1 FROM audit_events e WHERE e.tenant_id = audit_responses.tenant_id AND e.at = audit_responses.at AND e.id = audit_responses.id);

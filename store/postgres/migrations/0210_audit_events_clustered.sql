-- The audit trail, cheaper to write (each API call writes an event): the index on time
-- alone goes (the purge walks each tenant's events by the key), and a write's response
-- elements, stored once the call is answered (PutAuditResponse), go in a small row of
-- their own rather than a rewrite of the event. The previous release still works on
-- this schema: it rewrites events instead, and its purge reads the key.
DROP INDEX IF EXISTS audit_events_at;
-- The name, principal and failed indexes go too: a page walks the tenant's key, a
-- bounded number of events, and tests those filters on each (the previous release's
-- queries still answer, by the key).
DROP INDEX IF EXISTS audit_events_name;
DROP INDEX IF EXISTS audit_events_principal;
DROP INDEX IF EXISTS audit_events_failed;
CREATE TABLE IF NOT EXISTS audit_responses (
    tenant_id text NOT NULL,
    at        timestamptz(3) NOT NULL,
    id        text NOT NULL,
    response  bytea NOT NULL,
    PRIMARY KEY (tenant_id, at, id)
);
-- Whatever deletes an event (a reset, the purge) deletes its response.
CREATE OR REPLACE FUNCTION audit_events_delete_response() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM audit_responses WHERE tenant_id = OLD.tenant_id AND at = OLD.at AND id = OLD.id;
    RETURN NULL;
END $$;
DROP TRIGGER IF EXISTS audit_events_delete_response ON audit_events;
CREATE TRIGGER audit_events_delete_response AFTER DELETE ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_delete_response();

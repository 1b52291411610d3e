-- A response is stored only while its event is there. A write's response elements are
-- stored once the call is answered, in a later transaction than its event: one stored
-- after a reset, the purge or a tenant's deletion removed the event would stay behind,
-- never purged, and attach to an event put again with the same key. (Under
-- SERIALIZABLE, a response whose event a concurrent transaction deletes is a
-- read-write conflict: one of the two is retried, and the retried one sees the other.)
CREATE OR REPLACE FUNCTION audit_responses_need_event() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM audit_events WHERE tenant_id = NEW.tenant_id AND at = NEW.at AND id = NEW.id) THEN
        RETURN NULL;
    END IF;
    RETURN NEW;
END $$;
DROP TRIGGER IF EXISTS audit_responses_need_event ON audit_responses;
CREATE TRIGGER audit_responses_need_event BEFORE INSERT ON audit_responses
    FOR EACH ROW EXECUTE FUNCTION audit_responses_need_event();
-- The orphans stored before this trigger.
DELETE FROM audit_responses r WHERE NOT EXISTS
    (SELECT 1 FROM audit_events e WHERE e.tenant_id = r.tenant_id AND e.at = r.at AND e.id = r.id);

-- A response is stored only while its event is there (PutAuditResponse inserts it only
-- then): the response is stored once the call is answered, in a later transaction
-- than its event, and one stored after a reset or the purge removed the event stayed
-- behind, never purged, and attached to an event put again with the same key. These
-- are the ones stored before.
DELETE FROM audit_responses WHERE NOT EXISTS
    (SELECT 1 FROM audit_events e WHERE e.tenant_id = audit_responses.tenant_id AND e.at = audit_responses.at AND e.id = audit_responses.id);

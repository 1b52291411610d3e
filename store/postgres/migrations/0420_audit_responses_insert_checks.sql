-- A response is still stored only while its event is there, but the INSERT itself
-- checks it now (it reads the event: see PutAuditResponse) rather than a trigger row
-- by row: the plpgsql call cost the server about 5% of its CPU per create. (A release
-- before this one, on this schema, would store a late response without its event.)
DROP TRIGGER IF EXISTS audit_responses_need_event ON audit_responses;
DROP FUNCTION IF EXISTS audit_responses_need_event();

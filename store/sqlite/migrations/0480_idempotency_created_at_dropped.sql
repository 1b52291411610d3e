-- Every Alexa for Business create with a client token wrote a page of this index too
-- (1.3 of about 29 WAL frames a commit at 4 clients). The records are appended in
-- rowid order (0450), so the order they were written in is nearly their creation
-- order; the purge reads the first rows written instead (store/sqlite/idempotency.go).
DROP INDEX idempotency_created_at;

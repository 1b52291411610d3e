-- Client tokens expire (rollcall.DefaultIdempotencyRetention) and the purge deletes
-- their records oldest first, a batch at a time: without this index each batch read
-- the whole table.
CREATE INDEX idempotency_created_at ON idempotency (created_at);

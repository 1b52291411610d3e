-- The console's newest-first indexes, kept ascending. Declared DESC on created_at, each
-- create put its entry at the b-tree's left end, where SQLite splits a leaf more often
-- than at the right end: 1.9 WAL frames per commit of one Chime create for each of the
-- two, against 1.2 ascending (BenchmarkWALFrames). A newest-first page walks the
-- ascending index backwards and sorts only the users of one millisecond by ID
-- (ties by ascending ID), as SQLite does for an index that gives the ORDER BY's first
-- term; a page stops at its limit, never reading the rest (TestNewestFirstReadsIndex).
DROP INDEX users_tenant_created;
DROP INDEX users_created;
CREATE INDEX users_tenant_created ON users (tenant_id, created_at, id);
CREATE INDEX users_created ON users (created_at, id);

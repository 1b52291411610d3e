-- The console's newest-first indexes, kept ascending. Declared DESC on created_at, each
-- create put its entry at the b-tree's left end, where SQLite splits a leaf more often
-- than at the right end: about 1.9 WAL frames per commit of one create for each of the
-- two, against 1.2 ascending (BenchmarkWALFrames). A newest-first page (ties by
-- ascending ID) walks the ascending index backwards one creation time at a time and
-- reads that time's users by ID (store/userquery walkDesc, Dialect.NewestWalk), so it
-- never sorts (TestNewestFirstWalksAscendingIndex).
DROP INDEX users_tenant_created;
DROP INDEX users_created;
CREATE INDEX users_tenant_created ON users (tenant_id, created_at, id);
CREATE INDEX users_created ON users (created_at, id);

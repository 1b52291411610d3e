-- The console's newest-first indexes, kept ascending, as SQLite keeps them since its
-- own 0460. Declared DESC on created_at, each create put its entry at the b-tree's
-- left end, where a leaf that fills splits in halves (only the rightmost leaf of a
-- level splits leaving its left page full): both indexes held 1.7-1.8 times the pages
-- of the ascending ones, each page a relation extension and a split's WAL. A
-- newest-first page (ties by ascending ID) walks the ascending index backwards one
-- creation time at a time and reads that time's users by ID (store/userquery walkDesc,
-- Dialect.NewestWalk), so it never sorts (TestNewestFirstWalksAscendingIndex). The
-- previous release still reads them, backwards, sorting each creation time's users.
DROP INDEX users_tenant_created;
DROP INDEX users_created;
CREATE INDEX users_tenant_created ON users (tenant_id, created_at, id);
CREATE INDEX users_created ON users (created_at, id);

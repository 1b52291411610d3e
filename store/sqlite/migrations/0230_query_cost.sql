-- A page costs the same at any directory size (issue 11).
--
-- WorkDocs' sort indexes end in the columns its filters test (the status, and the search
-- words of a Query), so a page that walks a sort index and skips the users a Query or
-- the status refuses decides from the index alone: SQLite reads a table row only for a
-- user the page returns (it defers the row's seek until a column outside the index is
-- needed). Without them every skipped user was a table row read from anywhere in the
-- file, beyond the page cache at 100,000 users.
DROP INDEX users_full_name;
DROP INDEX users_storage_limit;
DROP INDEX users_storage_used;
DROP INDEX users_status;
CREATE INDEX users_full_name ON users (directory_id, full_name_fold, id, status, search) WHERE kind = 'workdocs';
CREATE INDEX users_storage_limit ON users (directory_id, storage_limit, id, status, search) WHERE kind = 'workdocs';
CREATE INDEX users_storage_used ON users (directory_id, storage_used, id, status, search) WHERE kind = 'workdocs';
-- users_status serves two kinds: a query of one tests the kind, so the index carries it.
CREATE INDEX users_status ON users (directory_id, status, id, kind, search) WHERE kind = 'workdocs' OR kind = 'chime';
CREATE INDEX users_workdocs_key ON users (directory_id, key, status, search) WHERE kind = 'workdocs';

-- A page costs the same at any directory size (issue 11).
--
-- WorkDocs' sort indexes end in the columns its filters test (the status, and the search
-- words of a Query), as on SQLite, so the pages of a sort can be read as index-only
-- scans that skip the users a Query or the status refuses without reading their rows.
DROP INDEX users_full_name, users_storage_limit, users_storage_used, users_status;
CREATE INDEX users_full_name ON users (directory_id, full_name_fold, id) INCLUDE (status, search) WHERE kind = 'workdocs';
CREATE INDEX users_storage_limit ON users (directory_id, storage_limit, id) INCLUDE (status, search) WHERE kind = 'workdocs';
CREATE INDEX users_storage_used ON users (directory_id, storage_used, id) INCLUDE (status, search) WHERE kind = 'workdocs';
-- users_status serves two kinds: a query of one tests the kind, so the index carries it.
CREATE INDEX users_status ON users (directory_id, status, id) INCLUDE (kind, search) WHERE kind = 'workdocs' OR kind = 'chime';
CREATE INDEX users_workdocs_key ON users (directory_id, key) INCLUDE (status, search) WHERE kind = 'workdocs';

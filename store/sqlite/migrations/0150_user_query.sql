-- The store plans user queries (rollcall.UserQuery): every sort and filter a face
-- documents reads an index. The derived keys (rollcall.User.Keys: the folded full name,
-- the search words, the WorkDocs storage limit and use, the Alexa for Business
-- enrollment) are columns the store writes with the user; the migration's Go step
-- (backfillUserKeys) computes them for the rows already there.
ALTER TABLE users ADD COLUMN full_name_fold TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN search TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN storage_limit INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN storage_used INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN enrollment TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN keys_version INTEGER NOT NULL DEFAULT 0;

-- One index per sort key, per directory, ending in the ID that breaks ties. Each is
-- partial: it holds only the users of the product(s) whose documented sorts and filters
-- read it (WorkDocs: full name, storage, status; Alexa for Business: names, email sort,
-- enrollment; Chime: user type, status), so a create maintains only its own product's
-- indexes. The query builder (store/userquery) writes the same kind = '<literal>' term
-- into every query on a directory of that kind: SQLite uses a partial index only when
-- the query's WHERE holds the index's term itself, with the same literal.
DROP INDEX users_email;
CREATE INDEX users_email ON users (directory_id, email_lower, id);
CREATE INDEX users_email_sort ON users (directory_id, email, id) WHERE kind = 'a4b';
CREATE INDEX users_given_name ON users (directory_id, given_name, id) WHERE kind = 'a4b';
CREATE INDEX users_family_name ON users (directory_id, family_name, id) WHERE kind = 'a4b';
CREATE INDEX users_full_name ON users (directory_id, full_name_fold, id) WHERE kind = 'workdocs';
CREATE INDEX users_user_type ON users (directory_id, user_type, id) WHERE kind = 'chime';
CREATE INDEX users_status ON users (directory_id, status, id) WHERE kind = 'workdocs' OR kind = 'chime';
CREATE INDEX users_enrollment ON users (directory_id, enrollment, id) WHERE kind = 'a4b';
CREATE INDEX users_storage_limit ON users (directory_id, storage_limit, id) WHERE kind = 'workdocs';
CREATE INDEX users_storage_used ON users (directory_id, storage_used, id) WHERE kind = 'workdocs';
-- The console: a tenant's newest users, and everyone's (ties by ascending ID).
CREATE INDEX users_tenant_created ON users (tenant_id, created_at DESC, id);
CREATE INDEX users_created ON users (created_at DESC, id);
-- Alexa for Business sorts descending with ties by ascending ID: these orders need
-- indexes of their own.
CREATE INDEX users_email_desc ON users (directory_id, email DESC, id) WHERE kind = 'a4b';
CREATE INDEX users_given_name_desc ON users (directory_id, given_name DESC, id) WHERE kind = 'a4b';
CREATE INDEX users_family_name_desc ON users (directory_id, family_name DESC, id) WHERE kind = 'a4b';
CREATE INDEX users_enrollment_desc ON users (directory_id, enrollment DESC, id) WHERE kind = 'a4b';
-- Chime ListAccounts' Name filter is a prefix: a range of this index.
CREATE INDEX directories_name ON directories (tenant_id, kind, name, id);

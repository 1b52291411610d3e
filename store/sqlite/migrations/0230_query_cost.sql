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

-- The console's search: the folded words of each user (rollcall.UserKeys.Words, " w1
-- w2 ...", written with the user) and an index of each word, kept by triggers in the
-- statement that writes the user, so every path that inserts, changes or deletes a user
-- (a directory's or tenant's deletion, a restore, an import) keeps it. A term is a
-- range of the index. The words hold no space, quote, backslash or control character
-- (rollcall.ConsoleTerms), so they make a JSON array as they are.
ALTER TABLE users ADD COLUMN words TEXT NOT NULL DEFAULT '';
CREATE TABLE user_words (
    word    TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (word, user_id)
) WITHOUT ROWID;
CREATE TRIGGER users_words_insert AFTER INSERT ON users WHEN new.words <> '' BEGIN
    INSERT OR IGNORE INTO user_words (word, user_id)
        SELECT value, new.id FROM json_each('["' || replace(substr(new.words, 2), ' ', '","') || '"]') WHERE value <> '';
END;
CREATE TRIGGER users_words_update AFTER UPDATE OF words ON users WHEN old.words <> new.words BEGIN
    DELETE FROM user_words WHERE user_id = old.id
        AND word IN (SELECT value FROM json_each('["' || replace(substr(old.words, 2), ' ', '","') || '"]'));
    INSERT OR IGNORE INTO user_words (word, user_id)
        SELECT value, new.id FROM json_each('["' || replace(substr(new.words, 2), ' ', '","') || '"]') WHERE value <> '';
END;
CREATE TRIGGER users_words_delete AFTER DELETE ON users WHEN old.words <> '' BEGIN
    DELETE FROM user_words WHERE user_id = old.id
        AND word IN (SELECT value FROM json_each('["' || replace(substr(old.words, 2), ' ', '","') || '"]'));
END;
-- The console's search of a common term walks the newest-first indexes and tests each
-- user's words: from the index, as for WorkDocs.
DROP INDEX users_tenant_created;
DROP INDEX users_created;
CREATE INDEX users_tenant_created ON users (tenant_id, created_at DESC, id, words);
CREATE INDEX users_created ON users (created_at DESC, id, words);

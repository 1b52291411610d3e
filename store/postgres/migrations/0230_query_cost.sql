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

-- The console's search: the folded words of each user (rollcall.UserKeys.Words, " w1
-- w2 ...", written with the user) and an index of each word, kept by a trigger in the
-- statement that writes the user, so every path that inserts, changes or deletes a user
-- keeps it. A term is a range of the index: bytewise, as Go compares (COLLATE "C").
ALTER TABLE users ADD COLUMN words text NOT NULL DEFAULT '';
CREATE TABLE user_words (
    word    text COLLATE "C" NOT NULL,
    user_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (word, user_id)
);
CREATE FUNCTION users_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.words <> '' THEN
        DELETE FROM user_words WHERE user_id = OLD.id AND word = ANY (string_to_array(substr(OLD.words, 2), ' '));
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.words <> '' THEN
        INSERT INTO user_words (word, user_id)
            SELECT DISTINCT w, NEW.id FROM unnest(string_to_array(substr(NEW.words, 2), ' ')) AS w WHERE w <> ''
            ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER users_words AFTER INSERT OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION users_words();
CREATE TRIGGER users_words_update AFTER UPDATE OF words ON users FOR EACH ROW
    WHEN (OLD.words IS DISTINCT FROM NEW.words) EXECUTE FUNCTION users_words();
-- The console's search of a common term walks the newest-first indexes and tests each
-- user's words.
DROP INDEX users_tenant_created, users_created;
CREATE INDEX users_tenant_created ON users (tenant_id, created_at DESC, id) INCLUDE (words);
CREATE INDEX users_created ON users (created_at DESC, id) INCLUDE (words);

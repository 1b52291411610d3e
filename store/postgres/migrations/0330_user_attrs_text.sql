-- A user's attrs, a product's JSON document the store never reads, were jsonb: every
-- insert and update parsed the document on the server (jsonb_recv: 10% of the backends'
-- CPU in a group of creates) and sorted its members, to keep a form no query used. As
-- text the server copies the document as it came, as SQLite keeps it, and reads it back
-- byte for byte. The previous release still works on the column: a jsonb value is
-- assigned to a text column by its text form. (CockroachDB changes a column's type only
-- with enable_experimental_alter_column_type_general; see COMPAT.md.) Directories'
-- attrs stay jsonb: the directory cache compares them as jsonb (dircache.go).
ALTER TABLE users ALTER COLUMN attrs TYPE text USING attrs::text;

-- invitations_directory (directory_id) repeated the first column of invitations_user
-- (directory_id, user_id), which answers what it answered (a directory's invitations,
-- deleted with it): one index fewer to write per invitation (as on SQLite).
DROP INDEX invitations_directory;

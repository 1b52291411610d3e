-- An invitation is written with every create that invites (Amazon Business, Chime's
-- InviteUsers, Alexa for Business' enrollments), inside the writer's transaction.
-- invitations_directory (directory_id) repeated the first column of invitations_user
-- (directory_id, user_id), which answers what it answered (a directory's invitations,
-- deleted with it): one B-tree fewer to write per invitation.
DROP INDEX invitations_directory;

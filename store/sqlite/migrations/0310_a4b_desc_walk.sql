-- Alexa for Business' descending sorts (ties by ascending ID) read the ascending sort
-- indexes of 0150 group by group (store/userquery's walkDesc): the greatest value below
-- the last by one probe of the index backwards, then that value's users by ascending ID.
-- The four indexes kept in that mixed order go: each cost every Alexa for Business
-- create one more b-tree to write.
DROP INDEX IF EXISTS users_email_desc;
DROP INDEX IF EXISTS users_given_name_desc;
DROP INDEX IF EXISTS users_family_name_desc;
DROP INDEX IF EXISTS users_enrollment_desc;

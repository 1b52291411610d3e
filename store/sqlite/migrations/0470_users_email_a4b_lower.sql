-- users_email leaves out the Alexa for Business users whose email is already lower-case
-- (nearly all: clients send them so). Their entry repeated users_email_sort's, (directory,
-- email, id), which every Alexa for Business create writes for the email sort: two
-- b-trees at a random place for one email. The email filter (store/userquery) finds
-- them in users_email_sort by the folded value, which their email then equals; the
-- others (a mixed-case email, another kind's user not keyed by its email) stay here.
-- The WHERE is userquery's emailIndexTerm, word for word.
DROP INDEX users_email;
CREATE INDEX users_email ON users (directory_id, email_lower, id) WHERE email_lower <> key AND (kind <> 'a4b' OR email <> email_lower);

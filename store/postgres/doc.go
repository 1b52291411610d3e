// Package postgres is rollcall's scale-out Store: any number of rollcall replicas share
// one PostgreSQL database (15 is what the tests run; the SQL also stays within what
// CockroachDB and YugabyteDB accept, see COMPAT.md). It passes store/storetest, as
// every Store does.
//
// Writes: Update runs fn in a SERIALIZABLE transaction and retries it, with jittered
// exponential backoff and a bounded number of attempts, when the server aborts it with
// a serialization failure (40001) or a deadlock (40P01); fn may therefore run more than
// once, as the rollcall.Store contract allows. Uniqueness rests on UNIQUE constraints:
// inserts say ON CONFLICT DO NOTHING (nothing inserted is Conflict, and the
// transaction stays usable), and the few updates that may break a constraint run in a
// savepoint, so a Conflict undoes that statement only.
//
// Round trips: writes whose answer fn only passes on (audit events) are deferred and
// sent with the next statement or the COMMIT; an Update's Directory answers from a
// per-replica cache whose row a deferred check confirms in the same transaction
// (dircache.go), and so are business groups (a transaction checks each row once);
// InsertUser, InsertInvitation and InsertMessage are speculative: deferred too, and fn
// runs again when the server refuses one (tx.go). So a group commit of Chime, Alexa for
// Business or Amazon Business creates is one round trip; in it, a transaction checks a
// cached directory or group row once, and the speculative INSERTs of users waiting
// ahead go out as one multi-row INSERT, their audit events as another (tx.go, coalesce). ViewOne runs
// its one statement outside a transaction block: one round trip, not two; an access
// token's lookup (an Amazon Business request's authentication) goes in one statement
// with the lookups of other requests waiting at that moment (lookup.go). In an Update,
// AccessToken answers from the replica's cache and checks the row like a directory's
// (tokencache.go): auth confirms an Amazon Business caller there (face/awsx).
//
// Reads: View runs fn in a READ ONLY, REPEATABLE READ transaction: one snapshot.
//
// Connections: a small pool of pgx connections (pool.go), sized by pool_max_conns in
// the DSN, statements prepared once per connection; each committer keeps one of them
// from group to group (group.go).
//
// Schema: the embedded migrations/ are applied by Migrate, which Open calls, under a
// lock kept in a table row with a lease (no advisory locks), and recorded in
// schema_migrations. Times are timestamptz(3), read back in UTC; attrs are
// the products' JSON documents, kept unread: a user's as text, byte for byte (migration
// 0330: parsing them as jsonb cost the server about a tenth of a create's CPU), a
// directory's in jsonb (which keeps its members, not their order or spacing), and a
// user's product keys are columns beside them; IDs
// sort bytewise (COLLATE "C"); there are no foreign keys, triggers or sequences.
// Driver errors become rollcall error kinds here, at the boundary (see errors.go).
//
// A server that goes away: connection loss (unexpected EOF, a reset, a closed conn),
// and a server shutting down, crashing or starting (57P01-57P03, 08xxx) are
// Unavailable, 503 at the faces, in Updates and Views alike, so in the access-key and
// token lookups too. A COMMIT whose connection dies has an unknown outcome; Update
// settles it before answering, on a new connection, through the commit marker every
// Update writes in its own transaction (commit.go): the client sees success if it
// committed, 503 if it did not (and then it never will), and, only if the server is
// not back within 30 s, 500 "internal error" with the outcome unknown in the log.
//
// DeleteContents (clear.go) deletes one kind of row, where store/internal/wipe says it
// is; a reset never touches the commit markers or the migration lock. It is not a
// rollcall.Snapshotter: snapshots are SQLite's.
//
// It imports the core, pgx, the standard library and the backends' shared helpers
// (store/internal/...) only: never a face, HTTP or auth.
package postgres

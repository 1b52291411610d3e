// Package sqlite is rollcall's embedded default Store: one SQLite file, in WAL mode with
// synchronous=FULL, so an acknowledged Update survives a crash or a power cut.
//
// Driver: a build with cgo (the default where a C compiler is found) uses
// github.com/mattn/go-sqlite3, SQLite's C library, which runs the writer's statements in
// under half the instructions; CGO_ENABLED=0 builds with modernc.org/sqlite, pure Go.
// What differs between them (opening a pool with its pragmas, an error's result code,
// the online backup) is in driver_cgo.go and driver_modernc.go; the rest is the same.
//
// Writes: every Update goes to one writer goroutine, which owns the only write
// connection and group-commits. It takes the first waiting Update, drains whatever else
// is waiting (up to WithMaxBatch), and runs them in one BEGIN IMMEDIATE transaction.
// An Update whose fn fails or panics before it changed a row fails alone (a failed
// statement changes nothing); one that fails after rolls the batch back, and the
// Updates before it run again, each in its own savepoint, as do those of the next few
// batches (careful ones): there an Update that fails is rolled back to its savepoint
// and fails alone. Savepoints only when failures come: each copies every page its
// Update changes first to a sub-journal. The writer then commits once and only then
// answers every Update of the batch: one fsync acknowledges them all, which is what
// makes durable writes fast. After a small batch it yields, so the callers it answered
// run before it starts the next (writer.go, yieldBatch); and a small batch that holds
// fewer of them come back than the last batch answered waits a little for the others
// (writer.go, gather), so that a few callers share one commit instead of two halves
// each waiting for the other's. BEGIN, SAVEPOINT and COMMIT
// are plain statements on one *sql.Conn, and every statement is prepared once per
// connection; those that answer no rows run on the driver's connection (conn.go). A checkpointer
// goroutine copies the WAL into the database file on a connection of its own, so the
// writer never stops for it, and on Linux from a thread with the idle I/O class, so its
// writes wait while the writer's WAL writes are queued (see checkpoint.go). Stats
// counts batches and commits.
//
// Reads: every View runs on one of a pool of read-only connections (query_only), in a
// BEGIN ... ROLLBACK, so it sees one snapshot; WAL lets reads run while the writer
// writes. A View takes its connection at its first statement, so a ViewOne (one read)
// answered from the token cache (tokencache.go: the access tokens Views read, emptied by
// the writer before anything that may remove one) takes none. In an Update, directories and business
// groups are read through the writer's cache (dircache.go).
//
// Schema: the embedded migrations/ are applied by Open and recorded in
// schema_migrations. Times are INTEGER Unix milliseconds, read back in UTC; attrs are
// the products' JSON documents as text, kept unread (store/internal/rowset), and a
// user's product keys are columns beside them; nil and empty slices are the same and
// read back as nil (see codec.go).
// There are no foreign keys: the core checks references in the same transaction.
// Driver errors become rollcall error kinds here, at the boundary (see errors.go).
//
// A full disk or a failing one: every out-of-space and I/O failure SQLite reports
// (SQLITE_FULL, every SQLITE_IOERR_* including SHMSIZE, CANTOPEN, READONLY, PROTOCOL,
// NOMEM) is Unavailable, 503 at the faces, with a message that says which ("the
// database is full"); a corrupt file is Internal. The rule for a failed COMMIT: the
// caller is told it failed only when it is certain that nothing of it is there, now or
// after a crash and recovery. A COMMIT can fail after its commit frame reached the WAL
// (the -shm cannot grow): the writer then reads the WAL as recovery would and, if the
// transaction would come back, invalidates its first frame and fsyncs before it answers
// 503; if the wal-index shows it published, it answers success; if it cannot tell (the
// files cannot be read or written), it answers an Internal "outcome unknown" and refuses
// every later write until rollcall restarts. See wal.go. A failed Open on a full disk
// says "no space left on device in DIR: N bytes free" and removes the -wal and -shm it
// created. With less than 128 MiB free the WAL gives its space back (TRUNCATE) when it
// holds more than is free, and the writer refuses a batch rather than take the last MiB,
// which that checkpoint needs (room, checkpoint.go).
//
// Snapshots (snapshot.go, restore.go): SaveSnapshot copies the database with SQLite's
// online backup, on a read connection, to a file beside it. RestoreSnapshot copies the
// snapshot's file, checks it and migrates it while the store serves, then, on the
// writer between two batches, takes every read connection, closes every connection
// (which checkpoints and removes the WAL), renames the copy over the database and
// opens the connections again: a crash leaves the old file or the new one. Restore and
// DeleteContents of directories or groups empty the writer's directory cache; restore
// and DeleteContents of access tokens the token cache.
//
// It imports the core, database/sql, the driver and the backends' shared helpers
// (store/internal/...) only: never a face, HTTP or auth.
package sqlite

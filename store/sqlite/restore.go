package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/atomicfile"
	"github.com/rollcall/rollcall/store/internal/wipe"
)

// A restore puts a copy of the snapshot's file in place of the database file, with a
// rename: the file system's one atomic step, so a crash at any point leaves the old
// database or the new one, whole. Copying the rows back in one transaction instead cost
// 1.6 s of CPU at 100,000 users (every page written to the WAL, then checkpointed), this
// 0.2 s (BenchmarkSnapshot100k): the kernel copies the file.
//
// While the store serves:
//
//  1. prepare: copy the snapshot to a temporary file beside the database, check it
//     (PRAGMA quick_check, unless this store saved or checked a file with the same
//     contents there before: checkedFiles), refuse a schema version this rollcall does
//     not know, and apply the migrations an older snapshot lacks; fsync it.
//
// Then on the writer, between two batches (Updates wait in the queue):
//
//  2. take every read connection from the pool, waiting for the Views using them (new
//     Views wait for one), and stop the checkpointer;
//  3. copy the settings (the running server holds the pagination key) into the file and
//     bump its version counters past the database's (wipe.IsVersion), and fsync it;
//  4. close every connection: the last one checkpoints the WAL and deletes it. A -wal
//     still there means another connection (another process) has the database open:
//     the restore gives up, and the old file is reopened;
//  5. rename the file over the database and fsync the directory;
//  6. open the connections again, empty the directory cache, give the read slots back.
//
// The rename never meets a WAL of the old file: SQLite would replay its frames into the
// new one. A failure before the rename reopens the old file; one after it (the
// connections cannot be opened again) leaves the new state on disk and the store
// refusing writes until rollcall restarts. Open removes temporary files a crash left.

// restoreHook, when set (by tests), runs at each step of a restore: "prepared" (the
// copy is ready, before the writer takes it), "closed" (every connection closed,
// before the rename), "reopen" (before the connections are opened again, on the new
// file or, after a failure, the old one; an error there is a failure to open them). An
// error from it fails the restore there.
var restoreHook func(step string) error

func hook(step string) error {
	if restoreHook != nil {
		return restoreHook(step)
	}
	return nil
}

// restoreTemp is the name prefix of the database's restore copies.
func restoreTemp(path string) string { return "." + filepath.Base(path) + ".restore-" }

// RestoreSnapshot prepares a copy of the snapshot while the store serves, then has the
// writer swap it in, alone.
func (s *Store) RestoreSnapshot(ctx context.Context, name string) error {
	snap, err := s.snapshotPath(name)
	if err != nil {
		return err
	}
	if !s.enter() {
		return errClosed()
	}
	tmp := filepath.Join(filepath.Dir(s.path), restoreTemp(s.path)+randomHex())
	defer removeTemp(tmp) // a no-op once renamed
	err = s.prepare(ctx, snap, tmp, name)
	if err == nil {
		err = hook("prepared")
	}
	s.leave()
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if !s.enter() {
		return errClosed()
	}
	r := &request{ctx: ctx, done: make(chan error, 1),
		alone: func(context.Context, *dbConn) error { return s.swap(ctx, tmp) }}
	select {
	case s.reqs <- r:
		s.leave()
	case <-ctx.Done():
		s.leave()
		return ctx.Err()
	}
	return <-r.done
}

// runAlone runs a request that needs the write connection to itself.
func (w *writer) runAlone(r *request) {
	if err := r.ctx.Err(); err != nil {
		w.stats.canceled.Add(1)
		r.done <- err
		return
	}
	if w.fenced != nil {
		r.done <- w.fenced
		return
	}
	w.tokens.invalidate()
	err := r.alone(context.WithoutCancel(r.ctx), w.c)
	w.dirs.reset() // what it cached may be gone; data_version does not see our own writes
	w.tokens.settle()
	if w.c == nil || w.idem.load(context.WithoutCancel(r.ctx), w.c) != nil {
		w.idem.version = -1 // the next batch loads it
	}
	if err == nil {
		w.kickCheckpointer()
	}
	r.done <- err
}

// prepare copies the snapshot snap to tmp and brings the copy to the store's schema.
func (s *Store) prepare(ctx context.Context, snap, tmp, name string) error {
	dir := filepath.Dir(tmp)
	if err := copyFile(snap, tmp); errors.Is(err, os.ErrNotExist) {
		return notFound("snapshot " + name)
	} else if err != nil {
		return atomicfileErr(dir, internal("copy snapshot", err))
	}
	sum, err := checksum(tmp)
	if err != nil {
		return atomicfileErr(dir, internal("copy snapshot", err))
	}
	// No fsync while preparing: syncFile below makes the result durable at once.
	db := openDB(tmp, "journal_mode(delete)", "synchronous(off)")
	err = upgrade(ctx, db, name, !s.checked.has(snap, sum))
	if err = errors.Join(err, db.Close()); err != nil {
		return err
	}
	s.checked.add(snap, sum)
	if err := syncFile(tmp); err != nil {
		return atomicfileErr(dir, internal("copy snapshot", err))
	}
	return nil
}

// checkedFiles are the checksums of the snapshot files this store wrote, or found
// whole, by path: a restore of one with the same contents skips the integrity check,
// which reads every page through SQLite (0.15 s of CPU at 100,000 users, four times
// the checksum's) and is there for files damaged or put there by hand.
type checkedFiles struct {
	mu   sync.Mutex
	sums map[string]uint32
}

func (c *checkedFiles) add(path string, sum uint32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sums == nil {
		c.sums = make(map[string]uint32)
	}
	c.sums[path] = sum
}

func (c *checkedFiles) has(path string, sum uint32) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	known, ok := c.sums[path]
	return ok && known == sum
}

// checksum is the CRC-32C of the file's contents (the CPU computes it: 30 ms for
// 180 MB).
func checksum(path string) (uint32, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	h := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	_, err = io.Copy(h, f)
	return h.Sum32(), err
}

// upgrade refuses a copy that is damaged (when check is set), not a rollcall database,
// or of a newer schema, and applies the migrations an older one lacks.
func upgrade(ctx context.Context, db *sql.DB, name string, check bool) error {
	c, err := newConn(ctx, db)
	if err != nil {
		return snapshotErr(name, err)
	}
	defer c.close()
	if check {
		var result string
		if err := c.conn.QueryRowContext(ctx, `PRAGMA quick_check(1)`).Scan(&result); err != nil {
			return snapshotErr(name, err)
		}
		if result != "ok" {
			return badSnapshot(name, errors.New(result))
		}
	}
	applied, err := appliedMigrations(ctx, c)
	if err != nil {
		return snapshotErr(name, err)
	}
	all, err := migrations()
	if err != nil {
		return internal("migrations", err)
	}
	var newer []string
	for v := range applied {
		if !slices.ContainsFunc(all, func(m migration) bool { return m.version == v }) {
			newer = append(newer, v)
		}
	}
	if len(newer) > 0 {
		return &rollcall.Error{Kind: rollcall.Invalid, Op: "RestoreSnapshot",
			Message: fmt.Sprintf("snapshot %s was saved by a newer rollcall (schema version %s; this one knows up to %s): it cannot be restored here",
				name, slices.Max(newer), all[len(all)-1].version)}
	}
	if !applied[all[0].version] {
		return badSnapshot(name, errors.New("no rollcall schema"))
	}
	if len(applied) < len(all) {
		if err := migrate(ctx, c); err != nil {
			return translate("migrate snapshot "+name, err)
		}
	}
	return nil
}

// swap runs on the writer, between batches: steps 2 to 6 above. ctx bounds the wait
// for the read connections only; once they are taken, the swap runs to its end.
func (s *Store) swap(ctx context.Context, tmp string) error {
	readers, err := s.takeReaders(ctx)
	defer func() { // the slots go back whatever happened: Views waiting take them
		for _, c := range readers {
			s.readers <- c
		}
	}()
	if err != nil {
		return err
	}
	s.cp.mu.Lock()
	defer s.cp.mu.Unlock()
	if err := keepSettings(s.w.c, tmp); err != nil {
		return err
	}
	if err := syncFile(tmp); err != nil {
		return atomicfileErr(filepath.Dir(tmp), internal("restore", err))
	}
	s.disconnect(readers) // errors show below: a connection left open leaves the -wal
	clear(readers)        // closed: the slots go back empty
	err = hook("closed")
	if _, serr := os.Lstat(s.path + "-wal"); err == nil && !errors.Is(serr, os.ErrNotExist) {
		err = &rollcall.Error{Kind: rollcall.Unavailable, Op: "RestoreSnapshot",
			Message: "the database is open elsewhere (another process?): nothing was restored",
			Err:     fmt.Errorf("sqlite: restore: %s-wal is still there after every connection closed (%v)", s.path, serr)}
	}
	if err == nil {
		if rerr := os.Rename(tmp, s.path); rerr != nil {
			err = internal("restore", rerr)
		}
	}
	if err != nil {
		return errors.Join(err, s.reconnect()) // the old file
	}
	// Like SQLite, which ignores a failed fsync of a directory: the rename is done, and
	// a crash before the directory reaches the disk leaves the old file, whole.
	atomicfile.SyncDir(filepath.Dir(s.path))
	if err := s.reconnect(); err != nil {
		return &rollcall.Error{Kind: rollcall.Unavailable, Op: "RestoreSnapshot",
			Message: "the snapshot was restored, but the database could not be opened again: restart rollcall", Err: err}
	}
	return nil
}

// takeReaders takes every read slot, waiting for the Views that hold one: at most the
// busy timeout, so that a View that waits for the writer cannot hold it for good.
func (s *Store) takeReaders(ctx context.Context) ([]*dbConn, error) {
	timeout := time.NewTimer(s.opts.busyTimeout)
	defer timeout.Stop()
	var readers []*dbConn
	for range cap(s.readers) {
		select {
		case c := <-s.readers:
			readers = append(readers, c)
		case <-ctx.Done():
			return readers, ctx.Err()
		case <-timeout.C:
			return readers, &rollcall.Error{Kind: rollcall.Unavailable, Message: msgBusy,
				Err: fmt.Errorf("sqlite: restore: Views still running after %v", s.opts.busyTimeout)}
		}
	}
	return readers, nil
}

// reconnect opens the connections again, after a swap or a swap given up. If it
// cannot, the store refuses writes until rollcall restarts; Views open connections of
// their own when they can.
func (s *Store) reconnect() error {
	s.w.dirs = dirCache{}
	s.w.restart.Store(false)
	s.w.room.truncate.Store(false)
	s.openPools()
	err := hook("reopen")
	if err == nil {
		err = s.openConns()
	}
	if err != nil {
		for _, c := range []*dbConn{s.w.c, s.cp.c} {
			if c != nil {
				c.close()
			}
		}
		s.w.c, s.cp.c = nil, nil
		s.writeDB.Close()
		s.w.fenced = &rollcall.Error{Kind: rollcall.Unavailable, Message: msgReopen,
			Err: fmt.Errorf("sqlite: the database could not be opened again after a restore: %w", err)}
	}
	return err
}

const msgReopen = "the database could not be opened again after a restore: restart rollcall"

// keepSettings writes the store's settings into the file at path, and its version
// counters, bumped, so that caches of what they version reload.
func keepSettings(c *dbConn, path string) (err error) {
	ctx := context.Background()
	conn := c.conn
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS snap`, fileURI(path)); err != nil {
		return translate("attach snapshot", err)
	}
	defer func() {
		if _, derr := conn.ExecContext(ctx, `DETACH DATABASE snap`); derr != nil && err == nil {
			err = internal("detach snapshot", derr)
		}
	}()
	tables, err := schemaTables(&tx{ctx: ctx, c: c}, "main")
	if err != nil {
		return err
	}
	// The file is a copy nobody uses yet, synced by the caller: no journal needed.
	stmts := []string{`PRAGMA snap.journal_mode = OFF`, `PRAGMA snap.synchronous = OFF`, `BEGIN`}
	for _, tb := range tables {
		if tb.Name != "settings" && !wipe.IsVersion(tb) {
			continue
		}
		q := `"` + tb.Name + `"`
		stmts = append(stmts, `DELETE FROM snap.`+q, `INSERT INTO snap.`+q+` SELECT * FROM main.`+q)
		if wipe.IsVersion(tb) {
			stmts = append(stmts, `UPDATE snap.`+q+` SET version = version + 1`)
		}
	}
	for _, q := range append(stmts, `COMMIT`) {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			conn.ExecContext(ctx, `ROLLBACK`)
			return translate("restore settings", err)
		}
	}
	return nil
}

// snapshotErr is a failure to read a snapshot: Unavailable if the disk failed, else the
// file's fault.
func snapshotErr(name string, err error) error {
	if terr := translate("read snapshot", err); rollcall.IsKind(terr, rollcall.Unavailable) {
		return terr
	}
	return badSnapshot(name, err)
}

func badSnapshot(name string, err error) error {
	return &rollcall.Error{Kind: rollcall.Invalid, Op: "RestoreSnapshot",
		Message: "snapshot " + name + " is damaged or not a rollcall snapshot: nothing was restored", Err: err}
}

package sqlite

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/atomicfile"
	"github.com/rollcall/rollcall/store/internal/wipe"
)

// Snapshots are whole copies of the database, one file each, NAME.db in the directory
// "snapshots" beside the database file. Saving is VACUUM INTO on a connection of its
// own, which reads one consistent snapshot while the writer goes on. Restoring runs on
// the writer's connection between two batches: it attaches the file, checks that its
// schema version is the store's, and in one transaction empties every table (read from
// the schema) and copies the snapshot's rows back, so Views see the state
// before or after. The settings table (the key that signs pagination tokens, which a
// running server holds in memory) is neither saved over nor restored.

var _ rollcall.Snapshotter = (*Store)(nil)

var snapshotName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)

// SnapshotDir is where the snapshots of the database at path are kept.
func SnapshotDir(path string) string { return filepath.Join(filepath.Dir(path), "snapshots") }

func (s *Store) snapshotPath(name string) (string, error) {
	if !snapshotName.MatchString(name) {
		return "", &rollcall.Error{Kind: rollcall.Invalid, Op: "Snapshot",
			Message: fmt.Sprintf("snapshot name %q: use 1 to 64 letters, digits, '-' or '_', starting with a letter or digit", name)}
	}
	return filepath.Join(SnapshotDir(s.path), name+".db"), nil
}

// SaveSnapshot writes the snapshot to a temporary file, fsyncs it and renames it into
// place, so a crash leaves the old snapshot or the new one.
func (s *Store) SaveSnapshot(ctx context.Context, name string) (rollcall.SnapshotInfo, error) {
	path, err := s.snapshotPath(name)
	if err != nil {
		return rollcall.SnapshotInfo{}, err
	}
	if !s.enter() {
		return rollcall.SnapshotInfo{}, errClosed()
	}
	defer s.leave()
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return rollcall.SnapshotInfo{}, internal("snapshot directory", err)
	}
	tmp := filepath.Join(dir, "."+name+"."+randomHex()+".tmp")
	defer os.Remove(tmp)                                      // a no-op once renamed
	db, err := sql.Open("sqlite", dsn(s.path, s.opts, false)) // query_only refuses VACUUM INTO; this connection only reads
	if err != nil {
		return rollcall.SnapshotInfo{}, internal("snapshot", err)
	}
	defer db.Close()
	// The directory is 0700, so the file VACUUM INTO creates is private before the
	// chmod below makes it 0600.
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return rollcall.SnapshotInfo{}, atomicfileErr(dir, translate("snapshot", err))
	}
	if err := syncFile(tmp); err != nil {
		return rollcall.SnapshotInfo{}, atomicfileErr(dir, internal("snapshot", err))
	}
	if err := os.Rename(tmp, path); err != nil {
		return rollcall.SnapshotInfo{}, internal("snapshot", err)
	}
	if err := atomicfile.SyncDir(dir); err != nil {
		return rollcall.SnapshotInfo{}, internal("snapshot", err)
	}
	return snapshotInfo(name, path)
}

func atomicfileErr(dir string, err error) error {
	if noSpace(err) {
		return &rollcall.Error{Kind: rollcall.Unavailable, Message: msgFull, Err: atomicfile.NoSpaceIn(dir, err)}
	}
	return err
}

func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	err = errors.Join(f.Chmod(0o600), f.Sync())
	return errors.Join(err, f.Close())
}

func randomHex() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func snapshotInfo(name, path string) (rollcall.SnapshotInfo, error) {
	fi, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return rollcall.SnapshotInfo{}, notFound("snapshot " + name)
	}
	if err != nil {
		return rollcall.SnapshotInfo{}, internal("snapshot", err)
	}
	return rollcall.SnapshotInfo{Name: name, Size: fi.Size(), SavedAt: fi.ModTime().UTC()}, nil
}

// Snapshots lists the snapshots by name.
func (s *Store) Snapshots(ctx context.Context) ([]rollcall.SnapshotInfo, error) {
	entries, err := os.ReadDir(SnapshotDir(s.path))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, internal("snapshots", err)
	}
	var out []rollcall.SnapshotInfo
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".db")
		if !ok || !snapshotName.MatchString(name) || !e.Type().IsRegular() {
			continue
		}
		if info, err := snapshotInfo(name, filepath.Join(SnapshotDir(s.path), e.Name())); err == nil {
			out = append(out, info)
		}
	}
	return out, nil // ReadDir sorts by file name
}

// DeleteSnapshot removes the snapshot's file.
func (s *Store) DeleteSnapshot(ctx context.Context, name string) error {
	path, err := s.snapshotPath(name)
	if err != nil {
		return err
	}
	if err := os.Remove(path); errors.Is(err, os.ErrNotExist) {
		return notFound("snapshot " + name)
	} else if err != nil {
		return internal("delete snapshot", err)
	}
	return atomicfile.SyncDir(filepath.Dir(path))
}

// RestoreSnapshot hands the restore to the writer, which runs it alone.
func (s *Store) RestoreSnapshot(ctx context.Context, name string) error {
	path, err := s.snapshotPath(name)
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return notFound("snapshot " + name)
	}
	if !s.enter() {
		return errClosed()
	}
	// The check reads the whole file: it runs here, before the writer is involved, so
	// writes go on meanwhile.
	err = checkFile(ctx, path, name)
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
		alone: func(ctx context.Context, c *dbConn) error { return restore(ctx, s.w, c, path, name) }}
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
	err := r.alone(context.WithoutCancel(r.ctx), w.c)
	clear(w.dirs.rows) // what it cached may be gone; data_version does not see our own writes
	if err == nil {
		w.kickCheckpointer()
	}
	r.done <- err
}

// restoreHook, when set (by tests), runs after each table is copied back; an error
// from it fails the restore there.
var restoreHook func(table string) error

func restore(ctx context.Context, w *writer, c *dbConn, path, name string) (err error) {
	conn := c.conn
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS snap`, "file:"+path+"?mode=ro"); err != nil {
		if terr := translate("attach snapshot", err); rollcall.IsKind(terr, rollcall.Unavailable) {
			return terr
		}
		return badSnapshot(name, err)
	}
	defer func() {
		if _, derr := conn.ExecContext(context.Background(), `DETACH DATABASE snap`); derr != nil && err == nil {
			err = internal("detach snapshot", derr)
		}
	}()
	if err := checkSnapshot(ctx, conn, name); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return translate("begin", err)
	}
	committed := false
	defer func() {
		if !committed {
			conn.ExecContext(context.Background(), "ROLLBACK")
		}
	}()
	t := &tx{ctx: ctx, c: c}
	tables, err := schemaTables(t, "main")
	if err != nil {
		return err
	}
	for _, tb := range tables {
		if slices.Contains(wipe.Keep, tb.Name) {
			continue
		}
		if wipe.IsVersion(tb) { // bumped, not restored: caches of what it versions reload
			if _, err := conn.ExecContext(ctx, `UPDATE main."`+tb.Name+`" SET version = version + 1`); err != nil {
				return translate("restore "+tb.Name, err)
			}
			continue
		}
		// "SELECT *" into an emptied table of the same schema (the versions match) lets
		// SQLite copy records and index entries as they are (its transfer optimization)
		// rather than rebuild them row by row.
		q := `"` + tb.Name + `"`
		if _, err := conn.ExecContext(ctx, `DELETE FROM main.`+q); err != nil {
			return translate("restore "+tb.Name, err)
		}
		if _, err := conn.ExecContext(ctx, `INSERT INTO main.`+q+` SELECT * FROM snap.`+q); err != nil {
			if terr := translate("restore "+tb.Name, err); rollcall.IsKind(terr, rollcall.Unavailable) {
				return terr
			}
			return badSnapshot(name, err)
		}
		if restoreHook != nil {
			if err := restoreHook(tb.Name); err != nil {
				return err
			}
		}
	}
	if err := w.commitOnce(ctx); err != nil {
		committed = true // commitOnce has rolled back or settled
		return err
	}
	committed = true
	return nil
}

// checkFile refuses a file that is not a database or is damaged.
func checkFile(ctx context.Context, path, name string) error {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return internal("check snapshot", err)
	}
	defer db.Close()
	var check string
	if err := db.QueryRowContext(ctx, `PRAGMA quick_check(1)`).Scan(&check); err != nil {
		if terr := translate("check snapshot", err); rollcall.IsKind(terr, rollcall.Unavailable) {
			return terr
		}
		return badSnapshot(name, err)
	}
	if check != "ok" {
		return badSnapshot(name, errors.New(check))
	}
	return nil
}

// checkSnapshot refuses a snapshot saved by a schema version other than the store's.
func checkSnapshot(ctx context.Context, conn *sql.Conn, name string) error {
	versions := func(schema string) (string, error) {
		var v sql.NullString
		err := conn.QueryRowContext(ctx, `SELECT group_concat(version, ',') FROM (SELECT version FROM `+schema+`.schema_migrations ORDER BY version)`).Scan(&v)
		return v.String, err
	}
	have, err := versions("main")
	if err != nil {
		return internal("schema version", err)
	}
	got, err := versions("snap")
	if err != nil {
		return badSnapshot(name, err)
	}
	if got != have {
		return &rollcall.Error{Kind: rollcall.Invalid, Op: "RestoreSnapshot",
			Message: fmt.Sprintf("snapshot %s has another schema version than this store (%s, not %s): it cannot be restored here", name, last(got), last(have))}
	}
	return nil
}

func last(versions string) string {
	if i := strings.LastIndexByte(versions, ','); i >= 0 {
		return versions[i+1:]
	}
	if versions == "" {
		return "none"
	}
	return versions
}

func badSnapshot(name string, err error) error {
	return &rollcall.Error{Kind: rollcall.Invalid, Op: "RestoreSnapshot",
		Message: "snapshot " + name + " is damaged or not a rollcall snapshot: nothing was restored", Err: err}
}

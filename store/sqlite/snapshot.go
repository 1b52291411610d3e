package sqlite

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/atomicfile"
)

// Snapshots are whole copies of the database, one file each, NAME.db in the directory
// "snapshots" beside the database file. Saving copies the database's pages with
// SQLite's online backup, on one of the read connections: one consistent snapshot,
// taken while the writer goes on. Restoring brings a copy of the file in place of the
// database (restore.go). The settings table (the key that signs pagination tokens,
// which a running server holds in memory) is saved but never restored over.

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
	defer removeTemp(tmp) // a no-op once renamed
	if err := s.backup(ctx, tmp); err != nil {
		return rollcall.SnapshotInfo{}, atomicfileErr(dir, translate("snapshot", err))
	}
	if err := syncFile(tmp); err != nil {
		return rollcall.SnapshotInfo{}, atomicfileErr(dir, internal("snapshot", err))
	}
	sum, err := checksum(tmp)
	if err != nil {
		return rollcall.SnapshotInfo{}, internal("snapshot", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return rollcall.SnapshotInfo{}, internal("snapshot", err)
	}
	if err := atomicfile.SyncDir(dir); err != nil {
		return rollcall.SnapshotInfo{}, internal("snapshot", err)
	}
	s.checked.add(path, sum) // SQLite wrote every page of it
	return snapshotInfo(name, path)
}

// backup copies the database to the new file to, page by page. It runs on a read
// connection, so a restore (which waits for every read connection) never swaps the
// database under it. The directory is 0700, so the file is private before syncFile
// makes it 0600.
func (s *Store) backup(ctx context.Context, to string) error {
	c, err := s.takeReader(ctx)
	if err != nil {
		return err
	}
	defer func() { s.readers <- c }()
	if err := backupTo(ctx, c.conn, to); err != nil {
		return err
	}
	// The copy's header says WAL, as the database's does: make it a plain file, which
	// the sqlite3 shell (or a read-only open) reads without a -wal or -shm beside it.
	db := openDB(to, "journal_mode(delete)")
	return errors.Join(db.PingContext(ctx), db.Close())
}

// fileURI is the URI of the file at path, for the driver.
func fileURI(path string) string { return "file:" + (&url.URL{Path: path}).EscapedPath() }

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

// copyFile copies from to the new file to, mode 0600, without syncing it (the kernel
// copies: copy_file_range on Linux).
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	return errors.Join(err, out.Close())
}

// removeTemp removes a temporary database file and the journal SQLite may have left
// beside it.
func removeTemp(path string) {
	for _, suf := range []string{"", "-journal", "-wal", "-shm"} {
		os.Remove(path + suf)
	}
}

// removeStale removes the temporary files a save or a restore left when the process
// died in the middle: nothing else is named like them, and at Open nothing uses them.
func removeStale(path string) {
	for _, pattern := range []string{
		filepath.Join(filepath.Dir(path), restoreTemp(path)+"*"),
		filepath.Join(SnapshotDir(path), ".*.tmp*"),
	} {
		stale, _ := filepath.Glob(pattern)
		for _, f := range stale {
			os.Remove(f)
		}
	}
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

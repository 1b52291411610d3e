package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/store/storetest"
)

// snapshotFixture is a store with directory A, renamed later by the tests, and users.
func snapshotFixture(t testing.TB, users int) (*sqlite.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rollcall.db")
	s := mustOpenPath(t, path)
	t.Cleanup(func() { s.Close() })
	storetest.MustInsert(t, s, storetest.NewTenant(storetest.TenantID), storetest.NewDirectory("A"))
	for i := 0; i < users; i += 1000 {
		storetest.MustUpdate(t, s, func(tx rollcall.Tx) error {
			for j := i; j < min(i+1000, users); j++ {
				if err := tx.InsertUser(benchUser(fmt.Sprintf("u%07d", j))); err != nil {
					return err
				}
			}
			return nil
		})
	}
	return s, path
}

// savedFixture is snapshotFixture saved as snapshot name, then directory A renamed
// "current": what a restore of name must undo.
func savedFixture(t testing.TB, users int, name string) (*sqlite.Store, string) {
	t.Helper()
	s, path := snapshotFixture(t, users)
	if _, err := s.SaveSnapshot(context.Background(), name); err != nil {
		t.Fatal(err)
	}
	renameA(t, s, "current")
	return s, path
}

// wantState fails unless directory A is named dir and directory "bench" holds n users.
func wantState(t testing.TB, s rollcall.Store, when, dir string, n int) {
	t.Helper()
	if got, c := dirName(t, s), countUsers(t, s); got != dir || c != n {
		t.Errorf("%s: directory %q, %d users; want %q and %d", when, got, c, dir, n)
	}
}

func countUsers(t testing.TB, s rollcall.Store) int {
	t.Helper()
	var n int
	storetest.MustView(t, s, func(tx rollcall.Tx) (err error) {
		n, err = tx.CountUsers(rollcall.UserQuery{DirectoryID: "bench"})
		return err
	})
	return n
}

// dirName reads directory A in an Update, where the writer's cache serves it.
func dirName(t testing.TB, s rollcall.Store) string {
	t.Helper()
	var name string
	storetest.MustUpdate(t, s, func(tx rollcall.Tx) error {
		d, err := tx.Directory("A")
		if err == nil {
			name = d.Name
		}
		return err
	})
	return name
}

func renameA(t testing.TB, s rollcall.Store, name string) {
	t.Helper()
	storetest.MustUpdate(t, s, func(tx rollcall.Tx) error {
		d, err := tx.Directory("A")
		if err != nil {
			return err
		}
		d.Name = name
		return tx.UpdateDirectory(d)
	})
}

func TestSnapshotSaveRestoreWhileServing(t *testing.T) {
	ctx := context.Background()
	s, path := snapshotFixture(t, 2000)
	dirName(t, s) // cached
	info, err := s.SaveSnapshot(ctx, "base")
	if err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(filepath.Join(filepath.Dir(path), "snapshots", "base.db")); err != nil || fi.Mode().Perm() != 0o600 || info.Size != fi.Size() {
		t.Fatalf("snapshot file: %v %v, info %+v", fi, err, info)
	}
	renameA(t, s, "changed")
	storetest.MustInsert(t, s, benchUser("extra"))
	if dirName(t, s) != "changed" || countUsers(t, s) != 2001 {
		t.Fatal("the change did not take")
	}

	// Readers and writers go on while restoring: a View sees 2000 or 2001 users (before
	// or after), never another count, and no request fails.
	var stop atomic.Bool
	var wg sync.WaitGroup
	var views, writes atomic.Int64
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; !stop.Load(); n++ {
				var c int
				err := s.View(ctx, func(tx rollcall.Tx) (err error) {
					c, err = tx.CountUsers(rollcall.UserQuery{DirectoryID: "bench"})
					return err
				})
				if err != nil || (c != 2000 && c != 2001) {
					t.Errorf("View during restore: %d users, %v", c, err)
					return
				}
				views.Add(1)
				if i == 0 {
					u := benchUser(fmt.Sprintf("w%d", n))
					u.DirectoryID = "other" // not counted by the Views
					err := s.Update(ctx, func(tx rollcall.Tx) error { return tx.InsertUser(u) })
					if err != nil {
						t.Errorf("Update during restore: %v", err)
						return
					}
					writes.Add(1)
				}
			}
		}()
	}
	if err := s.RestoreSnapshot(ctx, "base"); err != nil {
		t.Fatal(err)
	}
	stop.Store(true)
	wg.Wait()
	t.Logf("%d views and %d writes ran during the restore", views.Load(), writes.Load())
	storetest.MustView(t, s, func(tx rollcall.Tx) error {
		if _, err := tx.User("bench", "extra"); !rollcall.IsKind(err, rollcall.NotFound) {
			t.Errorf("the user created after the save is still there: %v", err)
		}
		return nil
	})
	if got := dirName(t, s); got != "directory A" {
		t.Errorf("directory A after the restore is %q in an Update: the writer's cache kept the change", got)
	}
	list, err := s.Snapshots(ctx)
	if err != nil || len(list) != 1 || list[0].Name != "base" {
		t.Errorf("Snapshots = %+v, %v", list, err)
	}
	if err := s.DeleteSnapshot(ctx, "base"); err != nil {
		t.Fatal(err)
	}
	storetest.WantKind(t, "restore of a deleted snapshot", s.RestoreSnapshot(ctx, "base"), rollcall.NotFound)
	storetest.WantKind(t, "delete of a deleted snapshot", s.DeleteSnapshot(ctx, "base"), rollcall.NotFound)
}

func TestSnapshotNames(t *testing.T) {
	s, _ := snapshotFixture(t, 0)
	for _, name := range []string{"", "../x", "a/b", ".hidden", "a.db", `a\b`, "x\x00", string(make([]byte, 65))} {
		_, err := s.SaveSnapshot(context.Background(), name)
		storetest.WantKind(t, fmt.Sprintf("save %q", name), err, rollcall.Invalid)
		storetest.WantKind(t, fmt.Sprintf("restore %q", name), s.RestoreSnapshot(context.Background(), name), rollcall.Invalid)
		storetest.WantKind(t, fmt.Sprintf("delete %q", name), s.DeleteSnapshot(context.Background(), name), rollcall.Invalid)
	}
}

// TestSnapshotRestoreRefused: a damaged file, a snapshot of another schema version, and
// a failure in the middle of the copy each leave the store as it was.
func TestSnapshotRestoreRefused(t *testing.T) {
	ctx := context.Background()
	s, path := snapshotFixture(t, 500)
	if _, err := s.SaveSnapshot(ctx, "good"); err != nil {
		t.Fatal(err)
	}
	dir := sqlite.SnapshotDir(path)
	copyFile := func(to string, edit func([]byte) []byte) {
		b, err := os.ReadFile(filepath.Join(dir, "good.db"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, to+".db"), edit(b), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	copyFile("garbage", func([]byte) []byte { return []byte("not a database at all, but long enough to look like one maybe") })
	copyFile("truncated", func(b []byte) []byte { return b[:len(b)/2] })
	copyFile("damaged", func(b []byte) []byte {
		for i := len(b) / 2; i < len(b)/2+4096; i++ {
			b[i] ^= 0x5a
		}
		return b
	})
	copyFile("newer", func(b []byte) []byte { return b })
	db, err := sqlite.OpenDB(filepath.Join(dir, "newer.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO schema_migrations (version, applied_at) VALUES ('9999_future', 0)`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	renameA(t, s, "current")
	storetest.MustInsert(t, s, benchUser("extra"))
	for _, name := range []string{"garbage", "truncated", "damaged", "newer"} {
		err := s.RestoreSnapshot(ctx, name)
		storetest.WantKind(t, "restore of "+name, err, rollcall.Invalid)
		wantState(t, s, fmt.Sprintf("after the refused restore of %s", name), "current", 501)
	}

	// A failure at each step before the rename leaves the store as it was, and serving.
	boom := errors.New("injected failure")
	for i, step := range []string{"prepared", "closed"} {
		sqlite.FailRestoreAt(t, step, boom)
		if err := s.RestoreSnapshot(ctx, "good"); !errors.Is(err, boom) {
			t.Fatalf("restore with a failure injected at %s = %v", step, err)
		}
		wantState(t, s, fmt.Sprintf("after a restore failed at %s", step), "current", 501+i)
		storetest.MustInsert(t, s, benchUser("after-"+step))
	}
	sqlite.FailRestoreAt(t, "", nil)
	if err := s.RestoreSnapshot(ctx, "good"); err != nil {
		t.Fatal(err)
	}
	wantState(t, s, "after the restore", "directory A", 500)
	wantNoTemp(t, path)

	// The store saved good.db and restored it: damaged in place since, it is checked
	// again, not trusted.
	renameA(t, s, "current")
	f, err := os.OpenFile(filepath.Join(dir, "good.db"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := f.Stat()
	if err == nil {
		_, err = f.WriteAt(make([]byte, 4096), fi.Size()/2/4096*4096)
	}
	if err = errors.Join(err, f.Close()); err != nil {
		t.Fatal(err)
	}
	storetest.WantKind(t, "restore of good.db damaged in place", s.RestoreSnapshot(ctx, "good"), rollcall.Invalid)
	wantState(t, s, "after the refused restore", "current", 500)
}

// wantNoTemp fails if a restore or a save left a file beside the database or the
// snapshots.
func wantNoTemp(t *testing.T, path string) {
	t.Helper()
	for _, dir := range []string{filepath.Dir(path), sqlite.SnapshotDir(path)} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				t.Errorf("%s left in %s", e.Name(), dir)
			}
		}
	}
}

// TestSnapshotRestoreReopenFails: when the connections cannot be opened again after the
// new file is in place, the restore says so, the store refuses writes (it cannot tell
// what it would write to), and the next start has the restored state.
func TestSnapshotRestoreReopenFails(t *testing.T) {
	ctx := context.Background()
	s, path := savedFixture(t, 10, "base")
	sqlite.FailRestoreAt(t, "reopen", errors.New("injected failure"))
	storetest.WantKind(t, "restore that cannot reopen", s.RestoreSnapshot(ctx, "base"), rollcall.Unavailable)
	err := s.Update(ctx, func(tx rollcall.Tx) error { return tx.InsertUser(benchUser("refused")) })
	storetest.WantKind(t, "Update after a restore that could not reopen", err, rollcall.Unavailable)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	sqlite.FailRestoreAt(t, "", nil)
	s = mustOpenPath(t, path)
	defer s.Close()
	wantState(t, s, "after a restart", "directory A", 10)
}

// TestSnapshotRestoreOpenElsewhere: another connection to the database file (here, of
// this process; another process is the same to SQLite) keeps its WAL, which must never
// meet the new file, so the restore is refused and the store goes on as it was.
func TestSnapshotRestoreOpenElsewhere(t *testing.T) {
	ctx := context.Background()
	s, path := savedFixture(t, 10, "base")
	other, err := sqlite.OpenDB(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var n int
	if err := other.QueryRow(`SELECT count(*) FROM users`).Scan(&n); err != nil || n != 10 {
		t.Fatalf("the other connection reads %d users, %v", n, err)
	}
	storetest.WantKind(t, "restore with another connection open", s.RestoreSnapshot(ctx, "base"), rollcall.Unavailable)
	wantState(t, s, "after the refused restore", "current", 10)
	storetest.MustInsert(t, s, benchUser("after"))
	other.Close()
	if err := s.RestoreSnapshot(ctx, "base"); err != nil {
		t.Fatal(err)
	}
	wantState(t, s, "after the restore", "directory A", 10)
}

// TestSnapshotRestoreOlder: a snapshot that lacks a migration (here: the audit trail's,
// which only creates a table) is brought up to this schema version as it is restored.
func TestSnapshotRestoreOlder(t *testing.T) {
	ctx := context.Background()
	s, path := snapshotFixture(t, 10)
	if _, err := s.SaveSnapshot(ctx, "old"); err != nil {
		t.Fatal(err)
	}
	want, err := sqlite.WriterQuery(s, `SELECT group_concat(version) FROM schema_migrations`)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.OpenDB(filepath.Join(sqlite.SnapshotDir(path), "old.db"))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP TABLE audit_events`, `DELETE FROM schema_migrations WHERE version = '0200_audit_events'`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	renameA(t, s, "current")
	if err := s.RestoreSnapshot(ctx, "old"); err != nil {
		t.Fatal(err)
	}
	wantState(t, s, "after the restore", "directory A", 10)
	if got, err := sqlite.WriterQuery(s, `SELECT group_concat(version) FROM schema_migrations`); err != nil || got != want {
		t.Errorf("schema versions after restoring an older snapshot: %q, %v; want %q", got, err, want)
	}
	if got, err := sqlite.ReaderQuery(s, `SELECT count(*) FROM audit_events`); err != nil || got != "0" {
		t.Errorf("audit_events after restoring an older snapshot: %q, %v", got, err)
	}
}

// TestSnapshotRestoreKeepsSettings: a snapshot of another store brings its rows but not
// its settings (the running server signs pagination tokens with the key it has), and
// the version counters move past this store's, so that caches of what they version
// reload.
func TestSnapshotRestoreKeepsSettings(t *testing.T) {
	ctx := context.Background()
	from, fromPath := snapshotFixture(t, 3)
	to, toPath := snapshotFixture(t, 7)
	for s, key := range map[*sqlite.Store]string{from: "from", to: "to"} {
		storetest.MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.InsertSetting("key", key) })
	}
	storetest.MustInsertFaults(t, to, storetest.NewFault("f1"), storetest.NewFault("f2"))
	before := faultsVersion(t, to)
	if _, err := from.SaveSnapshot(ctx, "other"); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(sqlite.SnapshotDir(toPath), 0o700); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(sqlite.SnapshotDir(fromPath), "other.db"))
	if err == nil {
		err = os.WriteFile(filepath.Join(sqlite.SnapshotDir(toPath), "other.db"), b, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := to.RestoreSnapshot(ctx, "other"); err != nil {
		t.Fatal(err)
	}
	if n := countUsers(t, to); n != 3 {
		t.Errorf("%d users after the restore, want the snapshot's 3", n)
	}
	storetest.MustView(t, to, func(tx rollcall.Tx) error {
		if v, err := tx.Setting("key"); err != nil || v != "to" {
			t.Errorf("setting after the restore: %q, %v; want this store's", v, err)
		}
		return nil
	})
	if after := faultsVersion(t, to); after <= before {
		t.Errorf("fault version %d after the restore, %d before: want it bumped past", after, before)
	}
}

func faultsVersion(t *testing.T, s rollcall.Store) (v int64) {
	t.Helper()
	storetest.MustView(t, s, func(tx rollcall.Tx) (err error) {
		v, err = tx.FaultsVersion()
		return err
	})
	return v
}

// TestSnapshotRestoreLetsGoOfTheOldFile: after a restore, no descriptor of this process
// is left on the old database's files (the replaced database, its -wal, its -shm); a
// write after the restore is in the new file, seen by a connection opened afresh and
// after a restart.
func TestSnapshotRestoreLetsGoOfTheOldFile(t *testing.T) {
	ctx := context.Background()
	s, path := savedFixture(t, 10, "base")
	countUsers(t, s) // a read connection on the old file
	if err := s.RestoreSnapshot(ctx, "base"); err != nil {
		t.Fatal(err)
	}
	storetest.MustInsert(t, s, benchUser("after"))
	countUsers(t, s)
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(path)
	open := map[string]int{}
	for _, fd := range fds {
		target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name()))
		if err != nil || !strings.HasPrefix(target, dir+"/") {
			continue
		}
		open[strings.TrimPrefix(target, dir+"/")]++
		if strings.HasSuffix(target, " (deleted)") {
			t.Errorf("descriptor %s is on a removed file: %s", fd.Name(), target)
		}
	}
	t.Logf("descriptors in the data directory after the restore: %v", open)

	db, err := sqlite.OpenDB(path)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM users WHERE id = 'after'`).Scan(&n); err != nil || n != 1 {
		t.Errorf("a connection opened afresh sees %d users named after (%v), want 1", n, err)
	}
	db.Close()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := mustOpenPath(t, path)
	defer s2.Close()
	wantState(t, s2, "after a restart", "directory A", 11)
}

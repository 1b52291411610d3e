package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

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
	db, err := sql.Open("sqlite", filepath.Join(dir, "newer.db"))
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
		if got, n := dirName(t, s), countUsers(t, s); got != "current" || n != 501 {
			t.Errorf("after the refused restore of %s: directory %q, %d users; want the store unchanged", name, got, n)
		}
	}

	boom := errors.New("injected failure")
	sqlite.FailRestoreAfter(t, "users", boom)
	if err := s.RestoreSnapshot(ctx, "good"); !errors.Is(err, boom) {
		t.Fatalf("restore with a failure injected = %v", err)
	}
	if got, n := dirName(t, s), countUsers(t, s); got != "current" || n != 501 {
		t.Errorf("after a restore failed in the middle: directory %q, %d users; want the store unchanged", got, n)
	}
	// The store still writes, and a restore after the failure works.
	storetest.MustInsert(t, s, benchUser("after"))
	sqlite.FailRestoreAfter(t, "", nil)
	if err := s.RestoreSnapshot(ctx, "good"); err != nil {
		t.Fatal(err)
	}
	if got, n := dirName(t, s), countUsers(t, s); got != "directory A" || n != 500 {
		t.Errorf("after the restore: directory %q, %d users", got, n)
	}
}

// BenchmarkSnapshot100k saves and restores a store of 100,000 users while two
// goroutines keep reading (a user by ID) and one keeps writing: it reports the reads
// and writes served during each operation, the slowest of each, and fails on any error.
func BenchmarkSnapshot100k(b *testing.B) {
	ctx := context.Background()
	s, _ := snapshotFixture(b, 100_000)
	if _, err := s.SaveSnapshot(ctx, "bench"); err != nil {
		b.Fatal(err)
	}
	for _, op := range []struct {
		name string
		run  func() error
	}{
		{"save", func() error { _, err := s.SaveSnapshot(ctx, "bench"); return err }},
		{"restore", func() error { return s.RestoreSnapshot(ctx, "bench") }},
	} {
		b.Run(op.name+"/idle", func(b *testing.B) {
			cpu := cpuTime()
			for b.Loop() {
				if err := op.run(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/1e6/float64(b.N), "cpu-ms/op")
		})
		b.Run(op.name+"/serving", func(b *testing.B) {
			var stop atomic.Bool
			var wg sync.WaitGroup
			var reads, writes, slowRead, slowWrite atomic.Int64
			during := func(n *atomic.Int64, slowest *atomic.Int64, fn func(i int) error) {
				defer wg.Done()
				for i := 0; !stop.Load(); i++ {
					start := time.Now()
					if err := fn(i); err != nil {
						b.Error(err)
						return
					}
					n.Add(1)
					if d := int64(time.Since(start)); d > slowest.Load() {
						slowest.Store(d)
					}
				}
			}
			for range 2 {
				wg.Add(1)
				go during(&reads, &slowRead, func(i int) error {
					return s.View(ctx, func(tx rollcall.Tx) error {
						_, err := tx.User("bench", fmt.Sprintf("u%07d", i%100_000))
						return err
					})
				})
			}
			wg.Add(1)
			go during(&writes, &slowWrite, func(i int) error {
				u := benchUser(fmt.Sprintf("w-%s-%d", uuid(), i))
				u.DirectoryID = "other"
				return s.Update(ctx, func(tx rollcall.Tx) error { return tx.InsertUser(u) })
			})
			for b.Loop() {
				if err := op.run(); err != nil {
					b.Fatal(err)
				}
			}
			stop.Store(true)
			wg.Wait()
			b.ReportMetric(float64(reads.Load())/float64(b.N), "reads/op")
			b.ReportMetric(float64(writes.Load())/float64(b.N), "writes/op")
			b.ReportMetric(float64(slowRead.Load())/1e6, "max-read-ms")
			b.ReportMetric(float64(slowWrite.Load())/1e6, "max-write-ms")
		})
	}
}

// cpuTime is the process's user and system CPU time so far, in nanoseconds: on a
// machine others load, it says what an operation costs better than the wall clock.
func cpuTime() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

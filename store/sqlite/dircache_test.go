package sqlite_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/store/storetest"
)

// The writer caches directories (dircache.go); these tests check that an Update never
// sees a directory other than the one its transaction holds.

func nameIn(t *testing.T, tx rollcall.Tx, id string) string {
	t.Helper()
	d, err := tx.Directory(id)
	if err != nil {
		t.Fatalf("Directory(%s): %v", id, err)
	}
	return d.Name
}

// wantName reads directory A in an Update of s (through the writer's cache) and wants
// its name to be want.
func wantName(t *testing.T, s *sqlite.Store, want string) {
	t.Helper()
	if err := s.Update(context.Background(), func(tx rollcall.Tx) error {
		if got := nameIn(t, tx, "A"); got != want {
			t.Errorf("name %q, want %q", got, want)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func rename(tx rollcall.Tx, id, name string) error {
	d, err := tx.Directory(id)
	if err != nil {
		return err
	}
	d.Name = name
	return tx.UpdateDirectory(d)
}

// TestDirCacheSeesWrites: a rename is seen by the next Update, in a later batch or in
// the same one; a rename rolled back (its fn failed) is not; a deleted directory is gone.
func TestDirCacheSeesWrites(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	storetest.MustInsert(t, s, storetest.NewDirectory("A"))
	wantName(t, s, "directory A") // fills the cache
	if err := s.Update(ctx, func(tx rollcall.Tx) error { return rename(tx, "A", "one") }); err != nil {
		t.Fatal(err)
	}
	wantName(t, s, "one")
	errUndo := errors.New("undo")
	if err := s.Update(ctx, func(tx rollcall.Tx) error {
		if err := rename(tx, "A", "rolled back"); err != nil {
			return err
		}
		nameIn(t, tx, "A")
		return errUndo
	}); !errors.Is(err, errUndo) {
		t.Fatal(err)
	}
	wantName(t, s, "one")

	// One batch: read (fills), rename, read, a failed rename, read.
	release := blockWriter(t, s)
	steps := []func(tx rollcall.Tx) error{
		func(tx rollcall.Tx) error { nameIn(t, tx, "A"); return nil },
		func(tx rollcall.Tx) error { return rename(tx, "A", "two") },
		func(tx rollcall.Tx) error {
			if got := nameIn(t, tx, "A"); got != "two" {
				t.Errorf("in the batch: name %q after the rename, want two", got)
			}
			return nil
		},
		func(tx rollcall.Tx) error {
			if err := rename(tx, "A", "rolled back"); err != nil {
				return err
			}
			nameIn(t, tx, "A") // reads its own write, which is then rolled back
			return errUndo
		},
		func(tx rollcall.Tx) error {
			if got := nameIn(t, tx, "A"); got != "two" {
				t.Errorf("in the batch: name %q after a failed rename, want two", got)
			}
			return nil
		},
	}
	var wg sync.WaitGroup
	for i, step := range steps {
		waitQueued(t, s, i)
		wg.Go(func() { s.Update(ctx, step) })
	}
	waitQueued(t, s, len(steps))
	release()
	wg.Wait()
	wantName(t, s, "two")

	if err := s.Update(ctx, func(tx rollcall.Tx) error { return tx.DeleteDirectoryRow("A") }); err != nil {
		t.Fatal(err)
	}
	if err := s.Update(ctx, func(tx rollcall.Tx) error { _, err := tx.Directory("A"); return err }); !rollcall.IsKind(err, rollcall.NotFound) {
		t.Fatalf("deleted directory: %v, want NotFound", err)
	}
}

// TestDirCacheSeesOtherWriters: a directory another process changes in the file (here
// another Store on it) is seen by the next Update.
func TestDirCacheSeesOtherWriters(t *testing.T) {
	s, path := mustOpenNew(t)
	defer s.Close()
	ctx := context.Background()
	storetest.MustInsert(t, s, storetest.NewDirectory("A"))
	for _, name := range []string{"elsewhere", "and again"} {
		if err := s.Update(ctx, func(tx rollcall.Tx) error { nameIn(t, tx, "A"); return nil }); err != nil {
			t.Fatal(err)
		}
		other := mustOpenPath(t, path)
		if err := other.Update(ctx, func(tx rollcall.Tx) error { return rename(tx, "A", name) }); err != nil {
			t.Fatal(err)
		}
		other.Close()
		wantName(t, s, name) // after another writer renamed it
	}
}

// TestDirCacheHandsOutCopies: an Update that changes the directory it read, its attrs
// document included, and then fails, leaves the cached row as committed:
// the next Update reads the directory as stored.
func TestDirCacheHandsOutCopies(t *testing.T) {
	s := mustOpen(t)
	ctx := context.Background()
	want := storetest.NewDirectory("A")
	storetest.MustInsert(t, s, want)
	read := func(tx rollcall.Tx) (*rollcall.Directory, error) { return tx.Directory("A") }
	fail := errors.New("changed my mind")
	for range 2 { // the first read fills the cache, the second reads from it
		err := s.Update(ctx, func(tx rollcall.Tx) error {
			d, err := read(tx)
			if err != nil {
				return err
			}
			d.Name = "changed"
			d.Attrs = `{"accountStatus":"changed"}` // a document is a string: replaced, never changed in place
			return fail
		})
		if !errors.Is(err, fail) {
			t.Fatalf("Update: %v, want %v", err, fail)
		}
	}
	var got *rollcall.Directory
	if err := s.Update(ctx, func(tx rollcall.Tx) (err error) { got, err = read(tx); return err }); err != nil {
		t.Fatal(err)
	}
	storetest.WantEqual(t, "directory A", got, want)
}

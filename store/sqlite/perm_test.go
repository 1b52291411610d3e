package sqlite_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestFilesArePrivate: under the usual umask (022), a new database and its WAL and SHM
// files are 0600, in a directory that already existed too.
func TestFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "rollcall.db")
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Update(context.Background(), func(tx rollcall.Tx) error { return tx.PutTenant(storetest.NewTenant("1")) }); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s is %04o, want 0600", filepath.Base(p), fi.Mode().Perm())
		}
	}
	if w := sqlite.LoosePermissions(path); len(w) != 0 {
		t.Errorf("LoosePermissions of private files: %v", w)
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if w := sqlite.LoosePermissions(path); len(w) != 1 || !strings.Contains(w[0], "0644") {
		t.Errorf("LoosePermissions of a 0644 database: %v", w)
	}
}

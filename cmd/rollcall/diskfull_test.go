package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/atomicfile"
	"github.com/rollcall/rollcall/internal/testdeps"
	"github.com/rollcall/rollcall/internal/testlog"
)

// TestAdminTokenFileOnFullDisk: a first start that cannot write the admin token's hash
// fails saying the disk is full and leaves no file; the next start, with space, makes
// and prints a token that works. (Before, it left a 0-byte file and the next start
// printed nothing and refused every token.)
func TestAdminTokenFileOnFullDisk(t *testing.T) {
	dir := testdeps.SmallFS(t, 1<<20)
	filler := testdeps.Fill(t, dir, "filler")
	_, token, err := adminTokenHash("", dir)
	if err == nil || !errors.Is(err, atomicfile.ErrNoSpace) || !strings.Contains(err.Error(), "no space left on device in "+dir+": ") {
		t.Fatalf("full disk: token %q, err %v; want no space left on device in %s", token, err, dir)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, "*admin-token*")); len(left) > 0 {
		t.Fatalf("a failed write left %v", left)
	}
	os.Remove(filler)
	hash, token, err := adminTokenHash("", dir)
	if err != nil || token == "" || len(hash) != 64 {
		t.Fatalf("start with space: token %q, hash %q, err %v", token, hash, err)
	}
}

// TestCorruptAdminTokenFile: an empty or edited hash file is an error at start that says
// what to do, not an admin API that refuses every token.
func TestCorruptAdminTokenFile(t *testing.T) {
	for name, content := range map[string]string{
		"empty": "", "newline only": "\n", "truncated": strings.Repeat("a", 40) + "\n",
		"not hex": strings.Repeat("z", 64), "upper case": strings.Repeat("A", 64), "a token, not its hash": "rc_admin_xyz",
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, adminTokenFile), []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			hash, token, err := adminTokenHash("", dir)
			if err == nil || !strings.Contains(err.Error(), "delete it") || !strings.Contains(err.Error(), "--admin-token") {
				t.Fatalf("hash %q, token %q, err %v: want an error that says what to do", hash, token, err)
			}
		})
	}
}

// TestStartOnFullDisk: a start with an existing data directory on a full disk fails
// saying so, with the free space, and leaves nothing behind that a later start trips
// over; once there is space, the same directory starts and serves.
func TestStartOnFullDisk(t *testing.T) {
	dir := testdeps.SmallFS(t, 8<<20)
	data := filepath.Join(dir, "data")
	m := MustRunMain(t, data)
	m.Close()
	before := listDir(t, data)
	filler := testdeps.Fill(t, dir, "filler")

	m2 := NewMain()
	m2.Stdout, m2.Stderr = io.Discard, &testlog.Buffer{}
	if err := m2.ParseFlags([]string{"--listen", "127.0.0.1:0", "--data-dir", data, "--admin-token", testAdminToken, "--quiet"},
		func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	err := m2.Run(context.Background())
	m2.Close()
	if err == nil || !strings.Contains(err.Error(), "no space left on device in "+data+": ") {
		t.Fatalf("start on a full disk: %v; want no space left on device in %s: N bytes free", err, data)
	}
	t.Logf("start on a full disk: %v", err)
	if after := listDir(t, data); after != before {
		t.Errorf("the failed start changed the data directory:\nbefore %s\nafter  %s", before, after)
	}
	os.Remove(filler)
	MustRunMain(t, data)
}

// listDir names the files in dir, with the size of SQLite's -wal and -shm.
func listDir(tb testing.TB, dir string) string {
	tb.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		tb.Fatal(err)
	}
	var b strings.Builder
	for _, e := range es {
		fmt.Fprintf(&b, "%s ", e.Name())
		if info, err := e.Info(); err == nil && (strings.HasSuffix(e.Name(), "-shm") || strings.HasSuffix(e.Name(), "-wal")) {
			fmt.Fprintf(&b, "(%d bytes) ", info.Size())
		}
	}
	return b.String()
}

// TestFullDiskUnderLoad fills the data directory's filesystem with Amazon Business
// creates from several clients, then frees space. Required: creates refused for lack of
// space are 503 with the face's error and are not stored; health answers 503 with the
// reason while the disk is full, 200 again after; creates succeed again without a
// restart, and go on succeeding: the WAL does not take the freed space for itself and
// leave the store full again (it did, in about 1 run of 4: the checkpoint that would
// have given its space back could not grow the database file, and health stayed 503
// until a restart); every acknowledged create is there after a restart.
func TestFullDiskUnderLoad(t *testing.T) {
	testdeps.Slow(t, "fills a filesystem")
	dir := testdeps.SmallFS(t, 8<<20)
	ballast := filepath.Join(dir, "ballast")
	if err := os.WriteFile(ballast, make([]byte, 2<<20), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	m := MustRunMain(t, data, "--rate-limit", "amazonbusiness.createBusinessUserAccount=off")
	load := startCreateLoad(t, m.URL, 4)
	// A refusal alone does not say the disk is full: one may come when the WAL reaches
	// the last MiB, which the store then gets back by truncating the WAL.
	deadline := time.Now().Add(2 * time.Minute)
	for load.Refusals() == 0 || !fullHealth(t, m.URL) {
		if time.Now().After(deadline) {
			t.Fatal("the filesystem never filled")
		}
		time.Sleep(10 * time.Millisecond)
	}
	load.SetPhase("full")
	time.Sleep(time.Second)
	load.SetPhase("freed")
	os.Remove(ballast)
	load.WaitOK("space freed", time.Now())
	if code, body := healthOf(t, m.URL); code != http.StatusOK {
		t.Errorf("health once space is freed: %d %s", code, body)
	}
	for start := time.Now(); load.Count("freed 201") < 50 && time.Since(start) < 5*time.Second; {
		time.Sleep(10 * time.Millisecond)
	}
	load.Stop()
	if code, body := healthOf(t, m.URL); code != http.StatusOK {
		t.Errorf("health after %d more creates: %d %s", load.Count("freed 201"), code, body)
	}
	m.Close()
	load.Check(MustRunMain(t, data).Store)
}

// fullHealth says whether health answers 503 for a full disk.
func fullHealth(tb testing.TB, url string) bool {
	code, body := healthOf(tb, url)
	return code == http.StatusServiceUnavailable && strings.Contains(body, "the store cannot write: the database is full")
}

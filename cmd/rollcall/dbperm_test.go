package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWarnsAboutReadableDatabase: an existing database that others may read is named in
// a warning at start (and left as it is); a new one is created 0600 and not warned about.
func TestWarnsAboutReadableDatabase(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "elsewhere", "rollcall.db")
	m := MustRunMain(t, dir, "--store", "sqlite:"+path)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("new database: %v %v", fi, err)
	}
	if strings.Contains(m.log.String(), "others may read it") {
		t.Fatalf("warned about a private database:\n%s", m.log.String())
	}
	m.Close()
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	m = MustRunMain(t, dir, "--store", "sqlite:"+path)
	if log := m.log.String(); !strings.Contains(log, "others may read it") || !strings.Contains(log, path+" is mode 0644") {
		t.Fatalf("no warning about a 0644 database:\n%s", log)
	}
}

package sqlite

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// The database holds SigV4 secret keys in clear, so its files are the owner's alone.
// SQLite creates the -wal and -shm files with the database file's permissions, so
// creating the database 0600 before SQLite opens it makes all three 0600.

// createPrivate creates an empty database file at path, mode 0600, unless one exists
// (an empty file is a valid new SQLite database).
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return f.Close()
}

// LoosePermissions names each of the database file at path and its -wal and -shm files
// that exists and that its group or others may read or write, with its mode, for a
// warning at start. It changes nothing: the operator may have chosen it.
func LoosePermissions(path string) []string {
	var out []string
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if err != nil || fi.Mode().Perm()&0o077 == 0 {
			continue
		}
		out = append(out, fmt.Sprintf("%s is mode %04o", p, fi.Mode().Perm()))
	}
	return out
}

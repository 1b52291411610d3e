//go:build !cgo

package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"strings"

	sqlite "modernc.org/sqlite"
)

// The pure-Go driver, modernc.org/sqlite (SQLite transpiled to Go), for a build without
// cgo (CGO_ENABLED=0). driver_cgo.go is the other one; each says, for its driver, how
// to open a pool, read an error's code and back a database up.

// openDB returns a pool on the file at path whose every connection runs pragmas first,
// in order (modernc's _pragma parameters). It only checks its arguments: it cannot fail.
func openDB(path string, pragmas ...string) *sql.DB {
	var q strings.Builder
	for i, p := range pragmas {
		if i > 0 {
			q.WriteByte('&')
		}
		q.WriteString("_pragma=" + url.QueryEscape(p))
	}
	db, _ := sql.Open("sqlite", fileURI(path)+"?"+q.String())
	return db
}

// openOwnedDB is openDB: modernc's connections have no mutex to leave off. Nor does
// the driver let a file control be set, so the file grows as SQLite needs (no dbChunk).
func openOwnedDB(path string, pragmas ...string) *sql.DB { return openDB(path, pragmas...) }

// errCode is the extended result code of a driver error.
func errCode(err error) (int, bool) {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code(), true
	}
	return 0, false
}

// backupTo copies the database of src to the new file to, in one step (one read
// transaction), with no journal and no fsync: the copy is nobody's until the caller
// syncs and renames it.
func backupTo(_ context.Context, src *sql.Conn, to string) error {
	return src.Raw(func(dc any) error {
		b, err := dc.(interface {
			NewBackup(string) (*sqlite.Backup, error)
		}).NewBackup(fileURI(to) + "?_pragma=journal_mode(off)&_pragma=synchronous(off)")
		if err != nil {
			return err
		}
		if _, err := b.Step(-1); err != nil {
			return errors.Join(err, b.Finish())
		}
		return b.Finish()
	})
}

//go:build cgo && trace

package sqlite

import (
	"os"
	"strings"
	"sync"

	sqlite3 "github.com/mattn/go-sqlite3"
)

// A build with the tag trace (`go test -tags trace`) and ROLLCALL_SQL_TRACE naming a file
// appends there, one line each, the SQL of every statement any connection of the process
// starts (SQLite's SQLITE_TRACE_STMT, triggers as their `-- TRIGGER name` comment; newlines
// folded to spaces): what a request runs, counted by `sort | uniq -c` of two runs of
// different lengths. Not in any ordinary build.
func init() {
	path := os.Getenv("ROLLCALL_SQL_TRACE")
	if path == "" {
		return
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		panic(err)
	}
	var mu sync.Mutex
	cDriver.ConnectHook = func(c *sqlite3.SQLiteConn) error {
		return c.SetTrace(&sqlite3.TraceConfig{EventMask: sqlite3.TraceStmt, Callback: func(info sqlite3.TraceInfo) int {
			line := strings.Join(strings.Fields(info.StmtOrTrigger), " ") + "\n"
			mu.Lock()
			defer mu.Unlock()
			_, _ = f.WriteString(line)
			return 0
		}})
	}
}

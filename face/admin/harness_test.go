package admin_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/admin"
	"github.com/rollcall/rollcall/operator"
	"github.com/rollcall/rollcall/store/sqlite"
)

// testToken is the admin token of the faces these tests make.
const testToken = "admin"

// mustFace opens a SQLite database in dir and serves the admin API over it, with
// testToken. The caller closes the store (some tests close it early).
func mustFace(tb testing.TB, dir string) (*admin.Face, *sqlite.Store) {
	tb.Helper()
	st, err := sqlite.Open(filepath.Join(dir, "rollcall.db"))
	if err != nil {
		tb.Fatal(err)
	}
	return admin.New(operator.New(&rollcall.Service{Store: st}), rollcall.HashToken(testToken)), st
}

// health asks f's health check, with no token, and returns the status and the body.
func health(f *admin.Face) (int, string) {
	w := httptest.NewRecorder()
	f.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/_rollcall/health", nil))
	return w.Code, strings.TrimSpace(w.Body.String())
}

// call sends an admin request with testToken and returns the status and the error
// message of the answer, if it has one.
func call(f *admin.Face, method, path, body string) (int, string) {
	r := httptest.NewRequest(method, path, strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+testToken)
	w := httptest.NewRecorder()
	f.ServeHTTP(w, r)
	var out struct {
		Error struct{ Code, Message string }
	}
	json.Unmarshal(w.Body.Bytes(), &out)
	return w.Code, out.Error.Message
}

package admin_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/admin"
	"github.com/rollcall/rollcall/internal/testdeps"
	"github.com/rollcall/rollcall/operator"
	"github.com/rollcall/rollcall/store/sqlite"
)

// TestHealth: the health check answers 200 while the store answers, 503 once it does
// not, and needs no admin token (load balancers have none).
func TestHealth(t *testing.T) {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "rollcall.db"))
	if err != nil {
		t.Fatal(err)
	}
	f := admin.New(operator.New(&rollcall.Service{Store: st}), rollcall.HashToken("admin"))
	check := func() int {
		w := httptest.NewRecorder()
		f.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/_rollcall/health", nil))
		return w.Code
	}
	if code := check(); code != http.StatusOK {
		t.Fatalf("health with a working store: %d", code)
	}
	st.Close()
	if code := check(); code != http.StatusServiceUnavailable {
		t.Fatalf("health with a closed store: %d", code)
	}
}

// TestHealthFullDisk: on a full disk the store answers reads but cannot commit; health
// says so (503 with the reason) so that a load balancer takes the replica out, and says
// ok again once there is space.
func TestHealthFullDisk(t *testing.T) {
	dir := testdeps.SmallFS(t, 4<<20)
	st, err := sqlite.Open(filepath.Join(dir, "rollcall.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	f := admin.New(operator.New(&rollcall.Service{Store: st}), rollcall.HashToken("admin"))
	check := func() (int, string) {
		w := httptest.NewRecorder()
		f.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/_rollcall/health", nil))
		return w.Code, strings.TrimSpace(w.Body.String())
	}
	if code, body := check(); code != http.StatusOK {
		t.Fatalf("health with space: %d %s", code, body)
	}
	filler := testdeps.Fill(t, dir, "filler")
	code, body := check()
	if code != http.StatusServiceUnavailable || body != `{"reason":"the store cannot write: the database is full","status":"unavailable"}` {
		t.Fatalf("health on a full disk: %d %s", code, body)
	}
	os.Remove(filler)
	if code, body := check(); code != http.StatusOK {
		t.Fatalf("health once space is freed: %d %s", code, body)
	}
}

package admin_test

import (
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/admin"
	"github.com/rollcall/rollcall/store/sqlite"
)

// TestHealth: the health check answers 200 while the store answers, 503 once it does
// not, and needs no admin token (load balancers have none).
func TestHealth(t *testing.T) {
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "rollcall.db"))
	if err != nil {
		t.Fatal(err)
	}
	f := admin.New(&rollcall.Service{Store: st}, rollcall.HashToken("admin"))
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

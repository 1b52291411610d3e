package admin_test

import (
	"net/http"
	"os"
	"testing"

	"github.com/rollcall/rollcall/internal/testdeps"
)

// TestHealth: the health check answers 200 while the store answers, 503 once it does
// not, and needs no admin token (load balancers have none).
func TestHealth(t *testing.T) {
	f, st := mustFace(t, t.TempDir())
	if code, _ := health(f); code != http.StatusOK {
		t.Fatalf("health with a working store: %d", code)
	}
	st.Close()
	if code, _ := health(f); code != http.StatusServiceUnavailable {
		t.Fatalf("health with a closed store: %d", code)
	}
}

// TestHealthFullDisk: on a full disk the store answers reads but cannot commit; health
// says so (503 with the reason) so that a load balancer takes the replica out, and says
// ok again once there is space.
func TestHealthFullDisk(t *testing.T) {
	dir := testdeps.SmallFS(t, 4<<20)
	f, st := mustFace(t, dir)
	defer st.Close()
	if code, body := health(f); code != http.StatusOK {
		t.Fatalf("health with space: %d %s", code, body)
	}
	filler := testdeps.Fill(t, dir, "filler")
	code, body := health(f)
	if code != http.StatusServiceUnavailable || body != `{"reason":"the store cannot write: the database is full","status":"unavailable"}` {
		t.Fatalf("health on a full disk: %d %s", code, body)
	}
	os.Remove(filler)
	if code, body := health(f); code != http.StatusOK {
		t.Fatalf("health once space is freed: %d %s", code, body)
	}
}

//go:build !race

package chime

import (
	"net/http/httptest"
	"testing"
)

// TestRouteCreateUserDoesNotAllocate: routing a CreateUser (every Chime create) takes
// no allocation; splitting its path took one (strings.Split's slice).
func TestRouteCreateUserDoesNotAllocate(t *testing.T) {
	f := &Face{}
	r := httptest.NewRequest("POST", "/accounts/8c7d4a32-1b9e-4c33-9f1a-0c6a3b2d5e7f/users?operation=create", nil)
	if rt, ok := f.route(r); !ok || rt.op != "CreateUser" {
		t.Fatalf("route = %q, %v", rt.op, ok)
	}
	if n := testing.AllocsPerRun(100, func() { f.route(r) }); n != 0 {
		t.Errorf("route allocates %v times, want 0", n)
	}
}

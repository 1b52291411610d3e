package chime_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestUsernameLength: Username is at most 100 characters (the model's UserName shape);
// a longer one is refused without echoing it, and creates nothing.
func TestUsernameLength(t *testing.T) {
	h := MustHarness(t)
	account := h.MustAccount(t)
	path := "/accounts/" + account + "/users?operation=create"
	if r := h.do(t, "POST", path, []byte(`{"Username":"`+strings.Repeat("é", 100)+`"}`)); r.status != http.StatusCreated {
		t.Fatalf("100 characters: %d %s", r.status, r.raw)
	}
	long := strings.Repeat("x", 101)
	r := h.do(t, "POST", path, []byte(`{"Username":"`+long+`"}`))
	r.wantError(t, http.StatusBadRequest, "BadRequestException", "BadRequest",
		"1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 100")
	if n := h.countUsers(t, account); n != 1 {
		t.Fatalf("%d users, want 1", n)
	}
}

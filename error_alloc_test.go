//go:build !race

package rollcall_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
)

// TestIsKindDoesNotAllocate: IsKind runs on every request's success path (a nil error)
// and on its failures; neither may allocate.
func TestIsKindDoesNotAllocate(t *testing.T) {
	wrapped := fmt.Errorf("op: %w", &rollcall.Error{Kind: rollcall.NotFound})
	for name, err := range map[string]error{"nil": nil, "wrapped": wrapped, "other": errors.New("x")} {
		if n := testing.AllocsPerRun(100, func() { rollcall.IsKind(err, rollcall.NotFound) }); n != 0 {
			t.Errorf("IsKind(%s) allocates %v times, want 0", name, n)
		}
		if n := testing.AllocsPerRun(100, func() { rollcall.ErrorKind(err) }); name == "wrapped" && n != 0 {
			t.Errorf("ErrorKind(%s) allocates %v times, want 0", name, n)
		}
	}
	if !rollcall.IsKind(wrapped, rollcall.NotFound) || rollcall.IsKind(wrapped, rollcall.Conflict) || rollcall.IsKind(nil, rollcall.NotFound) {
		t.Error("IsKind answers wrongly")
	}
}

// TestHashTokenAllocatesOnce: HashToken allocates its result only (an Amazon Business
// create hashes two tokens, longer than a stack buffer for a []byte copy).
func TestHashTokenAllocatesOnce(t *testing.T) {
	token := "Atza|" + strings.Repeat("x", 64)
	if n := testing.AllocsPerRun(100, func() { rollcall.HashToken(token) }); n != 1 {
		t.Errorf("HashToken allocates %v times, want 1", n)
	}
}

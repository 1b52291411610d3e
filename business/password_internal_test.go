package business

import (
	"regexp"
	"testing"

	"github.com/rollcall/rollcall"
)

// unknownPassword is sha256$ and 64 lowercase hex digits, a fresh one each time, made
// in two allocations: the random bytes and the string (it was four: the bytes, hex's
// buffer and string, and the concatenation), as every Amazon Business create makes one.
func TestUnknownPassword(t *testing.T) {
	core := &rollcall.Service{}
	form := regexp.MustCompile(`^sha256\$[0-9a-f]{64}$`)
	a, b := unknownPassword(core), unknownPassword(core)
	if !form.MatchString(a) || !form.MatchString(b) {
		t.Fatalf("unknownPassword = %q, %q; want sha256$ and 64 hex digits", a, b)
	}
	if a == b {
		t.Fatalf("unknownPassword gave %q twice", a)
	}
	if n := testing.AllocsPerRun(100, func() { unknownPassword(core) }); n > 2 {
		t.Errorf("unknownPassword: %.0f allocations, want at most 2", n)
	}
}

//go:build !race

package rollcall

import "testing"

// TestNewUUIDAllocatesItsStringOnly: an ID's random bytes stay off the heap (every
// create makes one); only the string returned is allocated. They were an allocation of
// their own (crypto/rand read through io.Reader).
func TestNewUUIDAllocatesItsStringOnly(t *testing.T) {
	s := &Service{}
	if n := testing.AllocsPerRun(100, func() { s.newUUID() }); n != 1 {
		t.Errorf("newUUID allocates %v times, want 1 (its string)", n)
	}
}

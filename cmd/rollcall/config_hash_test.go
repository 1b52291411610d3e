package main

import (
	"io"
	"strings"
	"testing"
)

// TestArgon2Budget: --argon2-budget sizes the hash slots (each hash counted twice, see
// DefaultArgon2Budget), must hold at least one hash, and --argon2-wait must be positive.
func TestArgon2Budget(t *testing.T) {
	none := func(string) string { return "" }
	for args, want := range map[string]int{"": 3, "--argon2-budget=38912": 1, "--argon2-budget=1048576": 26, "--argon2-memory=1024 --argon2-budget=8192": 4} {
		var c Config
		if err := c.parse(strings.Fields(args), none, io.Discard); err != nil {
			t.Fatalf("%q: %v", args, err)
		}
		if got := c.hashSlots(); got != want {
			t.Errorf("%q: %d hashes at once, want %d", args, got, want)
		}
	}
	for _, bad := range []string{"--argon2-budget=38911", "--argon2-wait=0s", "--argon2-wait=-1s"} {
		if err := new(Config).parse(strings.Fields(bad), none, io.Discard); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

package password_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/auth/password"
)

// TestStrength: the passwords of the report, and other guessable ones, are refused with
// a reason that does not quote them; passphrases pass.
func TestStrength(t *testing.T) {
	personal := []string{"adalovelace@example.com", "adalovelace", "Ada", "Lovelace", "Acme Widgets", "acmewidgets", "acme", "widgets"}
	weak := map[string]string{
		"            ":   "repeats",
		"aaaaaaaaaaaa":   "repeats",
		"password1234":   "commonly used password",
		"qwertyuiop12":   "commonly used password",
		"abcdefghijkl":   "sequence",
		"L0velace1815!":  "your name",
		"acmewidgets123": "business",
	}
	for pw, want := range weak {
		got := password.Strength{}.Weak(pw, personal)
		if !strings.Contains(got, want) || !strings.HasPrefix(got, "The password is too easy to guess: ") {
			t.Errorf("%q: %q, want a reason with %q", pw, got, want)
		}
		if q := strings.TrimSpace(pw); q != "" && strings.Contains(got, q) {
			t.Errorf("%q: the reason quotes the password: %q", pw, got)
		}
	}
	for _, pw := range []string{"correct horse battery staple", "analytical engine 1843 notes", "Tr0ub4dor&3xy-mill"} {
		if got := (password.Strength{}).Weak(pw, personal); got != "" {
			t.Errorf("%q refused: %s", pw, got)
		}
	}
}

// TestStrengthLongPasswordIsCheap: only the first 64 characters are judged, so a long
// password costs no more than one of 64.
func TestStrengthLongPasswordIsCheap(t *testing.T) {
	long := strings.Repeat("ab", 500) // 1000 characters of repeats
	start := time.Now()
	if got := (password.Strength{}).Weak(long, nil); got == "" {
		t.Fatal("1000 characters of one repeated pattern passed")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("judging 1000 characters took %v", d)
	}
}

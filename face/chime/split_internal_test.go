package chime

import (
	"slices"
	"strings"
	"testing"
)

// TestSplitPath: splitPath splits a path as strings.Split(p, "/") does, past the stack
// array's maxRouteSegs segments too.
func TestSplitPath(t *testing.T) {
	for _, p := range []string{"", "/", "//", "accounts", "accounts/", "accounts/a/users", "accounts/a/users/u/settings",
		"a/b/c/d/e/f/g/h", "a/b/c/d/e/f/g/h/i", "a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q", "/a//b/", "accounts/a%2Fb/users"} {
		var buf [maxRouteSegs]string
		if got, want := splitPath(buf[:0], p), strings.Split(p, "/"); !slices.Equal(got, want) {
			t.Errorf("splitPath(%q) = %q, want %q", p, got, want)
		}
	}
}

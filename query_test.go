package rollcall_test

import (
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
)

func TestPrefixEnd(t *testing.T) {
	for _, c := range []struct {
		prefix, end string
		ok          bool
	}{
		{"", "", false},
		{"Acme", "Acmf", true},
		{"Ác", "Ád", true},
		{"a\U0010FFFF", "b", true},
		{"\U0010FFFF\U0010FFFF", "", false},
		{"a\uD7FF", "a\uE000", true},
	} {
		end, ok := rollcall.PrefixEnd(c.prefix)
		if end != c.end || ok != c.ok {
			t.Errorf("PrefixEnd(%q) = %q, %v; want %q, %v", c.prefix, end, ok, c.end, c.ok)
		}
		for _, s := range []string{c.prefix, c.prefix + "z", c.prefix + "\U0010FFFFz"} {
			if c.ok && !(c.prefix <= s && s < end) {
				t.Errorf("%q begins with %q but is not in [%q, %q)", s, c.prefix, c.prefix, end)
			}
		}
		if c.ok && strings.HasPrefix(end, c.prefix) {
			t.Errorf("PrefixEnd(%q) = %q begins with the prefix", c.prefix, end)
		}
	}
}

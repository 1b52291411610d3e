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

// keysBefore is User.Keys as it was written first (strings.Fields and a Builder): the
// reference that the one-allocation Keys must agree with.
func keysBefore(u *rollcall.User) rollcall.UserKeys {
	k := rollcall.UserKeys{FullName: rollcall.FoldName(u.GivenName + " " + u.FamilyName), ProductKeys: u.ProductKeys}
	var b strings.Builder
	for _, w := range strings.Fields(k.FullName) {
		b.WriteString(" " + w)
	}
	if name := rollcall.FoldName(u.Username); name != "" {
		b.WriteString(" " + name)
	}
	k.Search = b.String()
	return k
}

func TestUserKeys(t *testing.T) {
	names := []string{"", " ", "Ada", "ADA LOVELACE", "  Márcia\tÇelik ", "İSTANBUL ĲSSEL", "ß Æsir Œuvre",
		"a\u00a0b\u2003c", "bad\xffutf8\xc3", "\ufffd", "Ωmega Straße", strings.Repeat("Ábc ", 100)}
	n := 0
	for _, given := range names {
		for _, family := range names {
			for _, username := range []string{"", "AdaL", "josé.García@Example.COM", "x\xfe"} {
				u := &rollcall.User{GivenName: given, FamilyName: family, Username: username,
					ProductKeys: rollcall.ProductKeys{StorageLimit: 7, Enrollment: "PENDING"}}
				if got, want := u.Keys(), keysBefore(u); got != want {
					t.Errorf("Keys(%q, %q, %q) = %+v, want %+v", given, family, username, got, want)
				}
				n++
			}
		}
	}
	// One allocation: the two strings share it.
	u := &rollcall.User{GivenName: "Márcia", FamilyName: "Lovelace-Byron", Username: "marcia.lb"}
	if a := testing.AllocsPerRun(100, func() { u.Keys() }); a != 1 {
		t.Errorf("Keys allocates %v times, want 1", a)
	}
}

package amazonbusiness

import (
	"math/rand/v2"
	"testing"
)

// simpleEmail is plausibleEmail's shortcut: whatever it accepts, net/mail must accept
// too (parsedEmail), and the usual addresses must take it.
func FuzzSimpleEmail(f *testing.F) {
	for _, s := range []string{
		"ada@example.com", "first.last+tag@sub.example.co.uk", "o'neil@example.org", "a@b.c",
		"a..b@example.com", ".a@example.com", "a.@example.com", "a@example", "a@.example.com",
		"a@example..com", "a@example.com.", "a b@example.com", `"a"@example.com`, "a@[127.0.0.1]",
		"a(b)@example.com", "Ada <ada@example.com>", "ada@exämple.com", "ädä@example.com", "a@b@c.d",
		"a\\b@example.com", "a,b@example.com", "@example.com", "ada@", "a\x7f@example.com", "a\t@example.com",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if simpleEmail(s) && !parsedEmail(s) {
			t.Fatalf("simpleEmail(%q) but net/mail does not parse it to itself", s)
		}
	})
}

func TestSimpleEmail(t *testing.T) {
	for _, s := range []string{"ada@example.com", "first.last+tag@sub.example.co.uk", "x_y-z@a-b.example"} {
		if !simpleEmail(s) {
			t.Errorf("simpleEmail(%q) = false, want the shortcut", s)
		}
	}
	// Random strings over an alphabet of atext, dots, @, specials, space and non-ASCII.
	const alphabet = "ab.@.@-+_'()<>[]:;\\,\" \x7fäZ9"
	r := rand.New(rand.NewPCG(1, 2))
	for range 200000 {
		b := make([]byte, 1+r.IntN(12))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		if s := string(b); simpleEmail(s) && !parsedEmail(s) {
			t.Fatalf("simpleEmail(%q) but net/mail does not parse it to itself", s)
		}
	}
}

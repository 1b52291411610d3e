package validate

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// seeds are values around each pattern's edges, accepted and refused; the corpus is them,
// their mutations and random strings.
var seeds = []string{
	"", " ", "\t", "\n", "a", "ab", "a\n", "\na", " a ", "\t\f\r x", "\v", "\u00a0", "\u2003", "\xff", "\xe2\x82",
	"Ada", "Ada Lovelace", "O'Brien-Smith", "José", "Zoë", "李小龍", "𝒜da", "ada_1.x", "ada\u0301", "x\u200b",
	"ada@example.com", "ada.lovelace+tag@mail.example.co.uk", "a@b.c", "a@b.co", "@b.c", "a@.c", "a@b.", "a@b.c\n",
	"a@@b.c", "a@b@c.d", "a.b@c", "ada@example", "ada@example.c", "ada@example.abcdefghi", "ada@example.abcdefghij",
	"ada@ex-ample.com", "ada@-example.com", "ada@example-.com", "ada@e.com", "ada@ex.ample.com", "ada@ex..com",
	"ada.@example.com", ".ada@example.com", "a,b@example.com", "a_b@example.com", "ada@ex_ample.com", "ada@example.c0m",
	"ada%x@example.com", "ada@example.co1", "ada@1.2.3.4", "ada@localhost.localdomain", "ada@exa mple.com",
	"jdoe", "jdoe@example", "jdoe@example.c", "jdoe@.c", "jdoe@x.", "jdoe@x.y.", "j-d.o+e", "j,doe", "@", "@x.y",
	"d-1234567890", "d-123&456", "org,1", "user1,user2", "u s e r", "S3cr3t!pass word~", "pass\u00ffword", "pass\u0100",
	"query with spaces", "\x1f", "\uffff", "\U00010000", "token-123_abc", "-token", "_token", "token\x00",
	"key:value/path=x+y@z", "tag\u3000value", "٣", "Ⅻ", "amzn1.ask.skill.0123-abcd",
	strings.Repeat("a", 300), strings.Repeat("a@", 40) + "x.yz", strings.Repeat("ab.", 40) + "c@d.ef",
	"arn:aws:a4b:us-east-1:000000000000:user/01a22cb3-5512", "arn:aws:a4b:us-east-1:0:/u", "arn:aws:a4b:us-east-1:0:\n",
	"arn::a4b:us-east-1:0:x", "arn:a:::::", "arn:a::::x", "arn:a-b.c:d:e:f:g:h", "arn:A:b:c:d:e", "arn:a:b:c:d",
	"arn:" + strings.Repeat("a", 63) + "::::x", "arn:" + strings.Repeat("a", 64) + "::::x", "arn:a:" + strings.Repeat("b", 64) + ":::x",
	"arn:a::::" + strings.Repeat("x", 1024), "arn:a::::" + strings.Repeat("x", 1025), "arn:a::::/" + strings.Repeat("x", 10),
	"arn:a::::" + strings.Repeat("é", 1024), "arn:a::::" + strings.Repeat("\xff", 1025), "arn:a::::\n" + strings.Repeat("x", 1023),
}

// oracle compiles a listed pattern as MustPattern would without its linear check. A
// repeat past Go's cap of 1000 is split as the face that wrote it splits it:
// .{0,1023} as .{0,1000}.{0,23}, which accepts the same strings.
func oracle(text string) *regexp.Regexp {
	return compile(strings.ReplaceAll(text, ".{0,1023}", ".{0,1000}.{0,23}"))
}

// corpus returns the seeds, n mutations of them and n random strings.
func corpus(rng *rand.Rand, n int) []string {
	const alphabet = "aZ09_-.+,@%&'/:= \t\n\f\r\v\x00\x7f\xff\xc3" // and the runes below
	runes := []rune{'é', 'ß', '李', '\u00a0', '\u2003', '\u0301', 'Ⅻ', '٣', '\U0001d49c', '\uffff', '\ufffd', 'ÿ', 'Ā'}
	piece := func() string {
		if rng.IntN(4) == 0 {
			return string(runes[rng.IntN(len(runes))])
		}
		return string(alphabet[rng.IntN(len(alphabet))])
	}
	out := slices.Clone(seeds)
	for range n {
		s := seeds[rng.IntN(len(seeds))]
		for range 1 + rng.IntN(3) {
			i := rng.IntN(len(s) + 1)
			switch rng.IntN(3) {
			case 0: // insert
				s = s[:i] + piece() + s[i:]
			case 1: // delete
				if i < len(s) {
					s = s[:i] + s[i+1:]
				}
			default: // replace
				if i < len(s) {
					s = s[:i] + piece() + s[i+1:]
				}
			}
		}
		out = append(out, s)
	}
	for range n {
		var b strings.Builder
		for range rng.IntN(24) {
			b.WriteString(piece())
		}
		out = append(out, b.String())
	}
	return out
}

// TestLinearMatchesRegexp: every hand-written check accepts exactly what its pattern's
// regexp accepts on the corpus, and the corpus holds values each accepts and refuses.
func TestLinearMatchesRegexp(t *testing.T) {
	values := corpus(rand.New(rand.NewPCG(5, 6)), 40000)
	for text, match := range linear {
		re := oracle(text)
		accepted := 0
		for _, s := range values {
			want := re.MatchString(s)
			if got := match(s); got != want {
				t.Fatalf("pattern %s, value %q: linear check says %v, regexp %v", text, s, got, want)
			}
			if want {
				accepted++
			}
		}
		if accepted == 0 || accepted == len(values) {
			t.Errorf("pattern %s: the corpus has %d accepted values of %d; it must have both kinds", text, accepted, len(values))
		}
	}
}

// TestMustPatternUsesLinear: MustPattern takes the linear check for a listed pattern
// and the regexp for any other.
func TestMustPatternUsesLinear(t *testing.T) {
	for text := range linear {
		if MustPattern(text).match == nil {
			t.Errorf("MustPattern(%s) does not use its linear check", text)
		}
	}
	p := MustPattern(`[a-z]{2}`)
	if p.match != nil || !p.Match("ab") || p.Match("abc") {
		t.Errorf("an unlisted pattern is not matched by its regexp")
	}
}

// FuzzLinear: the same on the fuzzer's values, for every listed pattern.
func FuzzLinear(f *testing.F) {
	for _, s := range seeds {
		f.Add(s)
	}
	res := make(map[string]func(string) bool, len(linear))
	for text := range linear {
		res[text] = oracle(text).MatchString
	}
	f.Fuzz(func(t *testing.T, s string) {
		for text, match := range linear {
			if got, want := match(s), res[text](s); got != want {
				t.Fatalf("pattern %s, value %q: linear check says %v, regexp %v", text, s, got, want)
			}
		}
	})
}

// TestUTF16Len: the length in UTF-16 code units, counted without allocating, is what
// encoding the string to UTF-16 gives, invalid bytes included.
func TestUTF16Len(t *testing.T) {
	for _, s := range corpus(rand.New(rand.NewPCG(7, 8)), 20000) {
		if got, want := utf16Len(s), len(utf16.Encode([]rune(s))); got != want {
			t.Fatalf("utf16Len(%q) = %d, want %d", s, got, want)
		}
	}
	if !utf8.ValidString("\U0001d49c") || utf16Len("\U0001d49c") != 2 {
		t.Fatal("a rune outside the BMP is two code units")
	}
}

package jsonstr

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzAppend: Append writes a string byte for byte as encoding/json does.
func FuzzAppend(f *testing.F) {
	for _, s := range []string{"", "plain", "\"quote\" \\ </script> & \x00\x01\b\f\n\r\t\x1f \u2028\u2029 Zoë 🙂 \xff\xfe bad \xc3", strings.Repeat("\xe2\x80", 3)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := Append(nil, s); string(got) != string(want) {
			t.Fatalf("%q:\n got  %s\n want %s", s, got, want)
		}
	})
}

// TestAppend: Append writes what encoding/json writes, whichever byte of a
// string, before, at or after an eight-byte step, needs escaping.
func TestAppend(t *testing.T) {
	for n := 0; n <= 20; n++ {
		for i := -1; i < n; i++ {
			for _, c := range []string{"\"", "\\", "<", ">", "&", "\n", "\x00", "\x7f", "é", "\u2028", "\xff"} {
				s := strings.Repeat("a", n)
				if i >= 0 {
					s = s[:i] + c + s[i+1:]
				}
				want, _ := json.Marshal(s)
				if got := Append([]byte("x"), s); string(got) != "x"+string(want) {
					t.Fatalf("Append(%q) = %s, want %s", s, got[1:], want)
				}
			}
		}
	}
}

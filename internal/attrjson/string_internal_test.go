package attrjson

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzAppendString: AppendString writes a string byte for byte as encoding/json does.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "\"quote\" \\ </script> & \x00\x01\b\f\n\r\t\x1f \u2028\u2029 Zoë 🙂 \xff\xfe bad \xc3", strings.Repeat("\xe2\x80", 3)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := AppendString(nil, s); string(got) != string(want) {
			t.Fatalf("%q:\n got  %s\n want %s", s, got, want)
		}
	})
}

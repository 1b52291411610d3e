package audit

import (
	"encoding/json"
	"strings"
	"testing"
)

// validCases are JSON documents and near misses, each a rule of the grammar.
var validCases = []string{
	``, ` `, `{}`, `[]`, ` { } `, `[ ]`, `{"a":1}`, `{"a" : [1, 2.5, -0, 1e5, 1E+5, 2e-3, true, false, null, "x"] }`,
	`"\"\\\/\b\f\n\r\t\u00e9\u00E9"`, "\"\xff\xfe\x7f\"", `0`, `-1`, `12`,
	`01`, `-`, `1.`, `.5`, `1e`, `1e+`, `+1`, `0x1`, `1 2`, `{"a"}`, `{"a":}`, `{"a":1,}`, `[1,]`, `[,1]`,
	`{,}`, `{1:2}`, `{"a":1 "b":2}`, `[1 2]`, `{"a":1]`, `[1}`, `{`, `[`, `}`, `]`, `"abc`, `"a\"`, `"\x"`,
	`"\u12"`, `"\u12G4"`, "\"\x1f\"", "\"\x10\"", "\"\\u\x10\x10\x10\x10\"", `tru`, `truex`, `nul`, `falsy`, `[true,fals]`,
	`{"a":{"b":{"c":[[[{}]]]}}}`, `[[[[]]]]]`, `"\uD800"`, "{\"a\":1}\n", "\t[\r\n1\n]",
}

// validJSON answers as json.Valid, up to MaxDepth (deeper is omitted either way).
func TestValidJSON(t *testing.T) {
	cases := append(validCases, strings.Repeat("[", MaxDepth)+strings.Repeat("]", MaxDepth))
	for _, c := range cases {
		if got, want := validJSON([]byte(c)), json.Valid([]byte(c)); got != want {
			t.Errorf("validJSON(%q) = %v, json.Valid %v", c, got, want)
		}
	}
	deep := strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1)
	if validJSON([]byte(deep)) {
		t.Errorf("validJSON of %d nested arrays: true, want false", MaxDepth+1)
	}
}

func FuzzValidJSON(f *testing.F) {
	for _, c := range validCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		got, want := validJSON(in), json.Valid(in)
		if got != want && (got || depth(in) <= MaxDepth) {
			t.Fatalf("validJSON(%q) = %v, json.Valid %v", in, got, want)
		}
	})
}

// depth is how deeply the valid document in nests.
func depth(in []byte) int {
	var v any
	if json.Unmarshal(in, &v) != nil {
		return 0
	}
	var walk func(any) int
	walk = func(v any) int {
		d := 0
		switch v := v.(type) {
		case map[string]any:
			for _, x := range v {
				d = max(d, walk(x))
			}
			return d + 1
		case []any:
			for _, x := range v {
				d = max(d, walk(x))
			}
			return d + 1
		}
		return 0
	}
	return walk(v)
}

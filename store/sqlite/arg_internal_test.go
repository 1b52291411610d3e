package sqlite

import (
	"bytes"
	"database/sql/driver"
	"testing"
)

// TestArgs: stringArg and bytesArg are the same interface values as the usual
// conversion makes (the layout they assume is the runtime's), the drivers' converter
// takes them as they are, and they read the field itself.
func TestArgs(t *testing.T) {
	for _, s := range []string{"", "x", "a longer value, ünïcode", string(make([]byte, 4096))} {
		v := stringArg(&s)
		if got, ok := v.(string); !ok || got != s || v != any(s) {
			t.Errorf("stringArg(%.20q) = %#v", s, v)
		}
		if c, err := driver.DefaultParameterConverter.ConvertValue(v); err != nil || c != any(s) {
			t.Errorf("converted: %#v, %v", c, err)
		}
	}
	for _, b := range [][]byte{nil, {}, []byte("x"), bytes.Repeat([]byte("y"), 1000)} {
		v := bytesArg(&b)
		got, ok := v.([]byte)
		if !ok || !bytes.Equal(got, b) || (got == nil) != (b == nil) {
			t.Errorf("bytesArg(%q) = %#v", b, v)
		}
		if c, err := driver.DefaultParameterConverter.ConvertValue(v); err != nil || !bytes.Equal(c.([]byte), b) {
			t.Errorf("converted: %#v, %v", c, err)
		}
	}
	s := "before"
	v := stringArg(&s)
	s = "after"
	if v.(string) != "after" {
		t.Errorf("stringArg does not point at its field: %q", v)
	}
}

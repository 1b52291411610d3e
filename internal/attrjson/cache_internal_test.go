package attrjson

import (
	"errors"
	"testing"
)

// TestDocCache: a document is derived once; another text is derived afresh; an error is
// not kept; a full cache starts over.
func TestDocCache(t *testing.T) {
	c := DocCache[int]{Max: 2}
	calls := 0
	derive := func(v int, err error) func() (int, error) {
		return func() (int, error) { calls++; return v, err }
	}
	for range 3 {
		if v, err := c.Get(`{"a":1}`, derive(1, nil)); v != 1 || err != nil {
			t.Fatalf("Get: %d, %v", v, err)
		}
	}
	if calls != 1 {
		t.Fatalf("derived %d times, want once", calls)
	}
	if _, err := c.Get(`{"b":`, derive(0, errors.New("bad"))); err == nil {
		t.Fatal("the error was not returned")
	}
	if v, _ := c.Get(`{"b":`, derive(2, nil)); v != 2 || calls != 3 {
		t.Fatalf("after an error: %d, %d calls", v, calls)
	}
	c.Get(`{"c":3}`, derive(3, nil)) // full: starts over
	if len(c.m) != 1 {
		t.Fatalf("%d entries after starting over, want 1", len(c.m))
	}
}

//go:build !race

package sqlite

import (
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// TestDirCacheHitAllocatesTheCopyOnly: every create looks its directory up in the
// cache; a hit allocates the copy it hands out and nothing else, and the copy is its own.
func TestDirCacheHitAllocatesTheCopyOnly(t *testing.T) {
	dec := &rollcall.Directory{ID: "d1", TenantID: "t1", Kind: rollcall.DirChime, Name: "n",
		CreatedAt: time.UnixMilli(1), UpdatedAt: time.UnixMilli(2), Attrs: `{"defaultLicense":"Pro"}`}
	c := &dirCache{rows: map[string]dirEntry{"d1": {dec: dec}}}
	if n := testing.AllocsPerRun(100, func() { c.directory(nil, "d1") }); n != 1 {
		t.Errorf("a hit allocates %v times, want 1", n)
	}
	d, err := c.directory(nil, "d1")
	if err != nil || d == dec || *d != *dec {
		t.Fatalf("a hit = %+v, %v; want a copy of %+v", d, err, dec)
	}
	d.Name, d.Attrs = "changed", "{}"
	if dec.Name != "n" || dec.Attrs != `{"defaultLicense":"Pro"}` {
		t.Errorf("changing the copy changed the cached directory: %+v", dec)
	}
}

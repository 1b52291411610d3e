package sqlite

import (
	"reflect"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// TestShares: shares finds the memory an assignment would share, at any depth, and
// none in values, strings and time.Time.
func TestShares(t *testing.T) {
	type flat struct {
		S string
		N int64
		T time.Time
		A [2]string
	}
	for _, c := range []struct {
		v    any
		want bool
	}{
		{rollcall.Directory{}, false},
		{flat{}, false},
		{[0]*int{}, false},
		{struct{ P *int }{}, true},
		{struct{ L []string }{}, true},
		{struct{ M map[string]string }{}, true},
		{struct{ I any }{}, true},
		{struct{ F func() }{}, true},
		{struct{ In struct{ A [1][]byte } }{}, true},
		{struct {
			flat
			T *time.Time
		}{}, true},
	} {
		if got := shares(reflect.TypeOf(c.v)); got != c.want {
			t.Errorf("shares(%T) = %v, want %v", c.v, got, c.want)
		}
	}
	if directoryShares {
		t.Error("a rollcall.Directory shares memory: a cache hit deepens it by reflection again")
	}
}

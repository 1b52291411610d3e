package rowset_test

import (
	"errors"
	"testing"

	"github.com/rollcall/rollcall/store/internal/rowset"
)

// result is a Result over a slice, failing with err once its values are read.
type result struct {
	vals []int
	i    int
	err  error
}

func (r *result) Next() bool { r.i++; return r.i <= len(r.vals) }
func (r *result) Err() error { return r.err }

func TestCollect(t *testing.T) {
	scan := func(r *result) (*int, error) {
		v := r.vals[r.i-1]
		if v < 0 {
			return nil, errors.New("negative")
		}
		return &v, nil
	}
	got, err := rowset.Collect(&result{vals: []int{3, 1, 2}}, scan)
	if err != nil || len(got) != 3 || *got[0] != 3 || *got[1] != 1 || *got[2] != 2 {
		t.Fatalf("Collect = %v, %v; want 3 1 2 in order", got, err)
	}
	if got, err := rowset.Collect(&result{}, scan); err != nil || got != nil {
		t.Fatalf("Collect of no rows = %v, %v", got, err)
	}
	if got, err := rowset.Collect(&result{vals: []int{1, -1, 2}}, scan); err == nil || got != nil {
		t.Fatalf("Collect with a failing scan = %v, %v; want its error and no rows", got, err)
	}
	broken := errors.New("connection lost")
	if got, err := rowset.Collect(&result{vals: []int{1}, err: broken}, scan); !errors.Is(err, broken) || got != nil {
		t.Fatalf("Collect of a result that fails = %v, %v; want its error and no rows", got, err)
	}
}

func TestSettings(t *testing.T) {
	got, err := rowset.Settings([]*rowset.Setting{{Name: "a", Value: "1"}, {Name: "b", Value: ""}}, nil)
	if err != nil || len(got) != 2 || got["a"] != "1" || got["b"] != "" {
		t.Fatalf("Settings = %v, %v", got, err)
	}
	boom := errors.New("boom")
	if got, err := rowset.Settings(nil, boom); got != nil || err != boom {
		t.Fatalf("Settings of a failed read = %v, %v, want nil, boom", got, err)
	}
}

package alexaforbusiness

import (
	"maps"
	"slices"
	"testing"
)

// TestOperationsListed: Operations names every operation the face routes, and the name
// of an unmatched request, and nothing else.
func TestOperationsListed(t *testing.T) {
	want := append(slices.Collect(maps.Keys(New(nil, nil).ops)), "UnknownOperation")
	slices.Sort(want)
	got := slices.Sorted(slices.Values(Operations))
	if !slices.Equal(got, want) {
		t.Fatalf("Operations = %v, want %v", got, want)
	}
}

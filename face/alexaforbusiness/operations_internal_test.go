package alexaforbusiness

import (
	"encoding/json"
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

// TestCreateUserResponseBytes: CreateUser's body, as its AppendJSON writes it, is byte
// for byte what json.Marshal writes.
func TestCreateUserResponseBytes(t *testing.T) {
	for _, arn := range []string{"", "arn:aws:a4b:us-east-1:000000000000:user/5f0e", "a<&>\u2028\xff\"\\"} {
		want, err := json.Marshal(createUserResponse{UserArn: arn})
		if got := (createUserResponse{UserArn: arn}).AppendJSON(nil); err != nil || string(got) != string(want) {
			t.Errorf("%q: got %s, want %s (%v)", arn, got, want, err)
		}
	}
}

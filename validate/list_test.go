package validate_test

import (
	"testing"

	"github.com/rollcall/rollcall/validate"
)

// TestLists: MaxItems words a list over the model's maximum as the services do; Members
// names each item <path>.<n>.member from 1, reports a null item and skips it.
func TestLists(t *testing.T) {
	type tag struct{ Key *string }
	k := "k"
	var errs validate.Errors
	errs.MaxItems("tags", 2, 2)
	if errs.Err() != nil {
		t.Fatalf("2 items of at most 2: %v", errs.Err())
	}
	errs.MaxItems("tags", 3, 2)
	var seen []string
	validate.Members(&errs, "tags", []*tag{{Key: &k}, nil, {}}, func(path string, v *tag) {
		seen = append(seen, path)
		errs.String(validate.Rule{Path: path + ".key", Required: true}, v.Key)
	})
	if len(seen) != 2 || seen[0] != "tags.1.member" || seen[1] != "tags.3.member" {
		t.Fatalf("checked %v", seen)
	}
	want := "3 validation errors detected: " +
		"Value '3 items' at 'tags' failed to satisfy constraint: Member must have length less than or equal to 2; " +
		"Value null at 'tags.2.member' failed to satisfy constraint: Member must not be null; " +
		"Value null at 'tags.3.member.key' failed to satisfy constraint: Member must not be null"
	if got := errs.Err(); got == nil || got.Error() != want {
		t.Fatalf("got  %v\nwant %s", got, want)
	}
}

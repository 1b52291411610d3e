package alexaforbusiness

import (
	"context"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
)

// TestSearchRefusalWording: SearchUsers' and ListTags' own refusals (the face refuses
// such requests first, so no request reaches them) carry a parameter and values, and
// this face words them.
func TestSearchRefusalWording(t *testing.T) {
	svc := alexa.New(&rollcall.Service{}) // the checks come before any store access
	ctx, c := context.Background(), rollcall.Caller{TenantID: rollcall.DevAccountID}
	search := func(in alexa.SearchUsersInput) error { _, err := svc.SearchUsers(ctx, c, in); return err }
	_, _, tagsErr := svc.Tags(ctx, c, "arn", "", 0)
	for _, tc := range []struct {
		err  error
		want string
	}{
		{search(alexa.SearchUsersInput{}), "MaxResults must be at least 1."},
		{tagsErr, "MaxResults must be at least 1."},
		{search(alexa.SearchUsersInput{Limit: 1, Filters: []alexa.Filter{{Key: "Age"}}}), `Unsupported filter key "Age".`},
		{search(alexa.SearchUsersInput{Limit: 1, Sort: []alexa.Sort{{Key: "Age"}}}), `Unsupported sort key "Age".`},
		{search(alexa.SearchUsersInput{Limit: 1, After: &alexa.Cursor{Values: []string{"x"}}}), "The NextToken does not belong to this search."},
	} {
		if rollcall.ErrorKind(tc.err) != rollcall.Invalid || wording(tc.err) != tc.want {
			t.Errorf("%v: worded %q, want Invalid %q", tc.err, wording(tc.err), tc.want)
		}
	}
}

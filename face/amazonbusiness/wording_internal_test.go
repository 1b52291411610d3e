package amazonbusiness

import (
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/business"
)

// TestWordingEmptyValues: the Amazon Business rules' errors with an empty value (the
// face's checks keep them out, the rules do not) are worded with no double space and no
// ": ." left over, exactly as the wire carries them.
func TestWordingEmptyValues(t *testing.T) {
	for _, tc := range []struct {
		err  *rollcall.Error
		want string
	}{
		{&rollcall.Error{Kind: rollcall.Conflict, Field: "accountHolder.email", Values: map[string]string{"email": ""}},
			"The email address is already associated with an existing account."},
		{&rollcall.Error{Kind: rollcall.NotFound, Field: "groupId", Values: map[string]string{business.GroupByID: ""}},
			"The business group with " + business.GroupByID + " does not exist."},
		{&rollcall.Error{Kind: rollcall.Invalid, Reason: rollcall.ReasonMissing}, "The required request parameter is missing."},
		{&rollcall.Error{Kind: rollcall.Invalid, Reason: rollcall.ReasonMissing, Field: "accountHolder"},
			"The required request parameter is missing: accountHolder."},
	} {
		if got := wording(tc.err); got != tc.want {
			t.Errorf("%+v worded %q, want %q", tc.err, got, tc.want)
		}
	}
}

package alexaforbusiness

import (
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
)

// SealSearchToken mints the NextToken the face would return for a search at cur, for
// benchmarks that start in the middle of a large account.
func SealSearchToken(f *Face, c rollcall.Caller, in alexa.SearchUsersInput, cur *alexa.Cursor) string {
	return f.Pages.Seal(searchScope(c, in), cur)
}

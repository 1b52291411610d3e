package alexaforbusiness

import "github.com/rollcall/rollcall"

// SealSearchToken mints the NextToken the face would return for a search at cur, for
// benchmarks that start in the middle of a large account.
func SealSearchToken(f *Face, c rollcall.Caller, in rollcall.SearchAlexaUsersInput, cur *rollcall.AlexaCursor) string {
	return f.Pages.Seal(searchScope(c, in), cur)
}

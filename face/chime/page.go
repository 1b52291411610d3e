package chime

import (
	"net/url"
	"strconv"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/pagetoken"
	"github.com/rollcall/rollcall/validate"
)

// Paging, as ListAccounts and ListUsers share it: the max-results query parameter, and
// NextToken, sealed (pagetoken) to the caller and the query.

// maxResults bounds (the model's ProfileServiceMaxResults) and the page size when absent.
const (
	minResults, maxResultsLimit, defaultResults = 1, 200, 100
)

// checkListQuery ends the checks of a list's query: it reads the max-results query
// parameter into limit, when there is one, and returns a max-results that is not a
// number, else every failure errs holds.
func checkListQuery(q url.Values, errs *validate.Errors, limit *int) error {
	if q.Has("max-results") {
		n, err := strconv.ParseInt(q.Get("max-results"), 10, 32)
		if err != nil {
			return badRequest("max-results must be a whole number.")
		}
		errs.Int(validate.Rule{Path: "maxResults", Min: validate.Int64(minResults), Max: validate.Int64(maxResultsLimit)}, &n)
		*limit = int(n)
	}
	return errs.Err()
}

// listScope is what a list's NextToken is bound to: the caller's tenant, the operation
// and its query (filters case-folded where the match ignores case), so a token minted
// for another tenant, account or filter does not open.
func listScope(c rollcall.Caller, op string, query ...string) string {
	parts := make([]string, 0, 2+len(query))
	return pagetoken.Scope(append(append(parts, c.TenantID, op), query...)...)
}

// listCursor is what a NextToken holds.
type listCursor struct {
	After string `json:"a"`
}

// listPage serves one page of a list: it opens the next-token (bound to scope), reads
// the page after it, converts its items and seals a NextToken after the last one when
// there are more.
func listPage[T, J any](f *Face, q url.Values, scope string, read func(after string) ([]T, bool, error),
	id func(T) string, conv func(T) J) ([]J, *string, error) {
	var cur listCursor
	if q.Has("next-token") {
		if err := f.Pages.Open(scope, q.Get("next-token"), &cur); err != nil {
			return nil, nil, badRequest("The NextToken is not valid: it was not issued by this service for this query and caller.")
		}
	}
	items, more, err := read(cur.After)
	if err != nil {
		return nil, nil, err
	}
	out := make([]J, 0, len(items))
	for _, it := range items {
		out = append(out, conv(it))
	}
	if !more || len(items) == 0 {
		return out, nil, nil
	}
	tok := f.Pages.Seal(scope, listCursor{After: id(items[len(items)-1])})
	return out, &tok, nil
}

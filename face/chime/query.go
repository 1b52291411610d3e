package chime

import (
	"net/url"
	"slices"
	"strings"
)

// queryKeys are the query parameters Chime's operations read, each a single value.
var queryKeys = [...]string{"operation", "name", "user-email", "user-type", "max-results", "next-token"}

const opParam = 0 // queryKeys[opParam] is "operation"

// uriQuery is what routing and singleValued read of a request's query: how many times
// each of queryKeys is given, and its first value. parseQuery reads it in one pass by
// url.ParseQuery's rules, without the url.Values map and slices every request built.
type uriQuery struct {
	n     [len(queryKeys)]int
	first [len(queryKeys)]string
}

// maxQueryPairs: a query with more pairs is read by url.ParseQuery itself, so that its
// limit on the number of parameters (GODEBUG urlmaxqueryparams) applies as it did.
const maxQueryPairs = 1000

// parseQuery reads the raw query as url.ParseQuery does (pairs split at "&", a pair with
// ";" or an escape that does not decode left out) and r.URL.Query() answers (the pairs
// that parse; none past the limit).
func parseQuery(raw string) uriQuery {
	var q uriQuery
	if strings.Count(raw, "&") >= maxQueryPairs {
		all, _ := url.ParseQuery(raw)
		for i, k := range queryKeys {
			if q.n[i] = len(all[k]); q.n[i] > 0 {
				q.first[i] = all[k][0]
			}
		}
		return q
	}
	for raw != "" {
		var pair string
		pair, raw, _ = strings.Cut(raw, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		k, err := url.QueryUnescape(k)
		if err != nil {
			continue
		}
		i := slices.Index(queryKeys[:], k)
		if i < 0 {
			continue
		}
		if v, err = url.QueryUnescape(v); err != nil {
			continue
		}
		if q.n[i] == 0 {
			q.first[i] = v
		}
		q.n[i]++
	}
	return q
}

// singleValued refuses a query parameter given twice: the face would read one value
// while the signature covers both, so a client's intent is not what would run.
func singleValued(q *uriQuery) error {
	for i, k := range queryKeys {
		if q.n[i] > 1 {
			return badRequest("The query parameter '" + k + "' is given more than once.")
		}
	}
	return nil
}

package storetest

import (
	"math/rand/v2"
	"slices"
	"strings"

	"github.com/rollcall/rollcall"
)

// The query plan tests of each backend (TestQueryPlans...) read the statement userquery
// builds for every documented page and fail when the planner sorts anew or scans the
// table, or reads none of the page's partial indexes.

// partialIndexes names, for a field a product sorts or filters by, the partial index
// (migration 0150) that serves it, ascending and descending (mixed directions: Alexa for
// Business sorts descending with ties by ascending ID, read group by group from the
// ascending index since 0310).
var partialIndexes = map[rollcall.UserField][2]string{
	rollcall.UserFullName:     {"users_full_name", "users_full_name"},
	rollcall.UserStorageLimit: {"users_storage_limit", "users_storage_limit"},
	rollcall.UserStorageUsed:  {"users_storage_used", "users_storage_used"},
	rollcall.UserStatus:       {"users_status", "users_status"},
	rollcall.UserGivenName:    {"users_given_name", "users_given_name"},
	rollcall.UserFamilyName:   {"users_family_name", "users_family_name"},
	rollcall.UserEmail:        {"users_email_sort", "users_email_sort"},
	rollcall.UserEnrollment:   {"users_enrollment", "users_enrollment"},
}

// PlanCases are the pages the faces document (QueryBenchCases), each on its
// first page and past a cursor, plus every Alexa for Business sort descending.
func PlanCases() []QueryBenchCase {
	var cs []QueryBenchCase
	for _, c := range QueryBenchCases("plan") {
		cs = append(cs, c)
		if c.Query.Kind == rollcall.DirAlexa && len(c.Query.Sort) == 1 && !c.Query.Sort[0].Descending {
			d := c
			d.Name += "/desc"
			d.Query.Sort = []rollcall.UserSort{{Field: c.Query.Sort[0].Field, Descending: true}}
			cs = append(cs, d)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range slices.Clone(cs) {
		u := QueryBenchUser(c.Query.DirectoryID, 7, r)
		u.Status, u.ProductKeys.Enrollment = "ACTIVE", "PENDING" // values the filters keep
		c.Name += "/after"
		c.Query.After = rollcall.CursorOf(c.Query, u)
		cs = append(cs, c)
	}
	return cs
}

// PlanIndexes are the partial indexes one of which q's page must read (either
// direction of its first key: with that key fixed by equality both serve the order),
// nil when its order is served by an index for every kind (the ID, the key, the
// creation time) or by its email filter.
func PlanIndexes(q rollcall.UserQuery) []string {
	switch {
	case len(q.Emails) > 0:
		return nil
	case len(q.UserTypes) > 0:
		return []string{"users_user_type"}
	case len(q.Sort) == 0:
		return nil
	}
	names, ok := partialIndexes[q.Sort[0].Field]
	if !ok {
		return nil
	}
	return names[:]
}

// PlanReads reports whether a plan reads one of the indexes.
func PlanReads(lines []string, indexes []string) bool {
	p := strings.Join(lines, "\n")
	for _, ix := range indexes {
		if strings.Contains(p, "INDEX "+ix+" ") {
			return true
		}
	}
	return false
}

// NewestFirstCase is a newest-first page (ties by ascending ID) of a tenant's or the
// whole store's users, as the console and its search read them, and the one index its
// plan may read: the scope's creation-time index, ascending since each backend's
// migration 0460 and walked one creation time at a time (userquery's NewestWalk).
type NewestFirstCase struct {
	Name  string
	Query rollcall.UserQuery
	Index string
}

// NewestFirstCases are the newest-first pages of tenant and of the whole store, with
// and without the console's filters, each on its first page and past a cursor at
// after.
func NewestFirstCases(tenant string, after *rollcall.User) []NewestFirstCase {
	var cs []NewestFirstCase
	for _, c := range []struct {
		name string
		q    rollcall.UserQuery
	}{
		{"tenant", rollcall.UserQuery{TenantID: tenant}},
		{"whole store", rollcall.UserQuery{}},
		{"tenant, kind", rollcall.UserQuery{TenantID: tenant, Kind: rollcall.DirChime}},
		{"store, kind", rollcall.UserQuery{Kind: rollcall.DirWorkDocs}},
		{"tenant, search", rollcall.UserQuery{TenantID: tenant, Search: rollcall.SearchTerms("ma")}},
		{"store, filters", rollcall.UserQuery{Statuses: []string{"ACTIVE"}}},
	} {
		ix := "users_created"
		if c.q.TenantID != "" {
			ix = "users_tenant_created"
		}
		c.q.Sort, c.q.Limit = []rollcall.UserSort{{Field: rollcall.UserCreatedAt, Descending: true}}, 100
		cs = append(cs, NewestFirstCase{c.name, c.q, ix})
		c.q.After = rollcall.CursorOf(c.q, after)
		cs = append(cs, NewestFirstCase{c.name + "/after", c.q, ix})
	}
	return cs
}

package sqlite

import (
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/storetest"
	"github.com/rollcall/rollcall/store/userquery"
)

// partialIndexes names, for a field a product sorts or filters by, the partial index
// (migration 0150) that serves it, ascending and descending (mixed directions: Alexa for
// Business sorts descending with ties by ascending ID).
var partialIndexes = map[rollcall.UserField][2]string{
	rollcall.UserFullName:     {"users_full_name", "users_full_name"},
	rollcall.UserStorageLimit: {"users_storage_limit", "users_storage_limit"},
	rollcall.UserStorageUsed:  {"users_storage_used", "users_storage_used"},
	rollcall.UserStatus:       {"users_status", "users_status"},
	rollcall.UserGivenName:    {"users_given_name", "users_given_name_desc"},
	rollcall.UserFamilyName:   {"users_family_name", "users_family_name_desc"},
	rollcall.UserEmail:        {"users_email_sort", "users_email_desc"},
	rollcall.UserEnrollment:   {"users_enrollment", "users_enrollment_desc"},
}

// planCases are the pages the faces document (storetest.QueryBenchCases), each on its
// first page and past a cursor, plus every Alexa for Business sort descending.
func planCases() []storetest.QueryBenchCase {
	var cs []storetest.QueryBenchCase
	for _, c := range storetest.QueryBenchCases("plan") {
		cs = append(cs, c)
		if c.Query.Kind == rollcall.DirAlexa && len(c.Query.Sort) == 1 {
			d := c
			d.Name += "/desc"
			d.Query.Sort = []rollcall.UserSort{{Field: c.Query.Sort[0].Field, Descending: true}}
			cs = append(cs, d)
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range slicesClone(cs) {
		u := storetest.QueryBenchUser(c.Query.DirectoryID, 7, r)
		u.Status, u.Attrs.EnrollmentStatus = "ACTIVE", "PENDING" // values the filters keep
		c.Name += "/after"
		c.Query.After = rollcall.CursorOf(c.Query, u)
		cs = append(cs, c)
	}
	return cs
}

func slicesClone(cs []storetest.QueryBenchCase) []storetest.QueryBenchCase {
	return append([]storetest.QueryBenchCase(nil), cs...)
}

// wantIndexes are the partial indexes one of which q's page must read (either
// direction of its first key: with that key fixed by equality both serve the order),
// nil when its order is served by an index for every kind (the ID, the key, the
// creation time) or by its email filter.
func wantIndexes(q rollcall.UserQuery) []string {
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

// reads reports whether a plan reads one of the indexes.
func reads(lines []string, indexes []string) bool {
	p := strings.Join(lines, "\n")
	for _, ix := range indexes {
		if strings.Contains(p, "INDEX "+ix+" ") {
			return true
		}
	}
	return false
}

// plan is SQLite's EXPLAIN QUERY PLAN of the statement userquery builds for q.
func plan(t *testing.T, s *Store, q rollcall.UserQuery) []string {
	t.Helper()
	stmt, args, err := userquery.Select(dialect, userColumns, q)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := s.readDB.Query("EXPLAIN QUERY PLAN "+stmt, args...)
	if err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		out = append(out, detail)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// fallsBack reports what in a plan reads users without an index or sorts them anew.
func fallsBack(lines []string) string {
	for _, l := range lines {
		if strings.Contains(l, "TEMP B-TREE") || (strings.HasPrefix(l, "SCAN users") || strings.HasPrefix(l, "SEARCH users")) && !strings.Contains(l, "INDEX") {
			return l
		}
	}
	return ""
}

// TestQueryPlansReadPartialIndexes: every documented sort and filter reads its index,
// the product's partial one where it has one, and never sorts or scans the table; the
// same query without the product's kind cannot use the partial index and falls back,
// which is what the first check would catch if the builder dropped the kind term.
func TestQueryPlansReadPartialIndexes(t *testing.T) {
	s, err := Open(filepath.Join(t.TempDir(), "rollcall.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range planCases() {
		t.Run(c.Name, func(t *testing.T) {
			lines := plan(t, s, c.Query)
			if l := fallsBack(lines); l != "" {
				t.Errorf("plan falls back (%q):\n%s", l, strings.Join(lines, "\n"))
			}
			want := wantIndexes(c.Query)
			if want == nil {
				return
			}
			if !reads(lines, want) {
				t.Errorf("plan reads none of %v:\n%s", want, strings.Join(lines, "\n"))
			}
			q := c.Query
			q.Kind = ""
			if reads(plan(t, s, q), want) {
				t.Errorf("without its kind the query still reads a partial index of %v", want)
			}
		})
	}
}

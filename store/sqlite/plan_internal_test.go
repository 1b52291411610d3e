package sqlite

import (
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/storetest"
	"github.com/rollcall/rollcall/store/userquery"
)

// plan is SQLite's EXPLAIN QUERY PLAN of the statement the store runs for q's page.
func plan(t *testing.T, s *Store, q rollcall.UserQuery) []string {
	t.Helper()
	stmt, args, err := userquery.Page(dialect, userColumns, q)
	if err != nil {
		t.Fatal(err)
	}
	return explain(t, s, stmt, args)
}

func explain(t *testing.T, s *Store, stmt string, args []any) []string {
	t.Helper()
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

// indexes are the indexes a plan reads, in its order.
func indexes(lines []string) []string {
	var out []string
	for _, l := range lines {
		if m := indexName.FindStringSubmatch(l); m != nil {
			out = append(out, m[1])
		}
	}
	return out
}

var indexName = regexp.MustCompile(`USING (?:COVERING )?INDEX (\S+)`)

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
	s := mustOpenPlain(t)
	for _, c := range storetest.PlanCases() {
		t.Run(c.Name, func(t *testing.T) {
			lines := plan(t, s, c.Query)
			if l := fallsBack(lines); l != "" {
				t.Errorf("plan falls back (%q):\n%s", l, strings.Join(lines, "\n"))
			}
			// A WorkDocs page decides which users it skips from the index alone (0230):
			// its keys and filters are all there, so SQLite reads only the rows it returns.
			if c.Query.Kind == rollcall.DirWorkDocs {
				var keys []string // the order's columns: a key's index ends in it, not in the ID
				for _, o := range rollcall.OrderOf(c.Query) {
					keys = append(keys, userquery.Column(o.Field))
				}
				stmt, args, err := userquery.Select(dialect, strings.Join(keys, ", "), c.Query)
				if err != nil {
					t.Fatal(err)
				}
				keyPlan := explain(t, s, stmt, args)
				if p := strings.Join(keyPlan, "\n"); !strings.Contains(p, "COVERING INDEX") {
					t.Errorf("the page's filters are not all in its index:\n%s", p)
				}
				// The page itself, reading every column, must walk that same index (issue
				// 11: by USER_NAME SQLite read the UNIQUE (directory_id, key) one instead).
				if got, want := indexes(lines), indexes(keyPlan); !slices.Equal(got, want) {
					t.Errorf("the page reads %v, not its covering index %v:\n%s", got, want, strings.Join(lines, "\n"))
				}
			}
			want := storetest.PlanIndexes(c.Query)
			if want == nil {
				return
			}
			if !storetest.PlanReads(lines, want) {
				t.Errorf("plan reads none of %v:\n%s", want, strings.Join(lines, "\n"))
			}
			q := c.Query
			q.Kind = ""
			if storetest.PlanReads(plan(t, s, q), want) {
				t.Errorf("without its kind the query still reads a partial index of %v", want)
			}
		})
	}
}

// mustOpenPlain opens a new, empty store, closed when t ends.
func mustOpenPlain(t *testing.T) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "rollcall.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestEmailFilterReadsBothIndexes: users_email holds only the users whose email is not
// their key (0410), and of Alexa for Business's only those whose email is not lower-case
// (0470), so an email filter must find the others in the key's unique index and in
// users_email_sort: its page reads the three, each by directory and value, and sorts
// nothing anew when ordered by ID.
func TestEmailFilterReadsBothIndexes(t *testing.T) {
	s := mustOpenPlain(t)
	var partial int
	if err := s.readDB.QueryRow(`SELECT partial FROM pragma_index_list('users') WHERE name = 'users_email'`).Scan(&partial); err != nil || partial != 1 {
		t.Errorf("users_email is not partial (%d, %v)", partial, err)
	}
	var def string
	if err := s.readDB.QueryRow(`SELECT sql FROM sqlite_schema WHERE name = 'users_email'`).Scan(&def); err != nil ||
		!strings.HasSuffix(def, " WHERE email_lower <> key AND (kind <> 'a4b' OR email <> email_lower)") {
		t.Errorf("users_email holds Alexa for Business users' lower-case emails (%q, %v)", def, err)
	}
	emails := []rollcall.UserQuery{
		{DirectoryID: "d", Emails: []string{"Ada@example.com"}},
		{DirectoryID: "d", Kind: rollcall.DirAlexa, Emails: []string{"a@example.com", "b@example.com"}, Limit: 10},
		{DirectoryID: "d", Emails: []string{"a@example.com"}, After: rollcall.AfterID("u1"), Limit: 10},
	}
	for _, c := range storetest.PlanCases() {
		if len(c.Query.Emails) > 0 {
			emails = append(emails, c.Query)
		}
	}
	for _, q := range emails {
		lines := plan(t, s, q)
		p := strings.Join(lines, "\n")
		for _, want := range []string{"USING INDEX sqlite_autoindex_users_2 (directory_id=? AND key=?)",
			"USING INDEX users_email (directory_id=? AND email_lower=?)",
			"USING INDEX users_email_sort (directory_id=? AND email=?)"} {
			if !strings.Contains(p, want) {
				t.Errorf("%+v: the plan does not read %q:\n%s", q, want, p)
			}
		}
		if l := fallsBack(lines); l != "" {
			t.Errorf("%+v: plan falls back (%q):\n%s", q, l, p)
		}
	}
}

// TestNewestFirstWalksAscendingIndex: the creation-time indexes are ascending (0460: a
// create puts its entry at their right end, where SQLite splits fewer leaves than at the
// left), and a tenant's or the whole store's newest users (the console's pages and its
// search's batches) walk them backwards group by group: every part of the plan reads
// the scope's index, and nothing sorts the users anew or scans the table, on a first
// page and past a cursor, with the console's filters.
func TestNewestFirstWalksAscendingIndex(t *testing.T) {
	s := mustOpenPlain(t)
	for _, ix := range []string{"users_tenant_created", "users_created"} {
		var desc int
		err := s.readDB.QueryRow(`SELECT "desc" FROM pragma_index_xinfo(?) WHERE name = 'created_at'`, ix).Scan(&desc)
		if err != nil || desc != 0 {
			t.Errorf("%s's created_at is not ascending (desc %d, %v)", ix, desc, err)
		}
	}
	for _, c := range storetest.NewestFirstCases("t", storetest.NewUser("d", "u1", "k1")) {
		lines := plan(t, s, c.Query)
		p := strings.Join(lines, "\n")
		if l := fallsBack(lines); l != "" {
			t.Errorf("%s: plan falls back (%q):\n%s", c.Name, l, p)
		}
		got := indexes(lines)
		if len(got) == 0 || slices.ContainsFunc(got, func(ix string) bool { return ix != c.Index }) {
			t.Errorf("%s: the plan reads %v, not only %s:\n%s", c.Name, got, c.Index, p)
		}
	}
}

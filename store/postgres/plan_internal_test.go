package postgres

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
	"github.com/rollcall/rollcall/store/storetest"
	"github.com/rollcall/rollcall/store/userquery"
)

// TestQueryPlansReadPartialIndexes: every documented sort and filter can be read from
// its index, the product's partial one where it has one, without sorting anew or
// scanning the table. PostgreSQL plans from statistics, so with sequential scans and
// sorts priced out (enable_seqscan, enable_sort off) the plan shows what the planner
// can do; a page it cannot serve from an index keeps its Sort or Seq Scan. The same
// query without the product's kind cannot read the partial index.
func TestQueryPlansReadPartialIndexes(t *testing.T) {
	dsn := pgtest.FreshDB(t)
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	ctx := context.Background()
	conn := pgtest.Connect(t, dsn)
	if _, err := conn.Exec(ctx, "SET enable_seqscan = off; SET enable_sort = off; SET enable_bitmapscan = off"); err != nil {
		t.Fatal(err)
	}
	plan := func(t *testing.T, q rollcall.UserQuery) []string {
		t.Helper()
		return explainSelect(t, conn, userCols, q)
	}
	for _, c := range storetest.PlanCases() {
		t.Run(c.Name, func(t *testing.T) {
			lines := plan(t, c.Query)
			for _, l := range lines {
				if strings.Contains(l, "Sort") || strings.Contains(l, "Seq Scan on users") {
					t.Errorf("plan falls back (%q):\n%s", strings.TrimSpace(l), strings.Join(lines, "\n"))
					break
				}
			}
			want := storetest.PlanIndexes(c.Query)
			if want == nil {
				return
			}
			if !pgReads(lines, want) {
				t.Errorf("plan reads none of %v:\n%s", want, strings.Join(lines, "\n"))
			}
			q := c.Query
			q.Kind = ""
			if pgReads(plan(t, q), want) {
				t.Errorf("without its kind the query still reads a partial index of %v", want)
			}
			// A WorkDocs page reads its keys (the IDs and sort values, Dialect.KeysFirst)
			// from the index alone, filters included: its indexes carry them (0230).
			if c.Query.Kind == rollcall.DirWorkDocs {
				keys := "id"
				if f := rollcall.OrderOf(c.Query)[0].Field; f != rollcall.UserID {
					keys += ", " + userquery.Column(f)
				}
				if p := strings.Join(explainSelect(t, conn, keys, c.Query), "\n"); !strings.Contains(p, "Index Only Scan") {
					t.Errorf("the page's keys are not read from the index alone:\n%s", p)
				}
			}
		})
	}
}

// explainSelect is the EXPLAIN of the statement userquery.Select builds for q.
func explainSelect(t *testing.T, conn *pgx.Conn, cols string, q rollcall.UserQuery) []string {
	t.Helper()
	ctx := context.Background()
	stmt, args, err := userquery.Select(dialect, cols, q)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := conn.Query(ctx, "EXPLAIN "+stmt, args...)
	if err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

// pgReads reports whether an EXPLAIN reads one of the indexes.
func pgReads(lines, indexes []string) bool {
	p := strings.Join(lines, "\n")
	for _, ix := range indexes {
		if strings.Contains(p, " using "+ix+" on ") {
			return true
		}
	}
	return false
}

// TestEmailFilterReadsBothIndexes: users_email holds only the users whose email is not
// their key (0410), and of Alexa for Business's only those whose email is not lower-case
// (0470), so an email filter must find the others in the key's unique index and in
// users_email_sort: the plan reads the three, each by directory and value (the last in
// an Alexa for Business directory: in another, the planner knows it holds none).
// PostgreSQL plans from statistics: the directory holds users of both kinds, analyzed.
func TestEmailFilterReadsBothIndexes(t *testing.T) {
	dsn := pgtest.FreshDB(t)
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	storetest.FillQueryBench(t, s, "d", rollcall.DirChime, 5000)
	storetest.FillQueryBench(t, s, "a", rollcall.DirAlexa, 5000)
	s.Close()
	conn := pgtest.Connect(t, dsn)
	if _, err := conn.Exec(context.Background(), "UPDATE users SET key = email_lower WHERE id < '8'; ANALYZE users"); err != nil {
		t.Fatal(err)
	}
	emails := []rollcall.UserQuery{
		{DirectoryID: "d", Emails: []string{"Ada@example.com"}},
		{DirectoryID: "d", Kind: rollcall.DirAlexa, Emails: []string{"a@example.com", "b@example.com"}, Limit: 10},
	}
	for _, c := range storetest.PlanCases() {
		if len(c.Query.Emails) > 0 {
			emails = append(emails, c.Query)
		}
	}
	for _, q := range emails {
		p := strings.Join(explainSelect(t, conn, userCols, q), "\n")
		for _, want := range []string{"using users_directory_key on users", "Index Cond: ((directory_id = 'd'::text) AND (key = ",
			"using users_email on users", "Index Cond: ((directory_id = 'd'::text) AND (email_lower = "} {
			if q.DirectoryID != "d" {
				want = strings.Replace(want, "'d'", "'"+q.DirectoryID+"'", 1)
			}
			if !strings.Contains(p, want) {
				t.Errorf("%+v: the plan does not read %q:\n%s", q, want, p)
			}
		}
	}
	for _, q := range []rollcall.UserQuery{
		{DirectoryID: "a", Emails: []string{"Ada.Lovelace1@example.com"}},
		{DirectoryID: "a", Kind: rollcall.DirAlexa, Emails: []string{"a@example.com", "b@example.com"}, Limit: 10},
	} {
		p := strings.Join(explainSelect(t, conn, userCols, q), "\n")
		if want := "Index Cond: ((directory_id = 'a'::text) AND (email = "; !strings.Contains(p, "using users_email_sort on users") || !strings.Contains(p, want) {
			t.Errorf("%+v: the plan does not read users_email_sort by %q:\n%s", q, want, p)
		}
	}
}

// TestNewestFirstWalksAscendingIndex: the creation-time indexes are ascending (0460),
// and a newest-first page (ties by ascending ID) of a tenant or of the whole store
// reads only its scope's index, walked one creation time at a time
// (Dialect.NewestWalk), never sorted; first page and past a cursor. PostgreSQL plans
// from statistics: the store holds ten tenants' users, analyzed, some of them created
// in the same millisecond as another tenant's (a tenant's page must not read those
// through users_created).
func TestNewestFirstWalksAscendingIndex(t *testing.T) {
	dsn := pgtest.FreshDB(t)
	s, err := Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	mid := storetest.FillQueryBench(t, s, "d", rollcall.DirChime, 2000)
	s.Close()
	ctx := context.Background()
	conn := pgtest.Connect(t, dsn)
	for _, ix := range []string{"users_tenant_created", "users_created"} {
		var def string
		if err := conn.QueryRow(ctx, `SELECT indexdef FROM pg_indexes WHERE indexname = $1`, ix).Scan(&def); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(def, "DESC") {
			t.Errorf("%s is not ascending: %s", ix, def)
		}
	}
	if _, err := conn.Exec(ctx, `INSERT INTO users (`+insertUserCols+`) SELECT id || '-' || g, directory_id || '-' || g,
		tenant_id || '-' || g, kind, key, email, email_lower, username, given_name, family_name, display_name, user_type,
		status, password_hash, created_at, updated_at, attrs, full_name_fold, search, storage_limit, storage_used,
		enrollment, keys_version FROM users, generate_series(1, 9) AS g; ANALYZE users`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec(ctx, "SET enable_seqscan = off; SET enable_sort = off; SET enable_bitmapscan = off"); err != nil {
		t.Fatal(err)
	}
	for _, c := range storetest.NewestFirstCases(storetest.TenantID, mid) {
		lines := explainSelect(t, conn, userCols, c.Query)
		p := strings.Join(lines, "\n")
		if strings.Contains(p, "Sort") || strings.Contains(p, "Seq Scan on users") {
			t.Errorf("%s: plan falls back:\n%s", c.Name, p)
		}
		for _, l := range lines {
			if i := strings.Index(l, " using "); i >= 0 && !strings.HasPrefix(l[i:], " using "+c.Index+" on ") {
				t.Errorf("%s: the plan reads another index than %s:\n%s", c.Name, c.Index, p)
				break
			}
		}
		if !pgReads(lines, []string{c.Index}) {
			t.Errorf("%s: the plan does not read %s:\n%s", c.Name, c.Index, p)
		}
	}
}

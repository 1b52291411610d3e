package sqlite_test

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/internal/rowset"
	"github.com/rollcall/rollcall/store/storetest"
	"github.com/rollcall/rollcall/store/userquery"
)

// TestMigrateUsersCreatedAscending opens a database at migration 0450 with users of two
// tenants, several created in one millisecond: after 0460 every user reads back as it
// was, and the newest-first pages of a tenant and of the whole store (walked in pages
// of 1, 2 and 100, ties by ascending ID) list them as before, from ascending indexes.
func TestMigrateUsersCreatedAscending(t *testing.T) {
	db, path := openBefore(t, "0460")
	var users []*rollcall.User
	for i := range 12 {
		u := storetest.NewUser(fmt.Sprintf("d%d", i%3), fmt.Sprintf("u%02d", (i*7)%12), fmt.Sprintf("k%d", i))
		u.CreatedAt = storetest.T0.Add(time.Duration(i/3) * time.Millisecond) // groups of three
		if i%4 == 3 {
			u.TenantID = "222222222222"
		}
		insertRaw(t, db, u)
		users = append(users, u)
	}
	s := mustOpenPath(t, path)
	defer s.Close()
	for _, u := range users {
		got, err := storeRead(s, func(tx rollcall.Tx) (*rollcall.User, error) { return tx.User(u.DirectoryID, u.ID) })
		if err != nil {
			t.Fatalf("User(%s) after 0460: %v", u.ID, err)
		}
		storetest.WantEqual(t, "a user carried over", got, u)
	}
	newest := func(a, b *rollcall.User) int {
		if c := b.CreatedAt.Compare(a.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	}
	for _, tenant := range []string{storetest.TenantID, ""} {
		var want []string
		for _, u := range slices.SortedFunc(slices.Values(users), newest) {
			if tenant == "" || u.TenantID == tenant {
				want = append(want, u.ID)
			}
		}
		for _, limit := range []int{1, 2, 100} {
			q := rollcall.UserQuery{TenantID: tenant, Sort: []rollcall.UserSort{{Field: rollcall.UserCreatedAt, Descending: true}}, Limit: limit}
			var got []string
			for {
				page, err := storeRead(s, func(tx rollcall.Tx) ([]*rollcall.User, error) { return tx.Users(q) })
				if err != nil {
					t.Fatal(err)
				}
				for _, u := range page {
					got = append(got, u.ID)
				}
				if len(page) < limit {
					break
				}
				q.After = rollcall.CursorOf(q, page[len(page)-1])
			}
			storetest.WantEqual(t, fmt.Sprintf("tenant %q's newest users in pages of %d after 0460", tenant, limit), got, want)
		}
	}
	for _, ix := range []string{"users_tenant_created", "users_created"} {
		var desc int
		if err := db.QueryRow(`SELECT "desc" FROM pragma_index_xinfo(?) WHERE name = 'created_at'`, ix).Scan(&desc); err != nil || desc != 0 {
			t.Errorf("%s's created_at after 0460: desc %d, %v", ix, desc, err)
		}
	}
}

// insertRaw inserts u into db, a database opened at an earlier migration, as the store
// writes it.
func insertRaw(t *testing.T, db *sql.DB, u *rollcall.User) {
	t.Helper()
	args := []any{u.ID, u.DirectoryID, u.TenantID, string(u.Kind), u.Key, u.Email, u.Username, u.GivenName, u.FamilyName,
		u.DisplayName, u.UserType, u.Status, u.PasswordHash, u.CreatedAt.UnixMilli(), u.UpdatedAt.UnixMilli(),
		rowset.AttrsColumn(u.Attrs), strings.ToLower(u.Email)}
	args = append(args, userquery.KeyValues(u)...)
	if _, err := db.Exec(`INSERT INTO users (id, directory_id, tenant_id, kind, key, email, username, given_name,
		family_name, display_name, user_type, status, password_hash, created_at, updated_at, attrs, email_lower, `+
		userquery.KeyColumns+`) VALUES (?`+strings.Repeat(", ?", len(args)-1)+`)`, args...); err != nil {
		t.Fatal(err)
	}
}

// TestMigrateUsersEmailA4BLower opens a database at migration 0460 with Alexa for
// Business and Chime users, emails lower-case and not, keyed by them and not: after
// 0470 (users_email without Alexa for Business's lower-case emails) the email filter
// finds each user by its email in any case, once, as before.
func TestMigrateUsersEmailA4BLower(t *testing.T) {
	db, path := openBefore(t, "0470")
	type want struct{ dir, email, id string }
	var wants []want
	for i, kind := range []rollcall.DirectoryKind{rollcall.DirAlexa, rollcall.DirChime} {
		dir := "d-" + string(kind)
		for j, email := range []string{"ada@example.com", "Bob@Example.com", "carol@example.com"} {
			key := fmt.Sprintf("k%d%d", i, j)
			if j == 2 {
				key = email // keyed by its email
			}
			u := storetest.NewUser(dir, fmt.Sprintf("u%d%d", i, j), key)
			u.Kind, u.Email = kind, email
			insertRaw(t, db, u)
			wants = append(wants, want{dir, email, u.ID})
		}
	}
	s := mustOpenPath(t, path)
	defer s.Close()
	for _, w := range wants {
		for _, e := range []string{w.email, strings.ToUpper(w.email), strings.ToLower(w.email)} {
			got, err := storeRead(s, func(tx rollcall.Tx) ([]*rollcall.User, error) {
				return tx.Users(rollcall.UserQuery{DirectoryID: w.dir, Emails: []string{e}})
			})
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, u := range got {
				ids = append(ids, u.ID)
			}
			storetest.WantEqual(t, "the users of email "+e+" in "+w.dir+" after 0470", ids, []string{w.id})
		}
	}
}

package storetest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

func userID(u *rollcall.User) string { return u.ID }

func getUser(tb testing.TB, s rollcall.Store, directoryID, id string) (*rollcall.User, error) {
	tb.Helper()
	return read(tb, s, func(tx rollcall.Tx) (*rollcall.User, error) { return tx.User(directoryID, id) })
}

var userTests = []testCase{
	{"RoundTrip", func(t *testing.T, s rollcall.Store) {
		full := NewUser("A", "u1", "ada")
		// A user with nothing but its identity: no document, zero keys.
		bare := &rollcall.User{ID: "u2", DirectoryID: "A", Key: "bare"}
		// Keys at their extremes, beside a document that does not name them.
		keyed := NewUser("A", "u3", "keyed")
		keyed.Attrs = `{"storageType":"QUOTA","storageAllocatedInBytes":0}`
		keyed.ProductKeys = rollcall.ProductKeys{StorageLimit: math.MaxInt64, StorageUsed: math.MinInt64, Enrollment: "x"}
		MustInsert(t, s, full, bare, keyed)
		for _, want := range []*rollcall.User{full, bare, keyed} {
			got, err := getUser(t, s, "A", want.ID)
			if err != nil {
				t.Fatal(err)
			}
			WantEqual(t, "User("+want.ID+")", got, want)
			got = mustRead(t, s, func(tx rollcall.Tx) (*rollcall.User, error) { return tx.UserByKey("A", want.Key) })
			WantEqual(t, "UserByKey("+want.Key+")", got, want)
		}
		if got, _ := getUser(t, s, "A", "u2"); got.Attrs != "" {
			t.Fatalf("no document came back as %q", got.Attrs)
		}
	}},
	{"NotFound", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewUser("A", "u1", "ada"))
		wantNotFound(t, s, []namedRead[rollcall.User]{
			{"User of a missing id", func(tx rollcall.Tx) (*rollcall.User, error) { return tx.User("A", "nope") }},
			{"User of directory A through directory B", func(tx rollcall.Tx) (*rollcall.User, error) { return tx.User("B", "u1") }},
			{"UserByKey of a missing key", func(tx rollcall.Tx) (*rollcall.User, error) { return tx.UserByKey("A", "nope") }},
			{"UserByKey of directory A through directory B", func(tx rollcall.Tx) (*rollcall.User, error) { return tx.UserByKey("B", "ada") }},
			{"UserByKey with another case", func(tx rollcall.Tx) (*rollcall.User, error) { return tx.UserByKey("A", "ADA") }},
		})
	}},
	{"InsertConflict", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewUser("A", "u1", "ada"))
		for _, c := range []struct {
			what string
			u    *rollcall.User
		}{
			{"same key in the same directory", NewUser("A", "u2", "ada")},
			{"same ID in the same directory", NewUser("A", "u1", "grace")},
			{"same ID in another directory", NewUser("B", "u1", "grace")},
		} {
			err := update(s, func(tx rollcall.Tx) error { return tx.InsertUser(c.u) })
			WantKind(t, "InsertUser with the "+c.what, err, rollcall.Conflict)
		}
		got, err := getUser(t, s, "A", "u1")
		if err != nil {
			t.Fatal(err)
		}
		WantEqual(t, "the first user", got, NewUser("A", "u1", "ada"))
		for _, id := range []string{"u2"} {
			_, err := getUser(t, s, "A", id)
			WantKind(t, "a user whose insert conflicted", err, rollcall.NotFound)
		}
		_, err = getUser(t, s, "B", "u1")
		WantKind(t, "a user whose insert conflicted", err, rollcall.NotFound)
	}},
	{"SameKeyInTwoDirectories", func(t *testing.T, s rollcall.Store) {
		a, b := NewUser("A", "u1", "ada"), NewUser("B", "u2", "ada")
		MustInsert(t, s, a, b)
		got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.User, error) { return tx.UserByKey("B", "ada") })
		WantEqual(t, "UserByKey(B, ada)", got, b)
		got = mustRead(t, s, func(tx rollcall.Tx) (*rollcall.User, error) { return tx.UserByKey("A", "ada") })
		WantEqual(t, "UserByKey(A, ada)", got, a)
	}},
	{"UpdateReplaces", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewUser("A", "u1", "ada"))
		changed := NewUser("A", "u1", "ada")
		changed.Email, changed.GivenName, changed.Status, changed.UserType = "ada@Example.org", "Augusta", "Suspended", "SharedDevice"
		changed.PasswordHash, changed.UpdatedAt = "", T0.Add(48*time.Hour)
		changed.Attrs = `{"invitationStatus":"Failed","tags":[{"key":"k","value":""}]}`
		changed.ProductKeys = rollcall.ProductKeys{StorageLimit: 7, Enrollment: "REGISTERED"}
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.UpdateUser(changed) })
		got, err := getUser(t, s, "A", "u1")
		if err != nil {
			t.Fatal(err)
		}
		WantEqual(t, "user after UpdateUser", got, changed)
		// The email filter follows the new email.
		list := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.User, error) {
			return tx.Users(rollcall.UserQuery{DirectoryID: "A", Emails: []string{"ada@example.org"}})
		})
		wantIDs(t, "Users by the new email", ids(list, userID), []string{"u1"})
	}},
	{"UpdateKey", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewUser("A", "u1", "ada"), NewUser("A", "u2", "grace"))
		moved := NewUser("A", "u1", "ada-l")
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.UpdateUser(moved) })
		got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.User, error) { return tx.UserByKey("A", "ada-l") })
		WantEqual(t, "UserByKey of the new key", got, moved)
		_, err := read(t, s, func(tx rollcall.Tx) (*rollcall.User, error) { return tx.UserByKey("A", "ada") })
		WantKind(t, "UserByKey of the old key", err, rollcall.NotFound)
		// The old key is free.
		MustInsert(t, s, NewUser("A", "u3", "ada"))

		taken := NewUser("A", "u1", "grace")
		WantKind(t, "UpdateUser onto a taken key", update(s, func(tx rollcall.Tx) error { return tx.UpdateUser(taken) }), rollcall.Conflict)
		got, err = getUser(t, s, "A", "u1")
		if err != nil {
			t.Fatal(err)
		}
		WantEqual(t, "user after a conflicting update", got, moved)
	}},
	{"UpdateNotFound", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewUser("A", "u1", "ada"))
		WantKind(t, "UpdateUser of a missing id", update(s, func(tx rollcall.Tx) error { return tx.UpdateUser(NewUser("A", "nope", "x")) }), rollcall.NotFound)
		// A user is addressed by (DirectoryID, ID): it cannot be updated through, or
		// moved to, another directory.
		elsewhere := NewUser("B", "u1", "ada")
		WantKind(t, "UpdateUser through another directory", update(s, func(tx rollcall.Tx) error { return tx.UpdateUser(elsewhere) }), rollcall.NotFound)
		got, err := getUser(t, s, "A", "u1")
		if err != nil {
			t.Fatal(err)
		}
		WantEqual(t, "user after a failed update", got, NewUser("A", "u1", "ada"))
	}},
	{"Delete", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewUser("A", "u1", "ada"), NewUser("A", "u2", "grace"))
		WantKind(t, "DeleteUser through another directory", update(s, func(tx rollcall.Tx) error { return tx.DeleteUser("B", "u1") }), rollcall.NotFound)
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteUser("A", "u1") })
		_, err := getUser(t, s, "A", "u1")
		WantKind(t, "User after DeleteUser", err, rollcall.NotFound)
		_, err = read(t, s, func(tx rollcall.Tx) (*rollcall.User, error) { return tx.UserByKey("A", "ada") })
		WantKind(t, "UserByKey after DeleteUser", err, rollcall.NotFound)
		if _, err := getUser(t, s, "A", "u2"); err != nil {
			t.Fatalf("the other user: %v", err)
		}
		WantKind(t, "DeleteUser again", update(s, func(tx rollcall.Tx) error { return tx.DeleteUser("A", "u1") }), rollcall.NotFound)
		// Its ID and key are free again.
		MustInsert(t, s, NewUser("A", "u1", "ada"))
	}},
}

var listUserTests = []testCase{
	{"Filters", testListUsers},
	{"EmailFilterKeys", testEmailFilterKeys},
	{"PageThroughAll", func(t *testing.T, s rollcall.Store) {
		const n = 57
		var want []string
		var users []any
		for i := range n {
			id := fmt.Sprintf("u%03d", i)
			want = append(want, id)
			users = append(users, NewUser("A", id, fmt.Sprintf("k%03d", i)))
		}
		rand.Shuffle(len(users), func(i, j int) { users[i], users[j] = users[j], users[i] })
		MustInsert(t, s, users...)
		MustInsert(t, s, NewUser("B", "u000b", "k000"))
		for _, limit := range []int{1, 10, n, n + 1} {
			var got []string
			after := ""
			for pages := 0; ; pages++ {
				if pages > n+1 {
					t.Fatalf("limit %d: paging does not end", limit)
				}
				page := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.User, error) {
					return tx.Users(rollcall.UserQuery{DirectoryID: "A", After: rollcall.AfterID(after), Limit: limit})
				})
				if len(page) > limit {
					t.Fatalf("limit %d: a page of %d", limit, len(page))
				}
				got = append(got, ids(page, userID)...)
				if len(page) < limit {
					break
				}
				after = page[len(page)-1].ID
			}
			wantIDs(t, fmt.Sprintf("every user, in pages of %d", limit), got, want)
		}
	}},
}

// testEmailFilterKeys: the email filter finds users keyed by their lower-cased email
// (Chime's, Amazon Business's) and users keyed otherwise alike, which a store may index
// apart (SQLite and PostgreSQL: migration 0410), also after an update moves a user from
// one kind to the other; and Alexa for Business users, whose lower-case emails a store
// may find through its email sort index instead (0470), alike.
func testEmailFilterKeys(t *testing.T, s rollcall.Store) {
	for _, kind := range []rollcall.DirectoryKind{rollcall.DirChime, rollcall.DirAlexa} {
		t.Run(string(kind), func(t *testing.T) { testEmailFilterKind(t, s, kind) })
	}
}

func testEmailFilterKind(t *testing.T, s rollcall.Store, kind rollcall.DirectoryKind) {
	dir := "E-" + string(kind)
	user := func(id, key, email string) *rollcall.User {
		u := NewUser(dir, string(kind)+"-"+id, key)
		u.Kind, u.Email = kind, email
		return u
	}
	MustInsert(t, s,
		user("e1", "ada@example.com", "Ada@Example.com"),
		user("e2", "k2", "ADA@example.com"),
		user("e3", "bob@example.com", "carol@example.com"), // keyed by another email
		user("e4", "carol@example.com", "carol@example.com"),
		user("e5", "id:e5", ""),
		user("e6", "k6", "ada@example.com"), // lower-case, not the key
		user("e7", "k7", "dan@example.com"),
	)
	emails := func(es ...string) rollcall.UserQuery { return rollcall.UserQuery{DirectoryID: dir, Emails: es} }
	check := func(name string, q rollcall.UserQuery, want ...string) {
		t.Helper()
		got := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.User, error) { return tx.Users(q) })
		for i, id := range want {
			want[i] = string(kind) + "-" + id
		}
		wantIDs(t, name, ids(got, userID), want)
		if q.Limit == 0 && q.After == nil {
			if n := mustRead(t, s, func(tx rollcall.Tx) (int, error) { return tx.CountUsers(q) }); n != len(want) {
				t.Errorf("%s: CountUsers = %d, want %d", name, n, len(want))
			}
		}
	}
	check("keyed by it and not", emails("ada@EXAMPLE.com"), "e1", "e2", "e6")
	check("a key that is not the email", emails("bob@example.com"))
	check("keyed by another email", emails("carol@example.com"), "e3", "e4")
	check("two emails", emails("ada@example.com", "carol@example.com"), "e1", "e2", "e3", "e4", "e6")
	check("the key's and another's", emails("bob@example.com", "carol@example.com"), "e3", "e4")
	q := emails("ada@example.com", "carol@example.com")
	q.After, q.Limit = rollcall.AfterID(string(kind)+"-e1"), 2
	check("after, limited", q, "e2", "e3")
	check("no email", emails(""), "e5")
	check("lower-case, not the key", emails("DAN@example.com"), "e7")
	check("tenant-wide", rollcall.UserQuery{TenantID: TenantID, Kind: kind, Emails: []string{"ada@example.com"}}, "e1", "e2", "e6")
	// e1's email changes, its key stays: it is found by its new email only.
	u := user("e1", "ada@example.com", "zed@example.com")
	MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.UpdateUser(u) })
	check("after an update, the old email", emails("ada@example.com"), "e2", "e6")
	check("after an update, the new email", emails("zed@example.com"), "e1")
	// And back: keyed by its email again.
	u.Email = "ADA@example.com"
	MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.UpdateUser(u) })
	check("keyed by its email again", emails("ada@example.com"), "e1", "e2", "e6")
	// e7's email turns mixed-case, then e6's lower-case one another: each is found by
	// its new email only.
	u7 := user("e7", "k7", "Dan@Example.com")
	u6 := user("e6", "k6", "eve@example.com")
	MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.UpdateUser(u7) })
	MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.UpdateUser(u6) })
	check("mixed-case after an update", emails("dan@example.com"), "e7")
	check("lower-case after an update, the old email", emails("ada@example.com"), "e1", "e2")
	check("lower-case after an update, the new email", emails("EVE@example.com"), "e6")
}

func testListUsers(t *testing.T, s rollcall.Store) {
	user := func(id, key, email, userType string) *rollcall.User {
		u := NewUser("A", id, key)
		u.Email, u.UserType = email, userType
		return u
	}
	suspended := func(u *rollcall.User) *rollcall.User { u.Status = "Suspended"; return u }
	MustInsert(t, s,
		user("u5", "ka", "Grace@Example.com", "SharedDevice"),
		user("u1", "k10", "ada@example.com", "PrivateUser"),
		user("u3", "K9", "ADA@EXAMPLE.COM", "SharedDevice"), // same email, other case, other key
		suspended(user("u2", "k1", "", "PrivateUser")),
		user("u4", "k2", "Zoë@Example.com", "PrivateUser"),
		suspended(user("u6", "k3", "ada@example.com.evil", "PrivateUser")),
	)
	b := NewUser("B", "u0", "k1")
	b.Email = "ada@example.com"
	MustInsert(t, s, b)
	for _, c := range []struct {
		name string
		f    rollcall.UserQuery
		want []string
	}{
		{"all, by ID", rollcall.UserQuery{DirectoryID: "A"}, []string{"u1", "u2", "u3", "u4", "u5", "u6"}},
		{"after", rollcall.UserQuery{DirectoryID: "A", After: rollcall.AfterID("u3")}, []string{"u4", "u5", "u6"}},
		{"limit", rollcall.UserQuery{DirectoryID: "A", Limit: 2}, []string{"u1", "u2"}},
		{"after and limit", rollcall.UserQuery{DirectoryID: "A", After: rollcall.AfterID("u2"), Limit: 2}, []string{"u3", "u4"}},
		{"after the last", rollcall.UserQuery{DirectoryID: "A", After: rollcall.AfterID("u6")}, nil},
		{"email, any case", rollcall.UserQuery{DirectoryID: "A", Emails: []string{"Ada@Example.COM"}}, []string{"u1", "u3"}},
		{"email, exact not prefix", rollcall.UserQuery{DirectoryID: "A", Emails: []string{"ada@example.co"}}, nil},
		{"email, not ASCII", rollcall.UserQuery{DirectoryID: "A", Emails: []string{"ZOË@EXAMPLE.COM"}}, []string{"u4"}},
		{"email with after", rollcall.UserQuery{DirectoryID: "A", Emails: []string{"ada@example.com"}, After: rollcall.AfterID("u1")}, []string{"u3"}},
		{"email with limit", rollcall.UserQuery{DirectoryID: "A", Emails: []string{"ada@example.com"}, Limit: 1}, []string{"u1"}},
		{"user type", rollcall.UserQuery{DirectoryID: "A", UserTypes: []string{"SharedDevice"}}, []string{"u3", "u5"}},
		{"user type is exact", rollcall.UserQuery{DirectoryID: "A", UserTypes: []string{"shareddevice"}}, nil},
		{"user type and email", rollcall.UserQuery{DirectoryID: "A", UserTypes: []string{"SharedDevice"}, Emails: []string{"ada@example.com"}}, []string{"u3"}},
		{"user type and limit", rollcall.UserQuery{DirectoryID: "A", UserTypes: []string{"PrivateUser"}, Limit: 3}, []string{"u1", "u2", "u4"}},
		{"status", rollcall.UserQuery{DirectoryID: "A", Statuses: []string{"Suspended"}}, []string{"u2", "u6"}},
		{"status is exact", rollcall.UserQuery{DirectoryID: "A", Statuses: []string{"suspended"}}, nil},
		{"status and user type", rollcall.UserQuery{DirectoryID: "A", Statuses: []string{"Suspended"}, UserTypes: []string{"PrivateUser"}}, []string{"u2", "u6"}},
		{"by ID, descending", rollcall.UserQuery{DirectoryID: "A", Sort: []rollcall.UserSort{{Field: rollcall.UserID, Descending: true}}}, []string{"u6", "u5", "u4", "u3", "u2", "u1"}},
		{"by ID, descending, after", rollcall.UserQuery{DirectoryID: "A", After: rollcall.AfterID("u4"), Limit: 2, Sort: []rollcall.UserSort{{Field: rollcall.UserID, Descending: true}}}, []string{"u3", "u2"}},
		// Keys sort bytewise: upper case before lower case, "k10" before "k2".
		{"by key", rollcall.UserQuery{DirectoryID: "A", Sort: []rollcall.UserSort{{Field: rollcall.UserKey}}}, []string{"u3", "u2", "u1", "u4", "u6", "u5"}},
		{"by key, after", rollcall.UserQuery{DirectoryID: "A", After: rollcall.AfterID("k10"), Limit: 2, Sort: []rollcall.UserSort{{Field: rollcall.UserKey}}}, []string{"u4", "u6"}},
		{"by key, descending", rollcall.UserQuery{DirectoryID: "A", Sort: []rollcall.UserSort{{Field: rollcall.UserKey, Descending: true}}}, []string{"u5", "u6", "u4", "u1", "u2", "u3"}},
		{"by key, descending, after", rollcall.UserQuery{DirectoryID: "A", After: rollcall.AfterID("k10"), Sort: []rollcall.UserSort{{Field: rollcall.UserKey, Descending: true}}}, []string{"u2", "u3"}},
		{"by key with a filter", rollcall.UserQuery{DirectoryID: "A", UserTypes: []string{"SharedDevice"}, Sort: []rollcall.UserSort{{Field: rollcall.UserKey}}}, []string{"u3", "u5"}},
		{"other directory", rollcall.UserQuery{DirectoryID: "B"}, []string{"u0"}},
		{"empty directory", rollcall.UserQuery{DirectoryID: "C"}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.User, error) { return tx.Users(c.f) })
			wantIDs(t, fmt.Sprintf("Users(%+v)", c.f), ids(got, userID), c.want)
		})
	}
	got := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.User, error) {
		return tx.Users(rollcall.UserQuery{DirectoryID: "A", Limit: 1})
	})
	WantEqual(t, "listed user", got[0], user("u1", "k10", "ada@example.com", "PrivateUser"))
	for dir, want := range map[string]int{"A": 6, "B": 1, "C": 0} {
		n := mustRead(t, s, func(tx rollcall.Tx) (int, error) { return tx.CountUsers(rollcall.UserQuery{DirectoryID: dir}) })
		if n != want {
			t.Errorf("CountUsers(%s) = %d, want %d", dir, n, want)
		}
	}
}

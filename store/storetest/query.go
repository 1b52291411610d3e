package storetest

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// queryTests check rollcall.UserQuery: every filter, sort field, direction, cursor and
// count, against what the core's own definitions (User.Keys, SortValueOf, OrderOf) say
// the answer is, plus a few answers written out by hand.
var queryTests = []testCase{
	{"every filter, sort and direction, paged", testQueryMatrix},
	{"Alexa for Business descending, ties by ascending ID, paged across groups", testQueryAlexaDescending},
	{"by hand", testQueryByHand},
	{"keys follow updates", testQueryKeysFollowUpdates},
	{"invalid", testQueryInvalid},
	{"directories by name prefix", testDirectoriesNamed},
}

var (
	queryGiven  = []string{"Ada", "ada", "Ádám", "Márcia", "María", "Mateo", "Zoë", "", "Grace", "grace"}
	queryFamily = []string{"Lovelace", "Jackson", "de la Cruz", "Östlund", "", "Hopper", "hopper"}
	queryStatus = []string{"ACTIVE", "INACTIVE", "PENDING"}
	queryEnroll = []string{"", "PENDING", "REGISTERED", "INITIALIZED"}
	queryTypes  = []string{"USER", "ADMIN", "PrivateUser", "SharedDevice"}
)

// queryUsers makes n users spread over directories A and B of TenantID, and C of
// another tenant, with repeated sort values so that ties and their tiebreak show.
func queryUsers(n int) []*rollcall.User {
	r := rand.New(rand.NewPCG(1, 2))
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	var out []*rollcall.User
	for i := range n {
		dir, tenant := []string{"A", "A", "B", "C"}[i%4], TenantID
		if dir == "C" {
			tenant = "999999999999"
		}
		u := NewUser(dir, fmt.Sprintf("u%03d-%x", i, r.Uint32()), fmt.Sprintf("%c%02d", "kKmZ"[r.IntN(4)], i))
		u.TenantID = tenant
		u.GivenName, u.FamilyName = pick(queryGiven), pick(queryFamily)
		u.Username = strings.ToLower(u.GivenName) + fmt.Sprint(i%5)
		u.Email = pick([]string{"Ada", "ada", "zed", "Bob"}) + fmt.Sprint(i%3) + "@example.com"
		u.Status, u.UserType = pick(queryStatus), pick(queryTypes)
		u.ProductKeys.Enrollment = pick(queryEnroll)
		u.ProductKeys.StorageUsed = int64(r.IntN(4)) * 1000
		switch r.IntN(3) {
		case 0:
			u.ProductKeys.StorageLimit = math.MaxInt64
		default:
			u.ProductKeys.StorageLimit = int64(r.IntN(3)) << 30
		}
		u.CreatedAt = T0.Add(time.Duration(r.IntN(10)) * time.Second)
		out = append(out, u)
	}
	return out
}

// wantQuery is the reference answer to q: the users it selects, in its order.
func wantQuery(users []*rollcall.User, q rollcall.UserQuery) []*rollcall.User {
	in := func(set []string, v string) bool { return len(set) == 0 || slices.Contains(set, v) }
	var out []*rollcall.User
	for _, u := range users {
		k := u.Keys()
		ok := (q.DirectoryID == "" || u.DirectoryID == q.DirectoryID) &&
			(q.DirectoryID != "" || q.TenantID == "" || u.TenantID == q.TenantID) &&
			(q.Kind == "" || u.Kind == q.Kind) &&
			in(q.IDs, u.ID) && in(q.Keys, u.Key) && in(q.GivenNames, u.GivenName) && in(q.FamilyNames, u.FamilyName) &&
			in(q.UserTypes, u.UserType) && in(q.Statuses, u.Status) && in(q.Enrollments, k.Enrollment)
		if len(q.Emails) > 0 {
			ok = ok && slices.ContainsFunc(q.Emails, func(e string) bool { return strings.ToLower(e) == strings.ToLower(u.Email) })
		}
		for _, t := range q.Search {
			ok = ok && strings.Contains(k.Search, " "+t)
		}
		if ok {
			out = append(out, u)
		}
	}
	order := rollcall.OrderOf(q)
	slices.SortFunc(out, func(a, b *rollcall.User) int { return compareAt(order, a, b) })
	return out
}

func compareAt(order []rollcall.UserSort, a, b *rollcall.User) int {
	for _, s := range order {
		va, vb := rollcall.SortValueOf(a, s.Field), rollcall.SortValueOf(b, s.Field)
		c := cmp.Or(cmp.Compare(va.N, vb.N), strings.Compare(va.S, vb.S))
		if s.Descending {
			c = -c
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// walk reads every page of q, limit users at a time, following CursorOf.
func walk(t *testing.T, s rollcall.Store, q rollcall.UserQuery, limit int) []*rollcall.User {
	t.Helper()
	var all []*rollcall.User
	q.Limit, q.After = limit, nil
	for pages := 0; ; pages++ {
		if pages > 500 {
			t.Fatal("paging does not end")
		}
		page := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.User, error) { return tx.Users(q) })
		all = append(all, page...)
		if len(page) < limit {
			return all
		}
		q.After = rollcall.CursorOf(q, page[len(page)-1])
	}
}

var sortFields = []rollcall.UserField{
	rollcall.UserID, rollcall.UserKey, rollcall.UserEmail, rollcall.UserGivenName, rollcall.UserFamilyName,
	rollcall.UserFullName, rollcall.UserType, rollcall.UserStatus, rollcall.UserEnrollment,
	rollcall.UserStorageLimit, rollcall.UserStorageUsed, rollcall.UserCreatedAt,
}

func testQueryMatrix(t *testing.T, s rollcall.Store) {
	users := queryUsers(160)
	for _, u := range users {
		MustInsert(t, s, u)
	}
	filters := map[string]rollcall.UserQuery{
		"directory":          {DirectoryID: "A"},
		"tenant":             {TenantID: TenantID},
		"whole store":        {},
		"tenant and kind":    {TenantID: TenantID, Kind: rollcall.DirChime},
		"other kind":         {TenantID: TenantID, Kind: rollcall.DirWorkDocs},
		"IDs":                {DirectoryID: "A", IDs: []string{users[0].ID, users[4].ID, users[1].ID, "nobody"}},
		"keys":               {DirectoryID: "A", Keys: []string{users[0].Key, users[8].Key, "k01"}},
		"emails, any case":   {DirectoryID: "A", Emails: []string{"ADA1@example.com", "zed2@EXAMPLE.com"}},
		"given names":        {DirectoryID: "A", GivenNames: []string{"Ada", "Márcia"}},
		"family names":       {DirectoryID: "A", FamilyNames: []string{"hopper"}},
		"user types":         {DirectoryID: "A", UserTypes: []string{"ADMIN", "SharedDevice"}},
		"statuses":           {DirectoryID: "A", Statuses: []string{"ACTIVE", "PENDING"}},
		"enrollments":        {DirectoryID: "A", Enrollments: []string{"INITIALIZED"}},
		"search, one term":   {DirectoryID: "A", Search: rollcall.SearchTerms("ma")},
		"search, two terms":  {DirectoryID: "A", Search: rollcall.SearchTerms("MA j")},
		"search, accents":    {DirectoryID: "A", Search: rollcall.SearchTerms("ostl")},
		"search, username":   {DirectoryID: "A", Search: rollcall.SearchTerms("grace3")},
		"search, no match":   {DirectoryID: "A", Search: rollcall.SearchTerms("xyz")},
		"search and status":  {DirectoryID: "A", Search: rollcall.SearchTerms("a"), Statuses: []string{"ACTIVE"}},
		"filters on a store": {Statuses: []string{"INACTIVE"}, Enrollments: []string{"PENDING", "REGISTERED"}},
	}
	for name, f := range filters {
		want := wantQuery(users, f)
		if n := mustRead(t, s, func(tx rollcall.Tx) (int, error) { return tx.CountUsers(f) }); n != len(want) {
			t.Errorf("%s: CountUsers = %d, want %d", name, n, len(want))
		}
		sorts := [][]rollcall.UserSort{nil}
		for _, field := range sortFields {
			for _, desc := range []bool{false, true} {
				sorts = append(sorts, []rollcall.UserSort{{Field: field, Descending: desc}})
			}
		}
		sorts = append(sorts,
			[]rollcall.UserSort{{Field: rollcall.UserFamilyName, Descending: true}, {Field: rollcall.UserGivenName}},
			[]rollcall.UserSort{{Field: rollcall.UserStatus}, {Field: rollcall.UserStorageUsed, Descending: true}, {Field: rollcall.UserID, Descending: true}},
			[]rollcall.UserSort{{Field: rollcall.UserFullName, Descending: true}, {Field: rollcall.UserID, Descending: true}},
			[]rollcall.UserSort{{Field: rollcall.UserEnrollment}, {Field: rollcall.UserKey, Descending: true}},
		)
		for _, sort := range sorts {
			q := f
			q.Sort = sort
			want := wantQuery(users, q)
			for _, limit := range []int{1, 7, 1000} {
				got := walk(t, s, q, limit)
				wantIDs(t, fmt.Sprintf("%s, sort %v, pages of %d", name, sort, limit), ids(got, userID), ids(want, userID))
			}
		}
	}
}

// testQueryAlexaDescending pages an Alexa for Business directory's users by each of its
// sort keys descending, ties by ascending ID (read group by group from the ascending
// index since migration 0310), with the product's filters: pages of 1 and 2 end inside
// groups of equal values and across their boundaries, and a set filter on the key
// itself leaves out whole groups.
func testQueryAlexaDescending(t *testing.T, s rollcall.Store) {
	users := queryUsers(160)
	for _, u := range users {
		u.Kind = rollcall.DirAlexa
		MustInsert(t, s, u)
	}
	filters := map[string]rollcall.UserQuery{
		"none":                   {},
		"given names":            {GivenNames: []string{"Márcia", "", "Ada", "nobody"}},
		"family names":           {FamilyNames: []string{"hopper", "Lovelace"}},
		"enrollments":            {Enrollments: []string{"PENDING", "", "INITIALIZED"}},
		"one enrollment":         {Enrollments: []string{"REGISTERED"}},
		"search":                 {Search: rollcall.SearchTerms("a")},
		"search, no match":       {Search: rollcall.SearchTerms("xyz")},
		"given names and search": {GivenNames: []string{"Grace", "grace", "Ada"}, Search: rollcall.SearchTerms("ho")},
	}
	for name, f := range filters {
		for _, dir := range []string{"A", "C", "none"} {
			for _, field := range []rollcall.UserField{rollcall.UserEmail, rollcall.UserGivenName, rollcall.UserFamilyName, rollcall.UserEnrollment} {
				q := f
				q.DirectoryID, q.Kind = dir, rollcall.DirAlexa
				q.Sort = []rollcall.UserSort{{Field: field, Descending: true}}
				want := wantQuery(users, q)
				if dir == "A" && name == "none" && len(want) < 30 {
					t.Fatalf("directory A holds %d users", len(want))
				}
				for _, limit := range []int{1, 2, 7, 1000} {
					got := walk(t, s, q, limit)
					wantIDs(t, fmt.Sprintf("%s, directory %s, %s descending, pages of %d", name, dir, field, limit), ids(got, userID), ids(want, userID))
				}
			}
		}
	}
}

func testQueryByHand(t *testing.T, s rollcall.Store) {
	mk := func(id, given, family string, mod func(*rollcall.User)) *rollcall.User {
		u := NewUser("A", id, "key-"+id)
		u.GivenName, u.FamilyName, u.Username = given, family, strings.ToLower(given)
		if mod != nil {
			mod(u)
		}
		return u
	}
	unlimited := func(u *rollcall.User) { u.ProductKeys.StorageLimit = math.MaxInt64 }
	small := func(u *rollcall.User) { u.ProductKeys.StorageLimit = 10 }
	initialized := func(u *rollcall.User) { u.ProductKeys.Enrollment = "INITIALIZED" }
	MustInsert(t, s,
		mk("u1", "Márcia", "Silva", unlimited),
		mk("u2", "mateo", "Jackson", small),
		mk("u3", "Zoë", "Álvarez", initialized),
		mk("u4", "Ada", "Lovelace", nil),
	)
	for _, c := range []struct {
		name string
		q    rollcall.UserQuery
		want []string
	}{
		{"full name ignores case and accents", rollcall.UserQuery{DirectoryID: "A", Sort: []rollcall.UserSort{{Field: rollcall.UserFullName}}}, []string{"u4", "u1", "u2", "u3"}},
		{"given name is bytewise", rollcall.UserQuery{DirectoryID: "A", Sort: []rollcall.UserSort{{Field: rollcall.UserGivenName}}}, []string{"u4", "u1", "u3", "u2"}},
		{"the largest limit last", rollcall.UserQuery{DirectoryID: "A", Sort: []rollcall.UserSort{{Field: rollcall.UserStorageLimit, Descending: true}}}, []string{"u1", "u3", "u4", "u2"}},
		{"ma finds Márcia and mateo", rollcall.UserQuery{DirectoryID: "A", Search: rollcall.SearchTerms("MA")}, []string{"u1", "u2"}},
		{"ma j finds mateo Jackson", rollcall.UserQuery{DirectoryID: "A", Search: rollcall.SearchTerms("ma j")}, []string{"u2"}},
		{"a word's middle is no prefix", rollcall.UserQuery{DirectoryID: "A", Search: rollcall.SearchTerms("ilva")}, nil},
		{"alv finds Álvarez", rollcall.UserQuery{DirectoryID: "A", Search: rollcall.SearchTerms("alv")}, []string{"u3"}},
		{"enrollment is exact", rollcall.UserQuery{DirectoryID: "A", Enrollments: []string{"INITIALIZED"}}, []string{"u3"}},
	} {
		got := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.User, error) { return tx.Users(c.q) })
		wantIDs(t, c.name, ids(got, userID), c.want)
	}
}

func testQueryKeysFollowUpdates(t *testing.T, s rollcall.Store) {
	u := NewUser("A", "u1", "k1")
	MustInsert(t, s, u)
	u.GivenName, u.FamilyName, u.ProductKeys.StorageUsed = "Érica", "Nuñez", 99
	if err := s.Update(context.Background(), func(tx rollcall.Tx) error { return tx.UpdateUser(u) }); err != nil {
		t.Fatal(err)
	}
	for _, q := range []rollcall.UserQuery{
		{DirectoryID: "A", Search: rollcall.SearchTerms("eri nun")},
		{DirectoryID: "A", After: &rollcall.UserCursor{Values: []rollcall.SortValue{{N: 98}, {S: ""}}}, Sort: []rollcall.UserSort{{Field: rollcall.UserStorageUsed}}},
		{DirectoryID: "A", After: &rollcall.UserCursor{Values: []rollcall.SortValue{{S: "erica nunez"}, {S: ""}}}, Sort: []rollcall.UserSort{{Field: rollcall.UserFullName}}},
	} {
		got := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.User, error) { return tx.Users(q) })
		wantIDs(t, fmt.Sprintf("after the update, %+v", q), ids(got, userID), []string{"u1"})
	}
	if got := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.User, error) {
		return tx.Users(rollcall.UserQuery{DirectoryID: "A", Search: rollcall.SearchTerms("ada")})
	}); len(got) != 0 {
		t.Errorf("the old name still finds the user")
	}
}

func testQueryInvalid(t *testing.T, s rollcall.Store) {
	for name, q := range map[string]rollcall.UserQuery{
		"unknown field":  {DirectoryID: "A", Sort: []rollcall.UserSort{{Field: "attrs"}}},
		"short cursor":   {DirectoryID: "A", Sort: []rollcall.UserSort{{Field: rollcall.UserFullName}}, After: rollcall.AfterID("u1")},
		"cursor too far": {DirectoryID: "A", After: &rollcall.UserCursor{Values: []rollcall.SortValue{{S: "a"}, {S: "b"}}}},
	} {
		err := s.View(context.Background(), func(tx rollcall.Tx) error { _, err := tx.Users(q); return err })
		if !rollcall.IsKind(err, rollcall.Invalid) {
			t.Errorf("%s: %v, want Invalid", name, err)
		}
	}
}

// testDirectoriesNamed: a name prefix, bytewise (case and accents count), by ID, paged.
func testDirectoriesNamed(t *testing.T, s rollcall.Store) {
	mk := func(id, name string, kind rollcall.DirectoryKind, tenant string) *rollcall.Directory {
		d := NewDirectory(id)
		d.Name, d.Kind, d.TenantID = name, kind, tenant
		return d
	}
	MustInsert(t, s,
		mk("d5", "Acme", rollcall.DirChime, TenantID),
		mk("d1", "Acme Labs", rollcall.DirChime, TenantID),
		mk("d3", "acme", rollcall.DirChime, TenantID),
		mk("d2", "Ácme", rollcall.DirChime, TenantID),
		mk("d4", "Acm", rollcall.DirChime, TenantID),
		mk("d6", "Acme docs", rollcall.DirWorkDocs, TenantID),
		mk("d7", "Acme", rollcall.DirChime, "999999999999"),
		mk("d8", "Acme\U0010FFFFz", rollcall.DirChime, TenantID),
	)
	for _, c := range []struct {
		prefix, after string
		limit         int
		want          []string
	}{
		{"Acme", "", 0, []string{"d1", "d5", "d8"}},
		{"Acme", "d1", 1, []string{"d5"}},
		{"Acme ", "", 0, []string{"d1"}},
		{"Ác", "", 0, []string{"d2"}},
		{"A", "", 2, []string{"d1", "d4"}},
		{"acme labs", "", 0, nil},
		{"Acme\U0010FFFF", "", 0, []string{"d8"}},
	} {
		got := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Directory, error) {
			return tx.DirectoriesNamed(TenantID, rollcall.DirChime, c.prefix, c.after, c.limit)
		})
		wantIDs(t, fmt.Sprintf("DirectoriesNamed(%q, after %q, limit %d)", c.prefix, c.after, c.limit),
			ids(got, func(d *rollcall.Directory) string { return d.ID }), c.want)
	}
}

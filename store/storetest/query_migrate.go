package storetest

import (
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
)

// LegacyQueryUsers are users a database holds from before the store kept derived keys
// (migration 0150): a backend's test writes them, takes its schema back to before that
// migration, opens the store again, and checks WantLegacyUsersQueried. Their product
// keys are not set: the migration derives them from the documents, as that release wrote
// them (storage and enrollment members).
func LegacyQueryUsers() []any {
	mk := func(id, given, family string, mod func(*rollcall.User)) *rollcall.User {
		u := NewUser("A", id, "key-"+id)
		u.GivenName, u.FamilyName, u.Username = given, family, "user-"+id
		if mod != nil {
			mod(u)
		}
		return u
	}
	return []any{
		mk("u1", "Zoë", "Álvarez", nil),
		mk("u2", "mateo", "Jackson", func(u *rollcall.User) {
			u.Attrs = strings.Replace(u.Attrs, `"enrollmentStatus":"PENDING",`, "", 1)
		}),
		mk("u3", "Márcia", "Silva", func(u *rollcall.User) {
			u.Attrs = strings.Replace(u.Attrs, `"storageType":"QUOTA","storageAllocatedInBytes":1099511627776,"storageUtilizedInBytes":12345`,
				`"storageType":"UNLIMITED","storageUtilizedInBytes":1`, 1)
		}),
	}
}

// WantLegacyUsersQueried checks that the users of LegacyQueryUsers answer the queries
// that read derived keys: the migration computed them.
func WantLegacyUsersQueried(t *testing.T, s rollcall.Store) {
	t.Helper()
	for _, c := range []struct {
		name string
		q    rollcall.UserQuery
		want []string
	}{
		{"search", rollcall.UserQuery{DirectoryID: "A", Search: rollcall.SearchTerms("ma")}, []string{"u2", "u3"}},
		{"full name", rollcall.UserQuery{DirectoryID: "A", Sort: []rollcall.UserSort{{Field: rollcall.UserFullName}}}, []string{"u3", "u2", "u1"}},
		{"storage limit", rollcall.UserQuery{DirectoryID: "A", Sort: []rollcall.UserSort{{Field: rollcall.UserStorageLimit, Descending: true}}}, []string{"u3", "u1", "u2"}},
		{"storage used", rollcall.UserQuery{DirectoryID: "A", Sort: []rollcall.UserSort{{Field: rollcall.UserStorageUsed}}}, []string{"u3", "u1", "u2"}},
		{"enrollment", rollcall.UserQuery{DirectoryID: "A", Enrollments: []string{"INITIALIZED"}}, []string{"u2"}},
	} {
		got := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.User, error) { return tx.Users(c.q) })
		wantIDs(t, "after the migration, "+c.name, ids(got, userID), c.want)
	}
}

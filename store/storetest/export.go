package storetest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// exportFixture is a store's worth of every kind of row, across two AWS tenants and a
// business, inserted out of key order so the listings must sort.
type exportFixture struct {
	tenants     []*rollcall.Tenant
	keys        []*rollcall.AccessKey
	tokens      []*rollcall.AccessToken
	directories []*rollcall.Directory
	groups      []*rollcall.Group
	users       []*rollcall.User
	idempotency []*rollcall.IdempotencyRecord
	messages    []*rollcall.Message
	invitations []*rollcall.Invitation
}

func newExportFixture() *exportFixture {
	var f exportFixture
	biz := &rollcall.Tenant{ID: "biz-1", Kind: rollcall.TenantBusiness, Name: "Business", CreatedAt: T0}
	f.tenants = []*rollcall.Tenant{NewTenant("222222222222"), NewTenant(TenantID), biz}
	temp := NewAccessKey("ASIATEMP")
	temp.TenantID, temp.SessionTokenHash, temp.ExpiresAt = "222222222222", "sha-session", T0.Add(time.Hour)
	f.keys = []*rollcall.AccessKey{temp, NewAccessKey("AKIA2"), NewAccessKey("AKIA1")}
	never := NewAccessToken("hash-b", "biz-dir")
	never.ExpiresAt, never.Kind = time.Time{}, "client"
	f.tokens = []*rollcall.AccessToken{never, NewAccessToken("hash-a", "biz-dir")}
	other := NewDirectory("chime-2")
	other.TenantID = "222222222222"
	bizDir := &rollcall.Directory{ID: "biz-dir", TenantID: "biz-1", Kind: rollcall.DirBusiness, Name: "Business",
		CreatedAt: T0, UpdatedAt: T0, Attrs: `{"defaultGroupId":"g1","defaultRole":"Requisitioner"}`}
	f.directories = []*rollcall.Directory{other, bizDir, NewDirectory("chime-1")}
	f.groups = []*rollcall.Group{NewGroup("biz-dir", "g2", ""), NewGroup("biz-dir", "g1", "finance"), NewGroup("biz-dir", "g0", "ops")}
	u3 := NewUser("chime-2", "u3", "grace")
	u3.TenantID = "222222222222"
	u3.Attrs, u3.ProductKeys = "", rollcall.ProductKeys{}
	f.users = []*rollcall.User{u3, NewUser("chime-1", "u1", "ada"), NewUser("chime-1", "u2", "alan"), NewUser("biz-dir", "u0", "bob")}
	f.idempotency = []*rollcall.IdempotencyRecord{NewIdempotency("a4b:2", "t1"), NewIdempotency("a4b:1", "t2"), NewIdempotency("a4b:1", "t1")}
	sentAt := T0.Add(time.Minute)
	sent := NewMessage("m2", TenantID, T0.Add(time.Second))
	sent.Status, sent.SentAt, sent.Attempts = rollcall.MessageSent, &sentAt, 1
	f.messages = []*rollcall.Message{NewMessage("m1", TenantID, T0), sent}
	used := T0.Add(time.Hour)
	inv := NewInvitation("i2", "th-2", "chime-1")
	inv.UsedAt = &used
	f.invitations = []*rollcall.Invitation{inv, NewInvitation("i1", "th-1", "biz-dir")}
	return &f
}

func (f *exportFixture) all() []any {
	var out []any
	out = appendAll(out, f.tenants)
	out = appendAll(out, f.keys)
	out = appendAll(out, f.tokens)
	out = appendAll(out, f.directories)
	out = appendAll(out, f.groups)
	out = appendAll(out, f.users)
	out = appendAll(out, f.idempotency)
	out = appendAll(out, f.messages)
	return appendAll(out, f.invitations)
}

// appendAll appends every value of list to out.
func appendAll[T any](out []any, list []*T) []any {
	for _, v := range list {
		out = append(out, v)
	}
	return out
}

// sorted returns a copy of list ordered by key.
func sorted[T any](list []*T, key func(*T) string) []*T {
	out := append([]*T(nil), list...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && key(out[j]) < key(out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

var exportTests = []testCase{
	{"Empty", func(t *testing.T, s rollcall.Store) {
		MustView(t, s, func(tx rollcall.Tx) error {
			ks, err1 := tx.AccessKeys()
			ts, err2 := tx.AccessTokens()
			ds, err3 := tx.AllDirectories()
			gs, err4 := tx.AllGroups()
			us, err5 := tx.AllUsers("", 0)
			rs, err6 := tx.IdempotencyRecords()
			is, err7 := tx.Invitations()
			ss, err8 := tx.Settings()
			for i, err := range []error{err1, err2, err3, err4, err5, err6, err7, err8} {
				if err != nil {
					return fmt.Errorf("listing %d of an empty store: %w", i+1, err)
				}
			}
			if n := len(ks) + len(ts) + len(ds) + len(gs) + len(us) + len(rs) + len(is) + len(ss); n != 0 {
				return fmt.Errorf("an empty store lists %d rows", n)
			}
			return nil
		})
	}},
	{"ListsEverything", func(t *testing.T, s rollcall.Store) {
		f := newExportFixture()
		MustInsert(t, s, f.all()...)
		keys := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.AccessKey, error) { return tx.AccessKeys() })
		WantEqual(t, "AccessKeys", keys, sorted(f.keys, func(k *rollcall.AccessKey) string { return k.ID }))
		tokens := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.AccessToken, error) { return tx.AccessTokens() })
		WantEqual(t, "AccessTokens", tokens, sorted(f.tokens, func(k *rollcall.AccessToken) string { return k.Hash }))
		dirs := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Directory, error) { return tx.AllDirectories() })
		WantEqual(t, "AllDirectories", dirs, sorted(f.directories, directoryID))
		groups := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Group, error) { return tx.AllGroups() })
		WantEqual(t, "AllGroups", groups, sorted(f.groups, func(g *rollcall.Group) string { return g.DirectoryID + "\x00" + g.ID }))
		users := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.User, error) { return tx.AllUsers("", 0) })
		WantEqual(t, "AllUsers", users, sorted(f.users, func(u *rollcall.User) string { return u.ID }))
		recs := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.IdempotencyRecord, error) { return tx.IdempotencyRecords() })
		WantEqual(t, "IdempotencyRecords", recs, sorted(f.idempotency, func(r *rollcall.IdempotencyRecord) string { return r.Scope + "\x00" + r.Token }))
		invs := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Invitation, error) { return tx.Invitations() })
		WantEqual(t, "Invitations", invs, sorted(f.invitations, func(i *rollcall.Invitation) string { return i.ID }))
		msgs := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Message, error) { return tx.Messages(rollcall.MessageFilter{}) })
		WantEqual(t, "Messages (all tenants)", msgs, []*rollcall.Message{f.messages[1], f.messages[0]})
	}},
	{"AllUsersPages", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewDirectory("A"), NewDirectory("B"))
		var want []string
		for i := range 7 {
			dir := []string{"A", "B"}[i%2]
			id := fmt.Sprintf("u%d", i)
			MustInsert(t, s, NewUser(dir, id, "k"+id))
			want = append(want, id)
		}
		var got []string
		after := ""
		for page := 0; ; page++ {
			if page > 10 {
				t.Fatal("AllUsers does not stop")
			}
			users := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.User, error) { return tx.AllUsers(after, 3) })
			if len(users) > 3 {
				t.Fatalf("a page of limit 3 has %d users", len(users))
			}
			if len(users) == 0 {
				break
			}
			for _, u := range users {
				got = append(got, u.ID)
			}
			after = users[len(users)-1].ID
		}
		wantIDs(t, "AllUsers pages", got, want)
	}},
	{"Settings", func(t *testing.T, s rollcall.Store) {
		_, err := read(t, s, func(tx rollcall.Tx) (string, error) { return tx.Setting("page-token-key") })
		WantKind(t, "Setting of a name never set", err, rollcall.NotFound)
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.InsertSetting("page-token-key", "first") })
		err = update(s, func(tx rollcall.Tx) error { return tx.InsertSetting("page-token-key", "second") })
		WantKind(t, "InsertSetting of a name set", err, rollcall.Conflict)
		// A Conflict undoes that write only: the transaction goes on.
		MustUpdate(t, s, func(tx rollcall.Tx) error {
			if err := tx.InsertSetting("page-token-key", "third"); !rollcall.IsKind(err, rollcall.Conflict) {
				return fmt.Errorf("InsertSetting of a name set: %v, want Conflict", err)
			}
			return tx.InsertSetting("other", strings.Repeat("v", 100))
		})
		got := mustRead(t, s, func(tx rollcall.Tx) (string, error) { return tx.Setting("page-token-key") })
		if got != "first" {
			t.Fatalf("Setting = %q, want the first value", got)
		}
		all := mustRead(t, s, func(tx rollcall.Tx) (map[string]string, error) { return tx.Settings() })
		WantEqual(t, "Settings", all, map[string]string{"page-token-key": "first", "other": strings.Repeat("v", 100)})
	}},
	{"SettingRace", func(t *testing.T, s rollcall.Store) {
		// Replicas starting at once each insert-if-absent, then read back: all agree.
		values := make([]string, Goroutines)
		errs := AtOnce(Goroutines, func(i int) error {
			return update(s, func(tx rollcall.Tx) error {
				err := tx.InsertSetting("key", fmt.Sprintf("v%02d", i))
				if err != nil && !rollcall.IsKind(err, rollcall.Conflict) {
					return err
				}
				v, err := tx.Setting("key")
				values[i] = v
				return err
			})
		})
		for i, err := range errs {
			if err != nil {
				t.Fatalf("goroutine %d: %v", i, err)
			}
		}
		stored := mustRead(t, s, func(tx rollcall.Tx) (string, error) { return tx.Setting("key") })
		for i, v := range values {
			if v != stored {
				t.Fatalf("goroutine %d read %q, the store holds %q", i, v, stored)
			}
		}
	}},
}

// EveryKind returns one store's worth of rows of every kind, across two AWS tenants and
// a business, for tests that move a whole store (store/transfer): pass it to
// MustInsert.
func EveryKind() []any { return newExportFixture().all() }

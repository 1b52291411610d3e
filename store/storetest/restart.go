package storetest

import (
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// restartTests get the Opener's open function: they close a Store and open the same
// database again.
var restartTests = []struct {
	name string
	fn   func(t *testing.T, open func() rollcall.Store)
}{
	{"DataSurvivesReopen", testReopen},
	{"IdempotencySurvivesReopen", testIdempotencyReopen},
	{"ReopenEmpty", func(t *testing.T, open func() rollcall.Store) {
		for range 3 {
			s := open()
			if err := s.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
		}
		s := MustOpen(t, open)
		all := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Tenant, error) { return tx.Tenants() })
		if len(all) != 0 {
			t.Fatalf("a store opened and closed three times has %d tenants", len(all))
		}
		MustInsert(t, s, NewTenant(TenantID))
	}},
}

// everything returns one value of every kind the store keeps.
func everything() []any {
	biz := &rollcall.Directory{ID: "biz", TenantID: "biz", Kind: rollcall.DirBusiness, Name: "Business", CreatedAt: T0, UpdatedAt: T0,
		Attrs: `{"defaultGroupId":"g1","defaultRole":"Requisitioner"}`}
	temp := NewAccessKey("ASIA1")
	temp.SessionTokenHash, temp.ExpiresAt = "session", T0.Add(time.Hour)
	used := NewInvitation("i2", "h2", "biz")
	used.UsedAt = &T0
	sent := NewMessage("m2", "biz", T0.Add(time.Second))
	sent.Status, sent.SentAt = rollcall.MessageSent, &T0
	return []any{
		NewTenant(TenantID), NewAccessKey("AKIA1"), temp, NewAccessToken("tok", "biz"),
		NewDirectory("A"), biz, NewGroup("biz", "g1", "default"), NewGroup("biz", "g2", ""),
		NewUser("A", "u1", "ada"), NewUser("biz", "u2", "grace"),
		NewIdempotency("a4b:"+TenantID, "tok"), NewMessage("m1", "biz", T0), sent,
		NewInvitation("i1", "h1", "biz"), used,
	}
}

// readBack reads v's stored counterpart.
func readBack(tx rollcall.Tx, v any) (any, error) {
	switch v := v.(type) {
	case *rollcall.Tenant:
		return tx.Tenant(v.ID)
	case *rollcall.AccessKey:
		return tx.AccessKey(v.ID)
	case *rollcall.AccessToken:
		return tx.AccessToken(v.Hash)
	case *rollcall.Directory:
		return tx.Directory(v.ID)
	case *rollcall.Group:
		return tx.Group(v.DirectoryID, v.ID)
	case *rollcall.User:
		return tx.User(v.DirectoryID, v.ID)
	case *rollcall.IdempotencyRecord:
		return tx.Idempotency(v.Scope, v.Token)
	case *rollcall.Message:
		return tx.Message(v.ID)
	case *rollcall.Invitation:
		return tx.InvitationByTokenHash(v.TokenHash)
	}
	panic("storetest: cannot read back a value of this type")
}

func testReopen(t *testing.T, open func() rollcall.Store) {
	s := open()
	values := everything()
	MustInsert(t, s, values...)
	// A rolled-back Update leaves nothing behind, across a restart too.
	if err := update(s, func(tx rollcall.Tx) error {
		if err := tx.InsertUser(NewUser("A", "rolled-back", "rolled-back")); err != nil {
			return err
		}
		return errSentinel
	}); err == nil {
		t.Fatal("an Update whose fn failed succeeded")
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	s = MustOpen(t, open)
	MustView(t, s, func(tx rollcall.Tx) error {
		for _, want := range values {
			got, err := readBack(tx, want)
			if err != nil {
				t.Errorf("%T after reopen: %v", want, err)
				continue
			}
			WantEqual(t, "value after reopen", got, want)
		}
		_, err := tx.User("A", "rolled-back")
		WantKind(t, "user of a rolled-back Update, after reopen", err, rollcall.NotFound)
		return nil
	})
	// The constraints survive too, and the store takes writes.
	WantKind(t, "InsertUser of a taken key after reopen",
		update(s, func(tx rollcall.Tx) error { return tx.InsertUser(NewUser("A", "u9", "ada")) }), rollcall.Conflict)
	WantKind(t, "PutGroup of a taken tag after reopen",
		update(s, func(tx rollcall.Tx) error { return tx.PutGroup(NewGroup("biz", "g9", "default")) }), rollcall.Conflict)
	MustInsert(t, s, NewUser("A", "u3", "linus"))
}

package rollcall_test

import (
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/coretest"
	"github.com/rollcall/rollcall/store/storetest"
)

// TestDeleteDirectoryPolicy is the policy of rollcall.DeleteDirectory, on a real store
// (SQLite with the dev seed; the primitives it uses are proven on every backend by
// storetest): the directory goes
// with its users, groups, invitations and access tokens; its outbox messages, the
// tenant's idempotency records and every other directory stay; a failed transaction
// keeps everything.
func TestDeleteDirectoryPolicy(t *testing.T) {
	s := coretest.Must(t, &storetest.T0).Core.Store
	m := storetest.NewMessage("m1", storetest.TenantID, storetest.T0)
	m.DirectoryID, m.UserID = "A", "a1"
	storetest.MustInsert(t, s, storetest.NewDirectory("A"), storetest.NewDirectory("B"),
		storetest.NewUser("A", "a1", "ada"), storetest.NewUser("A", "a2", "grace"), storetest.NewUser("B", "b1", "ada"),
		storetest.NewGroup("A", "g1", "tag"), storetest.NewGroup("A", "g2", ""), storetest.NewGroup("B", "g1", "tag"),
		storetest.NewInvitation("ia", "hash-a", "A"), storetest.NewInvitation("ib", "hash-b", "B"),
		storetest.NewAccessToken("tok-a", "A"), storetest.NewAccessToken("tok-b", "B"),
		storetest.NewIdempotency("a4b:"+storetest.TenantID, "token"), m)

	type check struct {
		what string
		fn   func(tx rollcall.Tx) error
	}
	gone := []check{
		{"directory", func(tx rollcall.Tx) error { _, err := tx.Directory("A"); return err }},
		{"user", func(tx rollcall.Tx) error { _, err := tx.User("A", "a1"); return err }},
		{"user by key", func(tx rollcall.Tx) error { _, err := tx.UserByKey("A", "grace"); return err }},
		{"group", func(tx rollcall.Tx) error { _, err := tx.Group("A", "g2"); return err }},
		{"group by tag", func(tx rollcall.Tx) error { _, err := tx.GroupByTag("A", "tag"); return err }},
		{"invitation", func(tx rollcall.Tx) error { _, err := tx.InvitationByTokenHash("hash-a"); return err }},
		{"access token", func(tx rollcall.Tx) error { _, err := tx.AccessToken("tok-a"); return err }},
	}
	stays := []check{
		{"other directory", func(tx rollcall.Tx) error { _, err := tx.Directory("B"); return err }},
		{"other directory's user with the same key", func(tx rollcall.Tx) error { _, err := tx.UserByKey("B", "ada"); return err }},
		{"other directory's group with the same tag", func(tx rollcall.Tx) error { _, err := tx.GroupByTag("B", "tag"); return err }},
		{"other directory's invitation", func(tx rollcall.Tx) error { _, err := tx.InvitationByTokenHash("hash-b"); return err }},
		{"other directory's access token", func(tx rollcall.Tx) error { _, err := tx.AccessToken("tok-b"); return err }},
		{"message (outbox history)", func(tx rollcall.Tx) error { _, err := tx.Message("m1"); return err }},
		{"idempotency record", func(tx rollcall.Tx) error {
			_, err := tx.Idempotency("a4b:"+storetest.TenantID, "token")
			return err
		}},
	}

	// A transaction that fails after the deletion keeps everything.
	err := s.Update(t.Context(), func(tx rollcall.Tx) error {
		if err := rollcall.DeleteDirectory(tx, "A"); err != nil {
			return err
		}
		return &rollcall.Error{Kind: rollcall.Conflict, Message: "fail on purpose"}
	})
	storetest.WantKind(t, "an Update that fails after DeleteDirectory", err, rollcall.Conflict)
	for _, c := range append(gone, stays...) {
		if err := s.View(t.Context(), c.fn); err != nil {
			t.Errorf("%s after a rolled-back DeleteDirectory: %v", c.what, err)
		}
	}

	storetest.MustUpdate(t, s, func(tx rollcall.Tx) error { return rollcall.DeleteDirectory(tx, "A") })
	for _, c := range gone {
		storetest.WantKind(t, c.what+" of a deleted directory", s.View(t.Context(), c.fn), rollcall.NotFound)
	}
	for _, c := range stays {
		if err := s.View(t.Context(), c.fn); err != nil {
			t.Errorf("%s after DeleteDirectory(A): %v", c.what, err)
		}
	}
	err = s.Update(t.Context(), func(tx rollcall.Tx) error { return rollcall.DeleteDirectory(tx, "A") })
	storetest.WantKind(t, "DeleteDirectory again", err, rollcall.NotFound)
	// Every ID, key, tag and hash the directory held is free again.
	storetest.MustInsert(t, s, storetest.NewDirectory("A"), storetest.NewUser("A", "a1", "ada"),
		storetest.NewGroup("A", "g1", "tag"), storetest.NewInvitation("ia", "hash-a", "A"), storetest.NewAccessToken("tok-a", "A"))
}

// TestDirectoryOf: a directory of the caller's tenant and of the wanted kind is found
// without making the not-found error; another tenant's, one of another kind and a
// missing one are all that error, for the ID asked.
func TestDirectoryOf(t *testing.T) {
	s := coretest.Must(t, &storetest.T0).Core.Store
	storetest.MustInsert(t, s, storetest.NewDirectory("A"))
	made := 0
	notFound := func(id string) *rollcall.Error {
		made++
		return &rollcall.Error{Kind: rollcall.NotFound, Message: "no " + id}
	}
	owner := rollcall.Caller{TenantID: storetest.TenantID}
	err := s.View(t.Context(), func(tx rollcall.Tx) error {
		if d, err := rollcall.DirectoryOf(tx, owner, "A", rollcall.DirChime, notFound); err != nil || d.ID != "A" || made != 0 {
			t.Errorf("own directory: %v, %v; not-found errors made: %d", d, err, made)
		}
		for _, c := range []struct {
			name   string
			caller rollcall.Caller
			id     string
			kind   rollcall.DirectoryKind
		}{
			{"another tenant's", rollcall.Caller{TenantID: "999999999999"}, "A", rollcall.DirChime},
			{"of another kind", owner, "A", rollcall.DirWorkDocs},
			{"missing", owner, "B", rollcall.DirChime},
		} {
			d, err := rollcall.DirectoryOf(tx, c.caller, c.id, c.kind, notFound)
			if d != nil || rollcall.ErrorMessage(err) != "no "+c.id {
				t.Errorf("%s: %v, %v", c.name, d, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

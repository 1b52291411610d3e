package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

var errSentinel = errors.New("storetest: fn failed on purpose")

var txTests = []testCase{
	{"FnErrorRollsBackEverything", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewDirectory("A"), NewTenant("111111111111"))
		err := update(s, func(tx rollcall.Tx) error {
			renamed := NewTenant("111111111111")
			renamed.Name = "renamed"
			if err := insert(tx, NewUser("A", "u1", "ada"), NewMessage("m1", "A", T0), NewInvitation("i1", "h1", "A"),
				NewGroup("A", "g1", "tag"), NewIdempotency("s", "t"), NewAccessToken("tok", "A"), renamed); err != nil {
				return err
			}
			if err := rollcall.DeleteDirectory(tx, "A"); err != nil {
				return err
			}
			return fmt.Errorf("wrapped: %w", errSentinel)
		})
		if !errors.Is(err, errSentinel) {
			t.Fatalf("Update returned %v, want fn's error", err)
		}
		wantNothingFrom(t, s)
		got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.Tenant, error) { return tx.Tenant("111111111111") })
		WantEqual(t, "tenant whose Put was rolled back", got, NewTenant("111111111111"))
		mustRead(t, s, func(tx rollcall.Tx) (*rollcall.Directory, error) { return tx.Directory("A") })
	}},
	{"FailedWriteRollsBackEarlierWrites", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewUser("A", "u0", "taken"))
		err := update(s, func(tx rollcall.Tx) error {
			if err := insert(tx, NewUser("A", "u1", "ada"), NewMessage("m1", "A", T0)); err != nil {
				return err
			}
			return tx.InsertUser(NewUser("A", "u2", "taken"))
		})
		WantKind(t, "Update whose last insert conflicts", err, rollcall.Conflict)
		wantNothingFrom(t, s)
	}},
	{"ConflictLeavesTxUsable", func(t *testing.T, s rollcall.Store) {
		// A write that fails with Conflict undoes itself only: fn may carry on, and what
		// it writes before and after commits.
		MustInsert(t, s, NewUser("A", "u0", "taken"))
		MustUpdate(t, s, func(tx rollcall.Tx) error {
			if err := tx.InsertUser(NewUser("A", "u1", "ada")); err != nil {
				return err
			}
			if err := tx.InsertUser(NewUser("A", "u2", "taken")); !rollcall.IsKind(err, rollcall.Conflict) {
				return fmt.Errorf("conflicting insert: %v, want Conflict", err)
			}
			if _, err := tx.User("A", "u2"); !rollcall.IsKind(err, rollcall.NotFound) {
				return fmt.Errorf("the conflicting user: %v, want NotFound", err)
			}
			return tx.InsertUser(NewUser("A", "u3", "grace"))
		})
		for _, id := range []string{"u0", "u1", "u3"} {
			if _, err := getUser(t, s, "A", id); err != nil {
				t.Fatalf("user %s: %v", id, err)
			}
		}
	}},
	{"ReadYourWrites", func(t *testing.T, s rollcall.Store) {
		MustUpdate(t, s, func(tx rollcall.Tx) error {
			u := NewUser("A", "u1", "ada")
			if err := tx.InsertUser(u); err != nil {
				return err
			}
			got, err := tx.UserByKey("A", "ada")
			if err != nil || got.ID != "u1" {
				return fmt.Errorf("UserByKey of a user inserted in this Update: %v, %v", got, err)
			}
			u.Status = "Suspended"
			if err := tx.UpdateUser(u); err != nil {
				return err
			}
			list, err := tx.Users(rollcall.UserQuery{DirectoryID: "A"})
			if err != nil || len(list) != 1 || list[0].Status != "Suspended" {
				return fmt.Errorf("Users after UpdateUser in this Update: %v, %v", list, err)
			}
			if err := tx.DeleteUser("A", "u1"); err != nil {
				return err
			}
			if _, err := tx.User("A", "u1"); !rollcall.IsKind(err, rollcall.NotFound) {
				return fmt.Errorf("User deleted in this Update: %v, want NotFound", err)
			}
			return nil
		})
	}},
	{"ViewCannotWrite", testViewCannotWrite},
	{"ViewReturnsFnError", func(t *testing.T, s rollcall.Store) {
		err := s.View(t.Context(), func(rollcall.Tx) error { return errSentinel })
		if !errors.Is(err, errSentinel) {
			t.Fatalf("View returned %v, want fn's error", err)
		}
	}},
	{"ViewSeesOneSnapshot", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewUser("A", "u1", "ada"))
		MustView(t, s, func(tx rollcall.Tx) error {
			before, err := tx.Users(rollcall.UserQuery{DirectoryID: "A"})
			if err != nil {
				return err
			}
			// Another transaction commits while this View is open...
			if err := update(s, func(tx rollcall.Tx) error {
				if err := tx.InsertUser(NewUser("A", "u2", "grace")); err != nil {
					return err
				}
				return tx.DeleteUser("A", "u1")
			}); err != nil {
				return err
			}
			// ...and the View does not see it.
			after, err := tx.Users(rollcall.UserQuery{DirectoryID: "A"})
			if err != nil {
				return err
			}
			if _, err := tx.User("A", "u1"); err != nil {
				t.Errorf("a user deleted after the View began: %v", err)
			}
			wantIDs(t, "users before and after a concurrent commit", ids(after, userID), ids(before, userID))
			return nil
		})
		got := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.User, error) { return tx.Users(rollcall.UserQuery{DirectoryID: "A"}) })
		wantIDs(t, "users in a new View", ids(got, userID), []string{"u2"})
	}},
	{"CanceledContext", func(t *testing.T, s rollcall.Store) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		err := s.Update(ctx, func(tx rollcall.Tx) error { return tx.InsertUser(NewUser("A", "u1", "ada")) })
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("Update with a canceled context: %v, want context.Canceled", err)
		}
		_, err = getUser(t, s, "A", "u1")
		WantKind(t, "user of an Update with a canceled context", err, rollcall.NotFound)
		err = s.View(ctx, func(tx rollcall.Tx) error { _, err := tx.Tenants(); return err })
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("View with a canceled context: %v, want context.Canceled", err)
		}
	}},
	{"LargeUpdate", func(t *testing.T, s rollcall.Store) {
		const n = 2000
		MustUpdate(t, s, func(tx rollcall.Tx) error {
			for i := range n {
				if err := tx.InsertUser(NewUser("A", fmt.Sprintf("u%05d", i), fmt.Sprintf("k%05d", i))); err != nil {
					return err
				}
			}
			return nil
		})
		got := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.User, error) { return tx.Users(rollcall.UserQuery{DirectoryID: "A"}) })
		if len(got) != n {
			t.Fatalf("%d users after one Update of %d inserts", len(got), n)
		}
	}},
}

// wantNothingFrom checks that none of what the rollback tests try to write is there.
func wantNothingFrom(t *testing.T, s rollcall.Store) {
	t.Helper()
	for _, c := range []struct {
		what string
		fn   func(tx rollcall.Tx) error
	}{
		{"user", func(tx rollcall.Tx) error { _, err := tx.User("A", "u1"); return err }},
		{"message", func(tx rollcall.Tx) error { _, err := tx.Message("m1"); return err }},
		{"invitation", func(tx rollcall.Tx) error { _, err := tx.InvitationByTokenHash("h1"); return err }},
		{"group", func(tx rollcall.Tx) error { _, err := tx.Group("A", "g1"); return err }},
		{"idempotency record", func(tx rollcall.Tx) error { _, err := tx.Idempotency("s", "t"); return err }},
		{"access token", func(tx rollcall.Tx) error { _, err := tx.AccessToken("tok"); return err }},
	} {
		WantKind(t, c.what+" written by a rolled-back Update", s.View(t.Context(), c.fn), rollcall.NotFound)
	}
}

// testViewCannotWrite calls every write method in a View: each returns an Internal
// error and writes nothing.
func testViewCannotWrite(t *testing.T, s rollcall.Store) {
	MustInsert(t, s, NewTenant(TenantID), NewDirectory("A"), NewUser("A", "u1", "ada"), NewMessage("m1", "A", T0),
		NewInvitation("i1", "h1", "A"), NewAccessToken("tok", "A"))
	renamedTenant := NewTenant(TenantID)
	renamedTenant.Name = "renamed"
	renamedDir := NewDirectory("A")
	renamedDir.Name = "renamed"
	changedUser := NewUser("A", "u1", "ada")
	changedUser.Status = "Suspended"
	sentMsg := NewMessage("m1", "A", T0)
	sentMsg.Status = rollcall.MessageSent
	usedInv := NewInvitation("i1", "h1", "A")
	usedInv.UsedAt = &T0
	MustInsert(t, s, NewSession("s1"))
	touched := NewSession("s1")
	touched.LastSeenAt = T0.Add(time.Minute)
	for _, c := range []struct {
		method string
		fn     func(tx rollcall.Tx) error
	}{
		{"PutTenant", func(tx rollcall.Tx) error { return tx.PutTenant(renamedTenant) }},
		{"PutAccessKey", func(tx rollcall.Tx) error { return tx.PutAccessKey(NewAccessKey("AKIA1")) }},
		{"InsertAccessToken", func(tx rollcall.Tx) error { return tx.InsertAccessToken(NewAccessToken("tok2", "A")) }},
		{"DeleteAccessToken", func(tx rollcall.Tx) error { return tx.DeleteAccessToken("tok") }},
		{"InsertDirectory", func(tx rollcall.Tx) error { return tx.InsertDirectory(NewDirectory("B")) }},
		{"UpdateDirectory", func(tx rollcall.Tx) error { return tx.UpdateDirectory(renamedDir) }},
		{"DeleteDirectoryRow", func(tx rollcall.Tx) error { return tx.DeleteDirectoryRow("A") }},
		{"DeleteDirectoryContents", func(tx rollcall.Tx) error { return tx.DeleteDirectoryContents("A", rollcall.DirectoryUsers) }},
		{"PutGroup", func(tx rollcall.Tx) error { return tx.PutGroup(NewGroup("A", "g1", "")) }},
		{"InsertUser", func(tx rollcall.Tx) error { return tx.InsertUser(NewUser("A", "u2", "grace")) }},
		{"UpdateUser", func(tx rollcall.Tx) error { return tx.UpdateUser(changedUser) }},
		{"DeleteUser", func(tx rollcall.Tx) error { return tx.DeleteUser("A", "u1") }},
		{"InsertIdempotency", func(tx rollcall.Tx) error { return tx.InsertIdempotency(NewIdempotency("s", "t")) }},
		{"DeleteIdempotency", func(tx rollcall.Tx) error { return tx.DeleteIdempotency("s", "t", T0.Add(time.Hour)) }},
		{"PurgeIdempotency", func(tx rollcall.Tx) error { _, err := tx.PurgeIdempotency(T0.Add(time.Hour), 10); return err }},
		{"InsertMessage", func(tx rollcall.Tx) error { return tx.InsertMessage(NewMessage("m2", "A", T0)) }},
		{"UpdateMessage", func(tx rollcall.Tx) error { return tx.UpdateMessage(sentMsg) }},
		{"InsertInvitation", func(tx rollcall.Tx) error { return tx.InsertInvitation(NewInvitation("i2", "h2", "A")) }},
		{"UpdateInvitation", func(tx rollcall.Tx) error { return tx.UpdateInvitation(usedInv) }},
		{"InsertSession", func(tx rollcall.Tx) error { return tx.InsertSession(NewSession("s2")) }},
		{"UpdateSession", func(tx rollcall.Tx) error { return tx.UpdateSession(touched) }},
		{"DeleteSession", func(tx rollcall.Tx) error { return tx.DeleteSession("s1") }},
		{"PurgeExpired", func(tx rollcall.Tx) error {
			_, err := tx.PurgeExpired(rollcall.PurgeCutoffs{Now: T0.Add(48 * time.Hour), SessionsIdleSince: T0.Add(48 * time.Hour), InvitationsExpiredBy: T0.Add(48 * time.Hour)})
			return err
		}},
	} {
		t.Run(c.method, func(t *testing.T) {
			var inner error
			err := s.View(t.Context(), func(tx rollcall.Tx) error {
				inner = c.fn(tx)
				return nil
			})
			if err != nil {
				t.Fatalf("View: %v", err)
			}
			WantKind(t, c.method+" in a View", inner, rollcall.Internal)
		})
	}
	// Nothing changed.
	MustView(t, s, func(tx rollcall.Tx) error {
		checks := []struct {
			what string
			ok   func() bool
		}{
			{"tenant", func() bool { v, err := tx.Tenant(TenantID); return err == nil && v.Name == NewTenant(TenantID).Name }},
			{"access key", func() bool { _, err := tx.AccessKey("AKIA1"); return rollcall.IsKind(err, rollcall.NotFound) }},
			{"access tokens", func() bool {
				_, err1 := tx.AccessToken("tok")
				_, err2 := tx.AccessToken("tok2")
				return err1 == nil && rollcall.IsKind(err2, rollcall.NotFound)
			}},
			{"directories", func() bool {
				v, err := tx.Directory("A")
				_, err2 := tx.Directory("B")
				return err == nil && v.Name == NewDirectory("A").Name && rollcall.IsKind(err2, rollcall.NotFound)
			}},
			{"groups", func() bool { v, err := tx.Groups("A"); return err == nil && len(v) == 0 }},
			{"users", func() bool {
				v, err := tx.Users(rollcall.UserQuery{DirectoryID: "A"})
				return err == nil && len(v) == 1 && v[0].Status == NewUser("A", "u1", "ada").Status
			}},
			{"idempotency", func() bool { _, err := tx.Idempotency("s", "t"); return rollcall.IsKind(err, rollcall.NotFound) }},
			{"messages", func() bool {
				v, err := tx.Messages(rollcall.MessageFilter{})
				return err == nil && len(v) == 1 && v[0].Status == rollcall.MessageQueued
			}},
			{"invitations", func() bool {
				v, err := tx.InvitationByTokenHash("h1")
				_, err2 := tx.InvitationByTokenHash("h2")
				return err == nil && v.UsedAt == nil && rollcall.IsKind(err2, rollcall.NotFound)
			}},
			{"sessions", func() bool {
				v, err := tx.Session("s1")
				_, err2 := tx.Session("s2")
				return err == nil && v.LastSeenAt.Equal(T0) && rollcall.IsKind(err2, rollcall.NotFound)
			}},
		}
		for _, c := range checks {
			if !c.ok() {
				t.Errorf("%s changed by writes in a View", c.what)
			}
		}
		return nil
	})
}

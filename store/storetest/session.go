package storetest

import (
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

var sessionTests = []testCase{
	{"RoundTrip", func(t *testing.T, s rollcall.Store) {
		ses := NewSession("s1")
		MustInsert(t, s, ses, NewSession("s2"))
		got, err := get(t, s, rollcall.Tx.Session, "s1")
		wantRead(t, "Session(s1)", got, err, ses)
		_, err = get(t, s, rollcall.Tx.Session, "nope")
		WantKind(t, "Session of a missing hash", err, rollcall.NotFound)
	}},
	{"InsertConflict", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewSession("s1"))
		other := NewSession("s1")
		other.Binding = "other"
		WantKind(t, "InsertSession of a taken hash", update(s, func(tx rollcall.Tx) error { return tx.InsertSession(other) }), rollcall.Conflict)
		got, _ := get(t, s, rollcall.Tx.Session, "s1")
		WantEqual(t, "the first session", got, NewSession("s1"))
	}},
	{"UpdateDelete", func(t *testing.T, s rollcall.Store) {
		ses := NewSession("s1")
		MustInsert(t, s, ses, NewSession("s2"))
		ses.LastSeenAt = T0.Add(5 * time.Minute)
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.UpdateSession(ses) })
		got, _ := get(t, s, rollcall.Tx.Session, "s1")
		WantEqual(t, "session after UpdateSession", got, ses)
		WantKind(t, "UpdateSession of a missing hash", update(s, func(tx rollcall.Tx) error { return tx.UpdateSession(NewSession("nope")) }), rollcall.NotFound)
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteSession("s1") })
		_, err := get(t, s, rollcall.Tx.Session, "s1")
		WantKind(t, "Session after DeleteSession", err, rollcall.NotFound)
		WantKind(t, "DeleteSession again", update(s, func(tx rollcall.Tx) error { return tx.DeleteSession("s1") }), rollcall.NotFound)
		if _, err := get(t, s, rollcall.Tx.Session, "s2"); err != nil {
			t.Fatalf("the other session: %v", err)
		}
	}},
	{"UserInvitations", func(t *testing.T, s rollcall.Store) {
		a, b, other := NewInvitation("i2", "h2", "A"), NewInvitation("i1", "h1", "A"), NewInvitation("i3", "h3", "A")
		b.UserID = a.UserID
		elsewhere := NewInvitation("i4", "h4", "B")
		elsewhere.UserID = a.UserID
		MustInsert(t, s, a, b, other, elsewhere)
		got := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Invitation, error) { return tx.UserInvitations("A", a.UserID) })
		wantIDs(t, "UserInvitations(A, "+a.UserID+")", ids(got, func(i *rollcall.Invitation) string { return i.ID }), []string{"i1", "i2"})
		WantEqual(t, "listed invitation", got[1], a)
		got = mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Invitation, error) { return tx.UserInvitations("A", "nobody") })
		wantIDs(t, "UserInvitations of a user without any", ids(got, func(i *rollcall.Invitation) string { return i.ID }), nil)
	}},
	{"CountMessages", func(t *testing.T, s rollcall.Store) {
		sent := NewMessage("m2", "A", T0.Add(time.Second))
		sent.Status = rollcall.MessageSent
		later := NewMessage("m3", "B", T0)
		later.NextAttempt = T0.Add(time.Hour)
		MustInsert(t, s, NewMessage("m1", "A", T0), sent, later)
		for _, c := range []struct {
			f    rollcall.MessageFilter
			want int
		}{
			{rollcall.MessageFilter{}, 3},
			{rollcall.MessageFilter{Limit: 1}, 3},
			{rollcall.MessageFilter{Status: rollcall.MessageQueued}, 2},
			{rollcall.MessageFilter{Status: rollcall.MessageFailed}, 0},
			{rollcall.MessageFilter{TenantID: "A"}, 2},
			{rollcall.MessageFilter{TenantID: "A", Status: rollcall.MessageSent}, 1},
			{rollcall.MessageFilter{Status: rollcall.MessageQueued, DueAt: T0}, 1},
		} {
			got := mustRead(t, s, func(tx rollcall.Tx) (int, error) { return tx.CountMessages(c.f) })
			if got != c.want {
				t.Errorf("CountMessages(%+v) = %d, want %d", c.f, got, c.want)
			}
		}
	}},
	{"OldestQueuedMessage", func(t *testing.T, s rollcall.Store) {
		oldest := func() time.Time {
			return mustRead(t, s, func(tx rollcall.Tx) (time.Time, error) { return tx.OldestQueuedMessage() })
		}
		if got := oldest(); !got.IsZero() {
			t.Fatalf("OldestQueuedMessage of an empty outbox = %v, want the zero time", got)
		}
		sent := NewMessage("m1", "A", T0) // the oldest of all, but sent
		sent.Status = rollcall.MessageSent
		failed := NewMessage("m2", "A", T0.Add(time.Second))
		failed.Status = rollcall.MessageFailed
		// Queued second and third; the later one is due first.
		second, third := NewMessage("m3", "B", T0.Add(2*time.Second)), NewMessage("m4", "A", T0.Add(3*time.Second))
		third.NextAttempt = T0
		MustInsert(t, s, sent, failed, third, second)
		if got := oldest(); !got.Equal(T0.Add(2 * time.Second)) {
			t.Fatalf("OldestQueuedMessage = %v, want %v (m3's CreatedAt)", got, T0.Add(2*time.Second))
		}
	}},
}

var purgeTests = []testCase{
	{"Expired", func(t *testing.T, s rollcall.Store) {
		now := T0.Add(24 * time.Hour)
		expiredTok, liveTok, foreverTok := NewAccessToken("t1", "biz"), NewAccessToken("t2", "biz"), NewAccessToken("t3", "biz")
		expiredTok.ExpiresAt, liveTok.ExpiresAt, foreverTok.ExpiresAt = now, now.Add(time.Millisecond), time.Time{}
		expiredKey, longTerm := NewAccessKey("ASIA1"), NewAccessKey("AKIA1")
		expiredKey.ExpiresAt = now.Add(-time.Second)
		ended, idle, live := NewSession("s1"), NewSession("s2"), NewSession("s3")
		ended.ExpiresAt = now
		idle.ExpiresAt, idle.LastSeenAt = now.Add(time.Hour), now.Add(-time.Hour)
		live.ExpiresAt, live.LastSeenAt = now.Add(time.Hour), now.Add(-time.Minute)
		oldInv, recentInv := NewInvitation("i1", "h1", "A"), NewInvitation("i2", "h2", "A")
		oldInv.ExpiresAt, recentInv.ExpiresAt = now.Add(-31*24*time.Hour), now.Add(-29*24*time.Hour)
		MustInsert(t, s, expiredTok, liveTok, foreverTok, expiredKey, longTerm, ended, idle, live, oldInv, recentInv)

		c := rollcall.PurgeCutoffs{Now: now, SessionsIdleSince: now.Add(-30 * time.Minute), InvitationsExpiredBy: now.Add(-30 * 24 * time.Hour)}
		var n int
		MustUpdate(t, s, func(tx rollcall.Tx) (err error) { n, err = tx.PurgeExpired(c); return err })
		if n != 5 {
			t.Errorf("PurgeExpired deleted %d rows, want 5", n)
		}
		MustView(t, s, func(tx rollcall.Tx) error {
			for _, c := range []struct {
				what string
				err  error
				gone bool
			}{
				{"expired token", second(tx.AccessToken("t1")), true},
				{"live token", second(tx.AccessToken("t2")), false},
				{"token without expiry", second(tx.AccessToken("t3")), false},
				{"expired temporary key", second(tx.AccessKey("ASIA1")), true},
				{"long-term key", second(tx.AccessKey("AKIA1")), false},
				{"ended session", second(tx.Session("s1")), true},
				{"idle session", second(tx.Session("s2")), true},
				{"live session", second(tx.Session("s3")), false},
				{"invitation past retention", second(tx.InvitationByTokenHash("h1")), true},
				{"invitation within retention", second(tx.InvitationByTokenHash("h2")), false},
			} {
				if c.gone {
					WantKind(t, c.what+" after PurgeExpired", c.err, rollcall.NotFound)
				} else if c.err != nil {
					t.Errorf("%s after PurgeExpired: %v", c.what, c.err)
				}
			}
			return nil
		})
	}},
	{"Limit", func(t *testing.T, s rollcall.Store) {
		var vs []any
		for _, h := range []string{"t1", "t2", "t3"} {
			tok := NewAccessToken(h, "biz")
			tok.ExpiresAt = T0
			vs = append(vs, tok)
		}
		MustInsert(t, s, vs...)
		c := rollcall.PurgeCutoffs{Now: T0, SessionsIdleSince: T0.Add(-time.Hour), InvitationsExpiredBy: T0.Add(-time.Hour), Limit: 2}
		for _, want := range []int{2, 1, 0} {
			var n int
			MustUpdate(t, s, func(tx rollcall.Tx) (err error) { n, err = tx.PurgeExpired(c); return err })
			if n != want {
				t.Errorf("PurgeExpired with Limit 2 deleted %d, want %d", n, want)
			}
		}
	}},
}

func second[T any](_ T, err error) error { return err }

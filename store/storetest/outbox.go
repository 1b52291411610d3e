package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

var idempotencyTests = []testCase{
	{"RoundTrip", func(t *testing.T, s rollcall.Store) {
		r := NewIdempotency("a4b:"+TenantID, "tok")
		MustInsert(t, s, r)
		got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.IdempotencyRecord, error) { return tx.Idempotency(r.Scope, r.Token) })
		WantEqual(t, "Idempotency", got, r)
	}},
	{"Conflict", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewIdempotency("a4b:1", "tok"))
		again := NewIdempotency("a4b:1", "tok")
		again.RequestHash, again.ResultID = "other", "other"
		WantKind(t, "InsertIdempotency of a taken (scope, token)", update(s, func(tx rollcall.Tx) error { return tx.InsertIdempotency(again) }), rollcall.Conflict)
		got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.IdempotencyRecord, error) { return tx.Idempotency("a4b:1", "tok") })
		WantEqual(t, "the first record", got, NewIdempotency("a4b:1", "tok"))
		// The same token in another scope, and another token in the same scope, are new.
		MustInsert(t, s, NewIdempotency("a4b:2", "tok"), NewIdempotency("a4b:1", "tok2"))
	}},
	{"NotFound", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewIdempotency("a4b:1", "tok"))
		for _, k := range [][2]string{{"a4b:1", "nope"}, {"a4b:2", "tok"}, {"", ""}} {
			_, err := read(t, s, func(tx rollcall.Tx) (*rollcall.IdempotencyRecord, error) { return tx.Idempotency(k[0], k[1]) })
			WantKind(t, fmt.Sprintf("Idempotency%q", k), err, rollcall.NotFound)
		}
	}},
	{"DeleteExpired", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewIdempotency("a4b:1", "tok"), NewIdempotency("a4b:2", "tok"))
		// Not yet expired at T0: kept.
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteIdempotency("a4b:1", "tok", T0) })
		MustView(t, s, func(tx rollcall.Tx) error { _, err := tx.Idempotency("a4b:1", "tok"); return err })
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteIdempotency("a4b:1", "tok", T0.Add(time.Millisecond)) })
		_, err := read(t, s, func(tx rollcall.Tx) (*rollcall.IdempotencyRecord, error) { return tx.Idempotency("a4b:1", "tok") })
		WantKind(t, "Idempotency after DeleteIdempotency", err, rollcall.NotFound)
		// The same token in another scope is another record; none left is no error.
		MustView(t, s, func(tx rollcall.Tx) error { _, err := tx.Idempotency("a4b:2", "tok"); return err })
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteIdempotency("a4b:1", "tok", T0.Add(time.Hour)) })
		// And the token can be used again.
		MustInsert(t, s, NewIdempotency("a4b:1", "tok"))
	}},
	{"Purge", func(t *testing.T, s rollcall.Store) {
		at := func(r *rollcall.IdempotencyRecord, age time.Duration) *rollcall.IdempotencyRecord {
			r.CreatedAt = T0.Add(-age)
			return r
		}
		// The same tokens in two scopes, of different ages: each record goes by its own.
		old := []*rollcall.IdempotencyRecord{at(NewIdempotency("a4b:1", "a"), 48*time.Hour), at(NewIdempotency("a4b:2", "b"), 30*time.Hour),
			at(NewIdempotency("a4b:1", "c"), 25*time.Hour), at(NewIdempotency("a4b:2", "a"), 24*time.Hour+time.Millisecond)}
		kept := []*rollcall.IdempotencyRecord{at(NewIdempotency("a4b:2", "c"), 24*time.Hour), at(NewIdempotency("a4b:1", "b"), time.Hour),
			NewIdempotency("a4b:3", "a")}
		for _, r := range append(slices.Clone(old), kept...) {
			MustInsert(t, s, r)
		}
		before := T0.Add(-24 * time.Hour)
		var n int
		MustUpdate(t, s, func(tx rollcall.Tx) (err error) { n, err = tx.PurgeIdempotency(before, 3); return err })
		if n != 3 {
			t.Fatalf("PurgeIdempotency(limit 3) deleted %d, want 3", n)
		}
		// Oldest first: the one left of the old is the youngest.
		left := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.IdempotencyRecord, error) { return tx.IdempotencyRecords() })
		key := func(r *rollcall.IdempotencyRecord) string { return r.Scope + "\x00" + r.Token }
		WantEqual(t, "records after one batch", left, sorted(append([]*rollcall.IdempotencyRecord{old[3]}, kept...), key))
		MustUpdate(t, s, func(tx rollcall.Tx) (err error) { n, err = tx.PurgeIdempotency(before, 3); return err })
		if n != 1 {
			t.Fatalf("the second PurgeIdempotency deleted %d, want 1", n)
		}
		left = mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.IdempotencyRecord, error) { return tx.IdempotencyRecords() })
		WantEqual(t, "records after the purge", left, sorted(kept, key))
		MustUpdate(t, s, func(tx rollcall.Tx) (err error) { n, err = tx.PurgeIdempotency(before, 0); return err })
		if n != 0 {
			t.Errorf("a purge with nothing past the cutoff deleted %d", n)
		}
	}},
}

func messageID(m *rollcall.Message) string { return m.ID }

var messageTests = []testCase{
	{"RoundTrip", func(t *testing.T, s rollcall.Store) {
		queued := NewMessage("m1", "A", T0)
		sentAt := T0.Add(time.Minute)
		sent := NewMessage("m2", "A", T0)
		sent.Status, sent.Attempts, sent.LastError, sent.SentAt = rollcall.MessageSent, 3, "451 try later", &sentAt
		sent.TraceParent, sent.TraceState = TraceParent, "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE"
		MustInsert(t, s, queued, sent)
		wantStored(t, s, "Message", func(m *rollcall.Message) string { return m.ID },
			func(tx rollcall.Tx, m *rollcall.Message) (*rollcall.Message, error) { return tx.Message(m.ID) }, queued, sent)
	}},
	{"NotFound", func(t *testing.T, s rollcall.Store) {
		_, err := get(t, s, rollcall.Tx.Message, "nope")
		WantKind(t, "Message of a missing id", err, rollcall.NotFound)
	}},
	{"InsertConflict", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewMessage("m1", "A", T0))
		WantKind(t, "InsertMessage of a taken ID", update(s, func(tx rollcall.Tx) error { return tx.InsertMessage(NewMessage("m1", "B", T0)) }), rollcall.Conflict)
		got, _ := get(t, s, rollcall.Tx.Message, "m1")
		WantEqual(t, "the first message", got, NewMessage("m1", "A", T0))
	}},
	{"UpdateReplaces", func(t *testing.T, s rollcall.Store) {
		m := NewMessage("m1", "A", T0)
		MustInsert(t, s, m)
		sentAt := T0.Add(time.Minute)
		m.Status, m.Attempts, m.LastError, m.NextAttempt, m.SentAt = rollcall.MessageSent, 2, "", T0.Add(time.Minute), &sentAt
		m.TraceParent, m.TraceState = TraceParent, "rojo=1"
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.UpdateMessage(m) })
		got, _ := get(t, s, rollcall.Tx.Message, "m1")
		WantEqual(t, "message after UpdateMessage", got, m)
		m.Status, m.SentAt, m.LastError = rollcall.MessageFailed, nil, "550 no such user"
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.UpdateMessage(m) })
		got, _ = get(t, s, rollcall.Tx.Message, "m1")
		WantEqual(t, "message with SentAt cleared", got, m)
	}},
	{"UpdateNotFound", func(t *testing.T, s rollcall.Store) {
		WantKind(t, "UpdateMessage of a missing id", update(s, func(tx rollcall.Tx) error { return tx.UpdateMessage(NewMessage("nope", "A", T0)) }), rollcall.NotFound)
		_, err := get(t, s, rollcall.Tx.Message, "nope")
		WantKind(t, "Message after a failed update", err, rollcall.NotFound)
	}},
	{"List", testMessages},
}

func testMessages(t *testing.T, s rollcall.Store) {
	msg := func(id, tenantID string, created time.Duration, status string, due time.Duration) *rollcall.Message {
		m := NewMessage(id, tenantID, T0.Add(created))
		m.Status, m.NextAttempt = status, T0.Add(due)
		return m
	}
	const q, sent, failed = rollcall.MessageQueued, rollcall.MessageSent, rollcall.MessageFailed
	MustInsert(t, s,
		msg("m1", "A", 1*time.Second, q, 1*time.Second),
		msg("m2", "A", 2*time.Second, sent, 2*time.Second),
		msg("m3", "B", 3*time.Second, q, 10*time.Second), // retried later
		msg("m4", "A", 4*time.Second, q, 4*time.Second),
		msg("m5", "A", 4*time.Second, failed, 4*time.Second), // same CreatedAt as m4: ID breaks the tie
		msg("m6", "B", 6*time.Second, q, 6*time.Second),
	)
	for _, c := range []struct {
		name string
		f    rollcall.MessageFilter
		want []string
	}{
		{"all, newest first", rollcall.MessageFilter{}, []string{"m6", "m5", "m4", "m3", "m2", "m1"}},
		{"tenant", rollcall.MessageFilter{TenantID: "A"}, []string{"m5", "m4", "m2", "m1"}},
		{"unknown tenant", rollcall.MessageFilter{TenantID: "Z"}, nil},
		{"status", rollcall.MessageFilter{Status: q}, []string{"m6", "m4", "m3", "m1"}},
		{"status and tenant", rollcall.MessageFilter{Status: q, TenantID: "B"}, []string{"m6", "m3"}},
		{"due, at or before", rollcall.MessageFilter{DueAt: T0.Add(4 * time.Second)}, []string{"m5", "m4", "m2", "m1"}},
		{"due just before", rollcall.MessageFilter{DueAt: T0.Add(4*time.Second - time.Millisecond)}, []string{"m2", "m1"}},
		{"queued and due", rollcall.MessageFilter{Status: q, DueAt: T0.Add(6 * time.Second)}, []string{"m6", "m4", "m1"}},
		{"queued, due and tenant", rollcall.MessageFilter{Status: q, DueAt: T0.Add(time.Minute), TenantID: "B"}, []string{"m6", "m3"}},
		{"due before all", rollcall.MessageFilter{DueAt: T0}, nil},
		{"limit", rollcall.MessageFilter{Limit: 2}, []string{"m6", "m5"}},
		{"limit with filters", rollcall.MessageFilter{Status: q, TenantID: "A", Limit: 1}, []string{"m4"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Message, error) { return tx.Messages(c.f) })
			wantIDs(t, fmt.Sprintf("Messages(%+v)", c.f), ids(got, messageID), c.want)
		})
	}
	got := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Message, error) {
		return tx.Messages(rollcall.MessageFilter{Limit: 1})
	})
	WantEqual(t, "listed message", got[0], msg("m6", "B", 6*time.Second, q, 6*time.Second))
}

var invitationTests = []testCase{
	{"RoundTrip", func(t *testing.T, s rollcall.Store) {
		unused := NewInvitation("i1", "h1", "biz")
		used := NewInvitation("i2", "h2", "biz")
		at := T0.Add(time.Hour)
		used.UsedAt = &at
		MustInsert(t, s, unused, used)
		wantStored(t, s, "InvitationByTokenHash", func(i *rollcall.Invitation) string { return i.TokenHash },
			func(tx rollcall.Tx, i *rollcall.Invitation) (*rollcall.Invitation, error) {
				return tx.InvitationByTokenHash(i.TokenHash)
			}, unused, used)
	}},
	{"NotFound", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewInvitation("i1", "h1", "biz"))
		for _, h := range []string{"nope", "i1", ""} {
			_, err := get(t, s, rollcall.Tx.InvitationByTokenHash, h)
			WantKind(t, "InvitationByTokenHash("+h+")", err, rollcall.NotFound)
		}
	}},
	{"InsertConflict", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewInvitation("i1", "h1", "biz"))
		WantKind(t, "InsertInvitation of a taken token hash", update(s, func(tx rollcall.Tx) error { return tx.InsertInvitation(NewInvitation("i2", "h1", "biz")) }), rollcall.Conflict)
		WantKind(t, "InsertInvitation of a taken ID", update(s, func(tx rollcall.Tx) error { return tx.InsertInvitation(NewInvitation("i1", "h2", "biz")) }), rollcall.Conflict)
		_, err := get(t, s, rollcall.Tx.InvitationByTokenHash, "h2")
		WantKind(t, "the invitation whose insert conflicted", err, rollcall.NotFound)
	}},
	{"Update", func(t *testing.T, s rollcall.Store) {
		inv := NewInvitation("i1", "h1", "biz")
		MustInsert(t, s, inv, NewInvitation("i2", "h2", "biz"))
		at := T0.Add(time.Hour)
		inv.UsedAt = &at
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.UpdateInvitation(inv) })
		got, _ := get(t, s, rollcall.Tx.InvitationByTokenHash, "h1")
		WantEqual(t, "invitation after UpdateInvitation", got, inv)

		// A new token for the same invitation: the old hash finds nothing.
		inv.TokenHash, inv.ExpiresAt = "h3", T0.Add(14*24*time.Hour)
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.UpdateInvitation(inv) })
		got, _ = get(t, s, rollcall.Tx.InvitationByTokenHash, "h3")
		WantEqual(t, "invitation after a new token", got, inv)
		_, err := get(t, s, rollcall.Tx.InvitationByTokenHash, "h1")
		WantKind(t, "InvitationByTokenHash of the replaced hash", err, rollcall.NotFound)

		taken := *inv
		taken.TokenHash = "h2"
		WantKind(t, "UpdateInvitation onto a taken token hash", update(s, func(tx rollcall.Tx) error { return tx.UpdateInvitation(&taken) }), rollcall.Conflict)
		WantKind(t, "UpdateInvitation of a missing id", update(s, func(tx rollcall.Tx) error { return tx.UpdateInvitation(NewInvitation("nope", "h9", "biz")) }), rollcall.NotFound)
		_, err = get(t, s, rollcall.Tx.InvitationByTokenHash, "h9")
		WantKind(t, "the invitation whose update failed", err, rollcall.NotFound)
	}},
}

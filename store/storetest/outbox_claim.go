package storetest

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// Lease is the claim lease the outbox tests use.
const Lease = 5 * time.Minute

// claim runs ClaimMessages in an Update and fails the test on error.
func claim(tb testing.TB, s rollcall.Store, now time.Time, lease time.Duration, limit int) []*rollcall.Message {
	tb.Helper()
	var got []*rollcall.Message
	MustUpdate(tb, s, func(tx rollcall.Tx) (err error) {
		got, err = tx.ClaimMessages(now, lease, limit)
		return err
	})
	return got
}

// dueMessage returns a queued message created at T0+created and due at T0+due.
func dueMessage(id string, created, due time.Duration, status string) *rollcall.Message {
	m := NewMessage(id, "A", T0.Add(created))
	m.Status, m.NextAttempt = status, T0.Add(due)
	return m
}

var messageClaimTests = []testCase{
	{"OnlyDueAndQueued", func(t *testing.T, s rollcall.Store) {
		const q = rollcall.MessageQueued
		MustInsert(t, s,
			dueMessage("m1", 0, 3*time.Second, q),
			dueMessage("m2", 2*time.Second, 2*time.Second, q),
			dueMessage("m3", 1*time.Second, 10*time.Second, q), // due after now
			dueMessage("m4", 0, 1*time.Second, rollcall.MessageSent),
			dueMessage("m5", 0, 1*time.Second, rollcall.MessageFailed),
			dueMessage("m6", 1*time.Second, 2*time.Second, q), // due with m2, created earlier
			dueMessage("m7", 1*time.Second, 5*time.Second, q), // due exactly now
			dueMessage("m0", 1*time.Second, 5*time.Second, q), // same due and creation as m7: ID breaks the tie
		)
		now := T0.Add(5 * time.Second)
		got := claim(t, s, now, Lease, 100)
		wantIDs(t, "claimed, longest due first", ids(got, messageID), []string{"m6", "m2", "m1", "m0", "m7"})
		for _, m := range got {
			want := NewMessage(m.ID, "A", m.CreatedAt)
			want.Attempts, want.NextAttempt = 1, now.Add(Lease)
			WantEqual(t, "claimed message "+m.ID, m, want)
			stored, err := get(t, s, rollcall.Tx.Message, m.ID)
			if err != nil {
				t.Fatal(err)
			}
			WantEqual(t, "stored message "+m.ID+" after the claim", stored, want)
		}
		for _, id := range []string{"m3", "m4", "m5"} {
			stored, err := get(t, s, rollcall.Tx.Message, id)
			if err != nil {
				t.Fatal(err)
			}
			if stored.Attempts != 0 {
				t.Fatalf("message %s, not claimed, has Attempts = %d", id, stored.Attempts)
			}
		}
	}},
	{"Limit", func(t *testing.T, s rollcall.Store) {
		for i := range 5 {
			MustInsert(t, s, dueMessage(fmt.Sprintf("m%d", i), time.Duration(i)*time.Second, time.Duration(i)*time.Second, rollcall.MessageQueued))
		}
		now := T0.Add(time.Minute)
		wantIDs(t, "first claim", ids(claim(t, s, now, Lease, 2), messageID), []string{"m0", "m1"})
		wantIDs(t, "second claim", ids(claim(t, s, now, Lease, 2), messageID), []string{"m2", "m3"})
		wantIDs(t, "third claim", ids(claim(t, s, now, Lease, 2), messageID), []string{"m4"})
		wantIDs(t, "fourth claim", ids(claim(t, s, now, Lease, 2), messageID), nil)
	}},
	{"LeaseHidesClaimed", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, dueMessage("m1", 0, 0, rollcall.MessageQueued))
		wantIDs(t, "first claim", ids(claim(t, s, T0, Lease, 10), messageID), []string{"m1"})
		wantIDs(t, "claim at the same time", ids(claim(t, s, T0, Lease, 10), messageID), nil)
		wantIDs(t, "claim just before the lease ends", ids(claim(t, s, T0.Add(Lease-time.Millisecond), Lease, 10), messageID), nil)
		// A listing of due messages agrees.
		due := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Message, error) {
			return tx.Messages(rollcall.MessageFilter{Status: rollcall.MessageQueued, DueAt: T0.Add(Lease - time.Millisecond)})
		})
		wantIDs(t, "due messages while leased", ids(due, messageID), nil)
	}},
	{"ExpiredLeaseClaimsAgain", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, dueMessage("m1", 0, 0, rollcall.MessageQueued), dueMessage("m2", 0, 0, rollcall.MessageQueued))
		wantIDs(t, "first claim", ids(claim(t, s, T0, Lease, 10), messageID), []string{"m1", "m2"})
		// m2 was sent and recorded; m1's claimer died.
		m2, err := get(t, s, rollcall.Tx.Message, "m2")
		if err != nil {
			t.Fatal(err)
		}
		sentAt := T0.Add(time.Second)
		m2.Status, m2.SentAt = rollcall.MessageSent, &sentAt
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.UpdateMessage(m2) })

		later := T0.Add(Lease)
		got := claim(t, s, later, time.Minute, 10)
		wantIDs(t, "claim when the lease ends", ids(got, messageID), []string{"m1"})
		want := NewMessage("m1", "A", T0)
		want.Attempts, want.NextAttempt = 2, later.Add(time.Minute)
		WantEqual(t, "message claimed twice", got[0], want)
	}},
	{"Concurrent", func(t *testing.T, s rollcall.Store) {
		// Claimers running at once (replicas) never get the same message, and together
		// they get every due message.
		const messages, claimers, limit = 60, 6, 4
		for i := range messages {
			MustInsert(t, s, dueMessage(fmt.Sprintf("m%02d", i), time.Duration(i)*time.Millisecond, 0, rollcall.MessageQueued))
		}
		now := T0.Add(time.Second)
		var mu sync.Mutex
		claimedBy := map[string]int{}
		errs := AtOnce(claimers, func(i int) error {
			for {
				var got []*rollcall.Message
				err := update(s, func(tx rollcall.Tx) (err error) {
					got, err = tx.ClaimMessages(now, Lease, limit)
					return err
				})
				if err != nil {
					return err
				}
				if len(got) == 0 {
					return nil
				}
				if len(got) > limit {
					return fmt.Errorf("claimer %d got %d messages, limit %d", i, len(got), limit)
				}
				mu.Lock()
				for _, m := range got {
					if prev, ok := claimedBy[m.ID]; ok {
						mu.Unlock()
						return fmt.Errorf("message %s claimed by claimer %d and again by claimer %d", m.ID, prev, i)
					}
					claimedBy[m.ID] = i
				}
				mu.Unlock()
			}
		})
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
		if len(claimedBy) != messages {
			t.Fatalf("%d of %d messages claimed", len(claimedBy), messages)
		}
		all := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Message, error) { return tx.Messages(rollcall.MessageFilter{}) })
		for _, m := range all {
			if m.Attempts != 1 || !m.NextAttempt.Equal(now.Add(Lease)) {
				t.Fatalf("message %s: Attempts = %d, NextAttempt = %v after one claim; want 1, %v", m.ID, m.Attempts, m.NextAttempt, now.Add(Lease))
			}
		}
	}},
	{"ClaimRolledBack", func(t *testing.T, s rollcall.Store) {
		// A claim in an Update that fails leaves the message due and its Attempts as they were.
		MustInsert(t, s, dueMessage("m1", 0, 0, rollcall.MessageQueued))
		err := update(s, func(tx rollcall.Tx) error {
			if _, err := tx.ClaimMessages(T0, Lease, 1); err != nil {
				return err
			}
			return errSentinel
		})
		if err != errSentinel {
			t.Fatalf("Update returned %v, want fn's error", err)
		}
		got := claim(t, s, T0, Lease, 1)
		wantIDs(t, "claim after a rolled-back claim", ids(got, messageID), []string{"m1"})
		if got[0].Attempts != 1 {
			t.Fatalf("Attempts = %d after one committed claim", got[0].Attempts)
		}
	}},
	{"InvalidLimit", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, dueMessage("m1", 0, 0, rollcall.MessageQueued))
		for _, limit := range []int{0, -1} {
			err := update(s, func(tx rollcall.Tx) error { _, err := tx.ClaimMessages(T0, Lease, limit); return err })
			WantKind(t, fmt.Sprintf("ClaimMessages with limit %d", limit), err, rollcall.Invalid)
		}
		wantIDs(t, "claim after invalid claims", ids(claim(t, s, T0, Lease, 1), messageID), []string{"m1"})
	}},
	{"NotInView", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, dueMessage("m1", 0, 0, rollcall.MessageQueued))
		var inner error
		MustView(t, s, func(tx rollcall.Tx) error {
			_, inner = tx.ClaimMessages(T0, Lease, 1)
			return nil
		})
		WantKind(t, "ClaimMessages in a View", inner, rollcall.Internal)
		got, err := get(t, s, rollcall.Tx.Message, "m1")
		if err != nil {
			t.Fatal(err)
		}
		if got.Attempts != 0 || !got.NextAttempt.Equal(T0) {
			t.Fatalf("message changed by a claim in a View: %+v", got)
		}
		if !slices.Equal(ids(claim(t, s, T0, Lease, 1), messageID), []string{"m1"}) {
			t.Fatal("message not claimable after a claim in a View")
		}
	}},
}

package mail_test

import (
	"context"
	"net/mail"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	rcmail "github.com/rollcall/rollcall/mail"
	"github.com/rollcall/rollcall/mail/mailtest"
)

// outageStore is a store that stops answering (every Update and View fails Unavailable)
// while down is set.
type outageStore struct {
	rollcall.Store
	down atomic.Bool
}

var errOutage = &rollcall.Error{Kind: rollcall.Unavailable, Message: "the database is unavailable"}

func (s *outageStore) Update(ctx context.Context, fn func(rollcall.Tx) error) error {
	if s.down.Load() {
		return errOutage
	}
	return s.Store.Update(ctx, fn)
}

func (s *outageStore) View(ctx context.Context, fn func(rollcall.Tx) error) error {
	if s.down.Load() {
		return errOutage
	}
	return s.Store.View(ctx, fn)
}

// outageSender sends, then takes the store down: the outage begins during the first
// send of a batch.
type outageSender struct {
	rcmail.Sender
	st    *outageStore
	sends atomic.Int32
}

func (s *outageSender) Send(ctx context.Context, from string, to []string, msg []byte) error {
	err := s.Sender.Send(ctx, from, to, msg)
	s.sends.Add(1)
	s.st.down.Store(true)
	return err
}

// TestDispatcherStoreOutage: the store stops answering after the first message of a
// batch was sent. The dispatcher sends nothing more while it cannot record; once the
// store answers, it records that send and gives back the rest of the claims, due at
// once, so every message arrives exactly once (before, the rest of the batch was sent
// unrecorded, stayed claimed, and was sent again when the lease ended).
func TestDispatcherStoreOutage(t *testing.T) {
	r := mailtest.Start(t, mailtest.Options{})
	svc := newService(t, "https://rollcall.example.com", "Acme Supplies")
	const n = 6
	ids := createUsers(t, svc, n)
	smtp, err := rcmail.ParseURL(r.URL())
	if err != nil {
		t.Fatal(err)
	}
	st := &outageStore{Store: svc.Store}
	s := &outageSender{Sender: smtp, st: st}
	// The lease outlasts any send on a loaded machine; the outage outlasts the lease on
	// the dispatcher's clock, which jumps ahead rather than the test sleeping through it.
	const lease = 2 * wait
	var ahead atomic.Int64
	d := &rcmail.Dispatcher{Store: st, Sender: s, Log: testLog(t), Lease: lease, SendTimeout: wait,
		Now:      func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) },
		Composer: &rcmail.Composer{From: mail.Address{Address: "noreply@rollcall.test"}, Domain: "rollcall.test"}}

	if got, err := d.RunOnce(t.Context()); got != n || err == nil {
		t.Fatalf("RunOnce: claimed %d, err %v; want %d claimed and the record's error", got, err, n)
	}
	if s.sends.Load() != 1 {
		t.Fatalf("%d sent while the store could not record them, want 1 (the one in flight)", s.sends.Load())
	}
	if got, err := d.RunOnce(t.Context()); got != 0 || err == nil {
		t.Fatalf("RunOnce during the outage: claimed %d, err %v", got, err)
	}
	ahead.Store(int64(lease)) // a long outage: the claims' lease has ended
	st.down.Store(false)
	s.st = &outageStore{Store: svc.Store} // later sends no longer end the outage
	start := time.Now()
	for range 10 {
		if _, err := d.RunOnce(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range ids {
		if m := message(t, svc.Store, id); m.Status != rollcall.MessageSent {
			t.Errorf("message %s after the outage: %s, attempts %d, last error %q", id, m.Status, m.Attempts, m.LastError)
		}
	}
	t.Logf("all %d sent %v after the store answered again", n, time.Since(start))
	counts := mailtest.ByMessageID(t, r.Received())
	for _, id := range ids {
		if c := counts["<"+id+"@rollcall.test>"]; c != 1 {
			t.Errorf("message %s arrived %d times, want once", id, c)
		}
	}
}

// refusingStore refuses, with an Internal error, every Update that records the outcome
// of one message: a store that answers, but will never take that record.
type refusingStore struct {
	rollcall.Store
	id string
}

func (s *refusingStore) Update(ctx context.Context, fn func(rollcall.Tx) error) error {
	return s.Store.Update(ctx, func(tx rollcall.Tx) error { return fn(&refusingTx{Tx: tx, id: s.id}) })
}

type refusingTx struct {
	rollcall.Tx
	id string
}

func (t *refusingTx) UpdateMessage(m *rollcall.Message) error {
	if m.ID == t.id && m.Attempts > 0 && m.Status == rollcall.MessageSent {
		return &rollcall.Error{Kind: rollcall.Internal, Message: "internal error"}
	}
	return t.Tx.UpdateMessage(m)
}

// TestDispatcherDropsARefusedDebt: an outcome the store answers but refuses (not
// Unavailable) is logged and dropped rather than retried forever, which would stop
// the dispatcher for good: the rest of the outbox is still delivered, once each.
func TestDispatcherDropsARefusedDebt(t *testing.T) {
	r := mailtest.Start(t, mailtest.Options{})
	svc := newService(t, "https://rollcall.example.com", "Acme Supplies")
	ids := createUsers(t, svc, 4)
	smtp, err := rcmail.ParseURL(r.URL())
	if err != nil {
		t.Fatal(err)
	}
	d := &rcmail.Dispatcher{Store: &refusingStore{Store: svc.Store, id: ids[0]}, Sender: smtp, Log: testLog(t), Batch: 4,
		Composer: &rcmail.Composer{From: mail.Address{Address: "noreply@rollcall.test"}, Domain: "rollcall.test"}}
	if _, err := d.RunOnce(t.Context()); err == nil {
		t.Fatal("RunOnce: want the refused record's error")
	}
	for range 3 {
		if _, err := d.RunOnce(t.Context()); err != nil {
			t.Fatalf("RunOnce after the refusal: %v (the refused outcome must not block the rest)", err)
		}
	}
	counts := mailtest.ByMessageID(t, r.Received())
	for i, id := range ids {
		if c := counts["<"+id+"@rollcall.test>"]; c != 1 {
			t.Errorf("message %d arrived %d times, want once", i, c)
		}
		if m := message(t, svc.Store, id); i > 0 && m.Status != rollcall.MessageSent {
			t.Errorf("message %d: %s", i, m.Status)
		}
	}
}

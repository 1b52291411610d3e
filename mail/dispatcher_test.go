package mail_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/rollcall/rollcall"
	rcmail "github.com/rollcall/rollcall/mail"
	"github.com/rollcall/rollcall/mail/mailtest"
)

// wait is how long a test waits for something that should happen at once; it bounds a
// broken test, it measures nothing.
const wait = 30 * time.Second

// newDispatcher returns a started dispatcher for svc's store and relay r, with backoff
// in milliseconds. The service's Store is watched, so creates wake it; its poll is an
// hour, so only Notify (or retries' RunOnce loop) makes it act.
func newDispatcher(tb testing.TB, svc *rollcall.Service, r *mailtest.Relay, tune func(*rcmail.Dispatcher)) *rcmail.Dispatcher {
	tb.Helper()
	s, err := rcmail.ParseURL(r.URL())
	if err != nil {
		tb.Fatal(err)
	}
	d := &rcmail.Dispatcher{
		Store:       svc.Store,
		Sender:      s,
		Composer:    &rcmail.Composer{From: mail.Address{Name: "rollcall", Address: "noreply@rollcall.test"}, Domain: "rollcall.test"},
		Interval:    time.Hour,
		BackoffBase: 5 * time.Millisecond,
		BackoffMax:  20 * time.Millisecond,
		Log:         testLog(tb),
	}
	if tune != nil {
		tune(d)
	}
	svc.MailQueued = d.Notify
	d.Start()
	tb.Cleanup(func() {
		if err := d.Close(); err != nil {
			tb.Errorf("Close: %v", err)
		}
	})
	return d
}

// message reads a message from the store.
func message(tb testing.TB, st rollcall.Store, id string) *rollcall.Message {
	tb.Helper()
	var m *rollcall.Message
	err := st.View(context.Background(), func(tx rollcall.Tx) (err error) { m, err = tx.Message(id); return err })
	if err != nil {
		tb.Fatal(err)
	}
	return m
}

// waitStatus polls the store until message id has status (the dispatcher records after
// the relay has the message), or fails after wait.
func waitStatus(tb testing.TB, st rollcall.Store, id, status string) *rollcall.Message {
	tb.Helper()
	deadline := time.Now().Add(wait)
	for {
		m := message(tb, st, id)
		if m.Status == status {
			return m
		}
		if time.Now().After(deadline) {
			tb.Fatalf("message %s is %s after %v (attempts %d, last error %q), want %s", id, m.Status, wait, m.Attempts, m.LastError, status)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestDispatcherDelivers(t *testing.T) {
	r := mailtest.Start(t, mailtest.Options{})
	svc := newService(t, "https://rollcall.example.com", "Acme Supplies")
	newDispatcher(t, svc, r, nil)
	m := createUser(t, svc, "ada@example.com", "Ada", "Lovelace")

	got := r.Wait(t, 1, wait) // woken by the create: the poll is an hour
	if got[0].From != "noreply@rollcall.test" || len(got[0].To) != 1 || got[0].To[0] != "ada@example.com" {
		t.Fatalf("envelope: from %q to %q", got[0].From, got[0].To)
	}
	e, err := mailtest.Parse(got[0].Data)
	if err != nil {
		t.Fatal(err)
	}
	if e.Header.Get("Message-ID") != "<"+m.ID+"@rollcall.test>" || e.To.Name != "Ada Lovelace" ||
		e.InvitationLink() == "" || e.Subject != "You have been invited to Acme Supplies" {
		t.Fatalf("arrived: %v\n%s", e.Header, e.Text)
	}
	sent := waitStatus(t, svc.Store, m.ID, rollcall.MessageSent)
	if sent.Attempts != 1 || sent.SentAt == nil || sent.LastError != "" {
		t.Fatalf("recorded: %+v", sent)
	}
}

func TestDispatcherRelayDownForAWhile(t *testing.T) {
	r := mailtest.Start(t, mailtest.Options{})
	r.Stop()
	svc := newService(t, "https://rollcall.example.com", "Acme Supplies")
	newDispatcher(t, svc, r, func(d *rcmail.Dispatcher) { d.MaxAttempts = 1000 })
	const n = 12
	ids := createUsers(t, svc, n)
	// Every message fails at least twice while the relay is down...
	deadline := time.Now().Add(wait)
	for _, id := range ids {
		for m := message(t, svc.Store, id); m.Attempts < 2 || m.LastError == ""; m = message(t, svc.Store, id) {
			if m.Status != rollcall.MessageQueued {
				t.Fatalf("message %s is %s while the relay is down", id, m.Status)
			}
			if time.Now().After(deadline) {
				t.Fatalf("message %s: %d attempts, last error %q", id, m.Attempts, m.LastError)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	// ...and arrives once it is back: none lost, none twice.
	r.Restart(t)
	for _, id := range ids {
		waitStatus(t, svc.Store, id, rollcall.MessageSent)
	}
	counts := mailtest.ByMessageID(t, r.Received())
	if len(counts) != n {
		t.Fatalf("%d distinct messages arrived, want %d", len(counts), n)
	}
	for _, id := range ids {
		if c := counts["<"+id+"@rollcall.test>"]; c != 1 {
			t.Errorf("message %s arrived %d times", id, c)
		}
	}
}

func TestDispatcherRetriesWithBackoff(t *testing.T) {
	r := mailtest.Start(t, mailtest.Options{})
	r.Refuse(func(to string, attempt int) error {
		if attempt <= 3 {
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "greylisted, try later"}
		}
		return nil
	})
	svc := newService(t, "https://rollcall.example.com", "Acme Supplies")
	var base atomic.Int64
	newDispatcher(t, svc, r, func(d *rcmail.Dispatcher) {
		d.MaxAttempts = 5
		d.BackoffBase, d.BackoffMax = 40*time.Millisecond, 100*time.Millisecond
		base.Store(int64(d.BackoffBase))
	})
	m := createUser(t, svc, "ada@example.com", "Ada", "Lovelace")
	sent := waitStatus(t, svc.Store, m.ID, rollcall.MessageSent)
	if sent.Attempts != 4 || sent.LastError == "" || r.RcptAttempts() != 4 {
		t.Fatalf("sent after %d attempts (relay saw %d), last error %q; want 4 and the 451", sent.Attempts, r.RcptAttempts(), sent.LastError)
	}
	if n := len(r.Received()); n != 1 {
		t.Fatalf("%d arrived, want 1", n)
	}
	// Backoff: the three failures were at least 40, 80 and 100 (capped) ms apart, so the
	// send came no sooner than 220ms after the create.
	if minGap := 220 * time.Millisecond; sent.SentAt.Sub(sent.CreatedAt) < minGap {
		t.Fatalf("sent %v after the create, sooner than the backoff allows (%v)", sent.SentAt.Sub(sent.CreatedAt), minGap)
	}
}

func TestDispatcherGivesUp(t *testing.T) {
	r := mailtest.Start(t, mailtest.Options{})
	r.Refuse(func(to string, attempt int) error {
		if to == "busy@example.com" {
			return &smtp.SMTPError{Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "mailbox full"}
		}
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	})
	svc := newService(t, "https://rollcall.example.com", "Acme Supplies")
	hooks := newHookLog()
	newDispatcher(t, svc, r, func(d *rcmail.Dispatcher) { d.MaxAttempts = 3; d.Hooks = hooks.hooks() })
	busy := createUser(t, svc, "busy@example.com", "Busy", "Bee")
	gone := createUser(t, svc, "gone@example.com", "Gone", "Away")

	m := waitStatus(t, svc.Store, busy.ID, rollcall.MessageFailed)
	if m.Attempts != 3 || m.SentAt != nil || m.LastError == "" {
		t.Fatalf("after the last retry: %+v", m)
	}
	m = waitStatus(t, svc.Store, gone.ID, rollcall.MessageFailed)
	if m.Attempts != 1 || m.LastError == "" {
		t.Fatalf("a 550 is final at once: %+v", m)
	}
	if n := len(r.Received()); n != 0 {
		t.Fatalf("%d arrived", n)
	}
	// The hooks saw four attempts, each ended with its error: busy's two retries and
	// last attempt, gone's one.
	hooks.wait(t, map[string]int{rcmail.OutcomeRetry: 2, rcmail.OutcomeFailed: 2, "start 1": 2, "start 2": 1, "start 3": 1, "ended with an error": 4})
	// Failed messages are never claimed again.
	d := &rcmail.Dispatcher{Store: svc.Store, Sender: &countingSender{}, Log: testLog(t), Composer: &rcmail.Composer{From: mail.Address{Address: "a@b.test"}}}
	if n, err := d.RunOnce(t.Context()); n != 0 || err != nil {
		t.Fatalf("RunOnce after both failed: %d, %v", n, err)
	}
}

// hookLog counts what a Dispatcher's Hooks see.
type hookLog struct {
	mu sync.Mutex
	n  map[string]int
}

func newHookLog() *hookLog { return &hookLog{n: map[string]int{}} }

func (h *hookLog) add(k string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.n[k]++
}

func (h *hookLog) hooks() rcmail.Hooks {
	return rcmail.Hooks{
		StartSend: func(ctx context.Context, m *rollcall.Message) (context.Context, func(error)) {
			h.add(fmt.Sprintf("start %d", m.Attempts))
			return ctx, func(err error) {
				if err != nil {
					h.add("ended with an error")
				}
			}
		},
		Sent: func(outcome string, d time.Duration) {
			if d <= 0 {
				h.add("no duration")
			}
			h.add(outcome)
		},
	}
}

// wait waits until the counts are want (the Sent hook runs after the outcome is stored).
func (h *hookLog) wait(tb testing.TB, want map[string]int) {
	tb.Helper()
	deadline := time.Now().Add(wait)
	for {
		h.mu.Lock()
		got := maps.Clone(h.n)
		h.mu.Unlock()
		if maps.Equal(got, want) {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("hooks saw %v, want %v", got, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// countingSender sends nothing and counts; fail makes Send fail.
type countingSender struct {
	sends atomic.Int32
	fail  error
}

func (s *countingSender) Send(context.Context, string, []string, []byte) error {
	s.sends.Add(1)
	return s.fail
}
func (s *countingSender) Close() error { return nil }

// failingRecord fails the Update that would record a sent message, once: the replica
// "crashed" after sending.
type failingRecord struct {
	rollcall.Store
	failed atomic.Bool
}

var errCrash = errors.New("crashed before recording")

// crashLease is how long a claim of crashyDispatcher's lasts. Its send may take up to
// wait, so a loaded machine neither times the send out nor gives the claim back
// untried (a lease under two send timeouts would); the lease ends on the restarted
// replica's clock, not by sleeping through it.
const crashLease = 2 * wait

// crashyDispatcher dispatches svc's outbox to the relay r and "crashes" (errCrash) after
// its first send, before recording it. restart returns the dispatcher of the replica
// restarted later after the crash (its clock runs that far ahead): the same sender and
// leases over svc's own store.
func crashyDispatcher(t *testing.T, r *mailtest.Relay, svc *rollcall.Service) (d *rcmail.Dispatcher, restart func(later time.Duration) *rcmail.Dispatcher) {
	t.Helper()
	s, err := rcmail.ParseURL(r.URL())
	if err != nil {
		t.Fatal(err)
	}
	over := func(st rollcall.Store, later time.Duration) *rcmail.Dispatcher {
		return &rcmail.Dispatcher{Store: st, Sender: s, Log: testLog(t),
			Composer: &rcmail.Composer{From: mail.Address{Address: "noreply@rollcall.test"}, Domain: "rollcall.test"},
			Lease:    crashLease, SendTimeout: wait, Now: func() time.Time { return time.Now().Add(later) }}
	}
	return over(&failingRecord{Store: svc.Store}, 0), func(later time.Duration) *rcmail.Dispatcher { return over(svc.Store, later) }
}

func (s *failingRecord) Update(ctx context.Context, fn func(rollcall.Tx) error) error {
	return s.Store.Update(ctx, func(tx rollcall.Tx) error {
		return fn(&failingTx{Tx: tx, s: s})
	})
}

type failingTx struct {
	rollcall.Tx
	s *failingRecord
}

func (t *failingTx) UpdateMessage(m *rollcall.Message) error {
	if m.Status == rollcall.MessageSent && t.s.failed.CompareAndSwap(false, true) {
		return errCrash
	}
	return t.Tx.UpdateMessage(m)
}

func TestDispatcherCrashBetweenSendAndRecord(t *testing.T) {
	r := mailtest.Start(t, mailtest.Options{})
	svc := newService(t, "https://rollcall.example.com", "Acme Supplies")
	m := createUser(t, svc, "ada@example.com", "Ada", "Lovelace")
	d, restart := crashyDispatcher(t, r, svc)
	n, err := d.RunOnce(t.Context())
	if n != 1 || !errors.Is(err, errCrash) {
		t.Fatalf("RunOnce: %d, %v; want the message claimed and its record failed", n, err)
	}
	if got := message(t, svc.Store, m.ID); got.Status != rollcall.MessageQueued || got.Attempts != 1 {
		t.Fatalf("after the crash: %+v", got)
	}
	// The replica died: another dispatcher (a restart) knows nothing of the send.
	// Nothing is due until the lease ends; then the message is sent again.
	if n, err = restart(0).RunOnce(t.Context()); n != 0 || err != nil {
		t.Fatalf("RunOnce before the lease ends: %d, %v; want nothing due", n, err)
	}
	if n, err = restart(crashLease).RunOnce(t.Context()); n != 1 || err != nil {
		t.Fatalf("RunOnce once the lease ended: %d, %v; want the message claimed again", n, err)
	}
	sent := message(t, svc.Store, m.ID)
	if sent.Status != rollcall.MessageSent || sent.Attempts != 2 {
		t.Fatalf("after the second claim: %+v", sent)
	}
	got := r.Received()
	counts := mailtest.ByMessageID(t, got)
	if len(got) != 2 || counts["<"+m.ID+"@rollcall.test>"] != 2 {
		t.Fatalf("arrivals by Message-ID: %v; want the message twice with one Message-ID (at least once)", counts)
	}
	if string(got[0].Data) != string(got[1].Data) {
		t.Fatal("the resent message differs from the first")
	}
}

func TestDispatchersShareAStore(t *testing.T) {
	// Two replicas' dispatchers on one store: each message is sent once.
	r := mailtest.Start(t, mailtest.Options{})
	svc := newService(t, "https://rollcall.example.com", "Acme Supplies")
	const n = 40
	ids := createUsers(t, svc, n)
	for range 2 {
		newDispatcher(t, &rollcall.Service{Store: svc.Store}, r, func(d *rcmail.Dispatcher) { d.Batch = 3; d.Interval = 10 * time.Millisecond })
	}
	got := r.Wait(t, n, wait)
	for _, id := range ids {
		waitStatus(t, svc.Store, id, rollcall.MessageSent)
	}
	counts := mailtest.ByMessageID(t, r.Received())
	if len(got) < n || len(counts) != n {
		t.Fatalf("%d distinct of %d arrived", len(counts), n)
	}
	for id, c := range counts {
		if c != 1 {
			t.Errorf("%s arrived %d times", id, c)
		}
	}
}

func TestDispatcherCloseReleasesTheBatch(t *testing.T) {
	// Close while a batch is being sent: the message in flight is sent and recorded, the
	// rest are given back, due at once, their claim undone.
	svc := newService(t, "https://rollcall.example.com", "Acme Supplies")
	var ids []string
	for i := range 3 {
		ids = append(ids, createUser(t, svc, fmt.Sprintf("user%d@example.com", i), "User", fmt.Sprint(i)).ID)
	}
	ctx, cancel := context.WithCancel(t.Context())
	s := &cancelingSender{cancel: cancel}
	d := &rcmail.Dispatcher{Store: svc.Store, Sender: s, Log: testLog(t), Composer: &rcmail.Composer{From: mail.Address{Address: "noreply@rollcall.test"}}}
	if n, err := d.RunOnce(ctx); n != 3 || err != nil {
		t.Fatalf("RunOnce: %d, %v", n, err)
	}
	if s.sends != 1 {
		t.Fatalf("%d sent after the stop, want only the one in flight", s.sends)
	}
	sent := 0
	for _, id := range ids {
		m := message(t, svc.Store, id)
		switch {
		case m.Status == rollcall.MessageSent && m.Attempts == 1:
			sent++
		case m.Status == rollcall.MessageQueued && m.Attempts == 0 && !m.NextAttempt.After(time.Now()):
		default:
			t.Errorf("message after Close: %+v", m)
		}
	}
	if sent != 1 {
		t.Fatalf("%d recorded sent, want 1", sent)
	}
}

// cancelingSender cancels the dispatcher's context during its first send, which
// still succeeds.
type cancelingSender struct {
	cancel func()
	sends  int
}

func (s *cancelingSender) Send(context.Context, string, []string, []byte) error {
	s.sends++
	s.cancel()
	return nil
}
func (s *cancelingSender) Close() error { return nil }

// testLog logs through tb when -v, else nowhere.
func testLog(tb testing.TB) *slog.Logger {
	if !testing.Verbose() {
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(slog.NewTextHandler(tbWriter{tb}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type tbWriter struct{ tb testing.TB }

func (w tbWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

package mail

import (
	"container/heap"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/rollcall/rollcall"
)

// debtRetry is how soon a dispatcher tries again to record the outcomes the store did
// not take.
const debtRetry = time.Second

// Defaults of a Dispatcher.
const (
	DefaultInterval    = 5 * time.Second
	DefaultLease       = 5 * time.Minute
	DefaultBatch       = 20
	DefaultMaxAttempts = 10
	DefaultBackoffBase = 30 * time.Second
	DefaultBackoffMax  = time.Hour
	DefaultSendTimeout = 2 * time.Minute
)

// Dispatcher delivers the outbox: it claims due messages (Tx.ClaimMessages), sends each,
// and records the outcome. A message sent is marked sent; a failed attempt keeps the
// error and is due again after a backoff (BackoffBase·2^(attempts-1), at most BackoffMax)
// until MaxAttempts, when it is marked failed; a permanent refusal (5xx) fails it at
// once. Several Dispatchers (replicas) may share a Store: a claim is theirs alone for
// Lease, which must outlast a send (SendTimeout): a claimed message whose lease would
// end during its send is given back untried.
//
// Set the fields, then Start; Close stops it.
type Dispatcher struct {
	Store    rollcall.Store
	Sender   Sender
	Composer *Composer
	Log      *slog.Logger // nil: slog.Default()
	Now      func() time.Time

	Interval    time.Duration // how often it looks for due messages without a Notify
	Lease       time.Duration
	Batch       int // messages claimed at once
	MaxAttempts int
	BackoffBase time.Duration
	BackoffMax  time.Duration
	SendTimeout time.Duration // for one message, connecting included

	// Hooks observe each send, for metrics and traces; nil fields are skipped.
	Hooks Hooks

	wake    chan struct{}
	mu      sync.Mutex
	retries timeHeap // the retries this dispatcher has scheduled and not yet run
	// owed are the outcomes this dispatcher could not record (the store did not answer):
	// a send to record, or a claim to give back. They are recorded, in order, before it
	// claims anything else.
	owed    []owed
	stop    context.CancelFunc
	done    chan struct{}
	started sync.Once
	closed  sync.Once
}

// Hooks observe a Dispatcher's sends. They must not block.
type Hooks struct {
	// StartSend is called as an attempt to send m begins (m as claimed: m.Attempts
	// counts this attempt from 1, m.TraceParent is the trace of the request that queued
	// it); it returns the context to send with (a span in it, say) and a function called
	// with the send's error when the attempt ends.
	StartSend func(ctx context.Context, m *rollcall.Message) (context.Context, func(err error))
	// Sent is called once an attempt's outcome is recorded: OutcomeSent, OutcomeRetry or
	// OutcomeFailed, and how long the send took.
	Sent func(outcome string, d time.Duration)
}

// Outcomes of one attempt, for Hooks.Sent.
const (
	OutcomeSent   = "sent"   // the relay accepted it
	OutcomeRetry  = "retry"  // it failed and is due again after a backoff
	OutcomeFailed = "failed" // it failed for good: a permanent refusal, or its last attempt
)

// Notify wakes the dispatcher to look for due messages now (the Service calls it after a
// commit that queued mail: rollcall.Service.MailQueued). It never blocks.
func (d *Dispatcher) Notify() {
	d.init()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

func (d *Dispatcher) init() {
	d.started.Do(func() {
		d.wake = make(chan struct{}, 1)
		d.done = make(chan struct{})
	})
}

// Start runs the dispatcher in the background until Close.
func (d *Dispatcher) Start() {
	d.init()
	ctx, cancel := context.WithCancel(context.Background())
	d.stop = cancel
	go func() {
		defer close(d.done)
		d.run(ctx)
	}()
}

// Close stops the dispatcher and waits for it: a message being sent is sent (within
// SendTimeout) and recorded; the rest of its batch is released, due at once.
func (d *Dispatcher) Close() error {
	d.init()
	var err error
	d.closed.Do(func() {
		if d.stop == nil {
			return
		}
		d.stop()
		<-d.done
		if perr := d.payDebts(); perr != nil {
			d.log().Warn("mail: stopping with outcomes not recorded; their claims end with their lease", "err", perr)
		}
		err = d.Sender.Close()
	})
	return err
}

func (d *Dispatcher) run(ctx context.Context) {
	log := d.log()
	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		case <-d.wake:
		}
		// A retry this dispatcher scheduled runs on time, not at the next poll. This
		// run claims whatever is due by now; later retries it schedules set retryAt.
		d.mu.Lock()
		for now := d.now(); len(d.retries) > 0 && !d.retries[0].After(now); {
			heap.Pop(&d.retries)
		}
		d.mu.Unlock()
		n, err := d.RunOnce(ctx)
		if err != nil && ctx.Err() == nil {
			log.Warn("mail: outbox", "err", err)
		}
		next := d.interval()
		if err == nil && n == d.batch() {
			next = 0 // a full batch: more may be due
		}
		d.mu.Lock()
		if len(d.owed) > 0 {
			next = min(next, debtRetry) // record them as soon as the store answers
		}
		if len(d.retries) > 0 {
			next = min(next, max(d.retries[0].Sub(d.now()), 0))
		}
		d.mu.Unlock()
		if !timer.Stop() {
			select {
			case <-timer.C:
			default:
			}
		}
		timer.Reset(next)
	}
}

// RunOnce claims one batch of due messages, sends them and records each outcome. It
// returns how many it claimed. Stopping ctx ends it after the message being sent.
//
// If an outcome cannot be recorded (the store does not answer), it sends nothing more:
// the message's outcome and the claims of the rest of the batch are owed to the store,
// and the next RunOnce records them (the send, and the claims given back, due at once)
// before it claims anything else. So a store outage costs no duplicate, unless it
// outlasts the lease (see README: Invitation mail).
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	if err := d.payDebts(); err != nil {
		return 0, err
	}
	var batch []*rollcall.Message
	err := d.Store.Update(ctx, func(tx rollcall.Tx) (err error) {
		batch, err = tx.ClaimMessages(d.now(), d.lease(), d.batch())
		return err
	})
	if err != nil || len(batch) == 0 {
		return 0, err
	}
	defer d.Sender.Close()
	var errs []error
	for i, m := range batch {
		if ctx.Err() != nil {
			errs = append(errs, d.release(batch[i:]))
			break
		}
		if d.now().Add(d.sendTimeout()).After(m.NextAttempt) {
			// Its lease could run out during the send, and another dispatcher claim
			// it: give the rest back rather than risk sending twice.
			errs = append(errs, d.release(batch[i:]))
			break
		}
		start := time.Now()
		sendErr := d.send(m)
		took := time.Since(start)
		if err := d.record(m, sendErr); err != nil {
			// The store does not answer: stop here, and owe it this outcome and the
			// rest of the claims.
			d.owe(owed{m: m, sendErr: sendErr}, batch[i+1:])
			return len(batch), errors.Join(append(errs, err)...)
		}
		if d.Hooks.Sent != nil {
			d.Hooks.Sent(d.outcome(m, sendErr), took)
		}
		var re *RelayError
		if errors.As(sendErr, &re) && i+1 < len(batch) {
			// The relay is down: the rest of the batch waits for the same backoff
			// rather than each trying it again now.
			for j, rest := range batch[i+1:] {
				if err := d.record(rest, sendErr); err != nil {
					d.owe(owed{m: rest, sendErr: sendErr}, batch[i+2+j:])
					return len(batch), errors.Join(append(errs, err)...)
				}
			}
			break
		}
	}
	return len(batch), errors.Join(errs...)
}

// owed is an outcome not yet recorded: m's send (sendErr), or, with release, m's claim
// to give back untried.
type owed struct {
	m       *rollcall.Message
	sendErr error
	release bool
}

// owe keeps o, and the claims of untried, to be recorded once the store answers.
func (d *Dispatcher) owe(o owed, untried []*rollcall.Message) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.owed = append(d.owed, o)
	for _, m := range untried {
		d.owed = append(d.owed, owed{m: m, release: true})
	}
}

// payDebts records what is owed, in order; it stops at the first that the store does
// not take because it does not answer (Unavailable), and returns its error. A debt the
// store refuses otherwise is dropped and logged: retrying it would stop the dispatcher
// for good, and the claim ends with its lease anyway.
func (d *Dispatcher) payDebts() error {
	d.mu.Lock()
	debts := d.owed
	d.mu.Unlock()
	paid := 0
	var err error
	for paid < len(debts) && err == nil {
		o, n := debts[paid], 1
		if o.release { // the claims given back together, in one transaction
			for paid+n < len(debts) && debts[paid+n].release {
				n++
			}
			ms := make([]*rollcall.Message, 0, n)
			for _, r := range debts[paid : paid+n] {
				ms = append(ms, r.m)
			}
			err = d.release(ms)
		} else {
			err = d.record(o.m, o.sendErr)
		}
		if err != nil && !rollcall.IsKind(err, rollcall.Unavailable) {
			d.log().Warn("mail: an outcome the store refuses is dropped", "message", o.m.ID, "release", o.release, "err", err)
			err = nil
		}
		if err == nil {
			paid += n
		}
	}
	d.mu.Lock()
	d.owed = d.owed[paid:]
	d.mu.Unlock()
	if err != nil {
		return fmt.Errorf("mail: %d outcomes not recorded yet: %w", len(debts)-paid, err)
	}
	return nil
}

// send renders and sends m. It is not stopped by Close: a message is either sent or
// refused before the dispatcher stops, within SendTimeout.
func (d *Dispatcher) send(m *rollcall.Message) (err error) {
	ctx := context.Background()
	if d.Hooks.StartSend != nil {
		var end func(error)
		ctx, end = d.Hooks.StartSend(ctx, m)
		defer func() { end(err) }()
	}
	msg, err := d.Composer.Compose(m)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, d.sendTimeout())
	defer cancel()
	return d.Sender.Send(ctx, d.Composer.From.Address, []string{m.To}, msg)
}

// outcome is what an attempt that ended with sendErr came to, as record decided it:
// failed when the error is permanent or the attempt was the last.
func (d *Dispatcher) outcome(m *rollcall.Message, sendErr error) string {
	switch {
	case sendErr == nil:
		return OutcomeSent
	case IsPermanent(sendErr) || m.Attempts >= d.maxAttempts():
		return OutcomeFailed
	}
	return OutcomeRetry
}

// record writes the outcome of m's attempt (m as claimed). A message another
// dispatcher has settled, or claimed again after this one's lease ran out, is left to
// it, except that a success is always recorded.
func (d *Dispatcher) record(m *rollcall.Message, sendErr error) error {
	log := d.log()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var outcome string
	err := d.Store.Update(ctx, func(tx rollcall.Tx) error {
		cur, err := tx.Message(m.ID)
		if rollcall.IsKind(err, rollcall.NotFound) {
			outcome = "gone" // deleted with its directory meanwhile: nothing to record
			return nil
		}
		if err != nil {
			return err
		}
		now := d.now()
		switch {
		case cur.Status != rollcall.MessageQueued:
			outcome = "already " + cur.Status
			return nil
		case sendErr == nil:
			cur.MarkSent(now) // the link goes: the stored body no longer opens the invitation
			outcome = rollcall.MessageSent
		case cur.Attempts > m.Attempts:
			outcome = "claimed again"
			return nil
		default:
			cur.LastError = errorText(sendErr)
			if IsPermanent(sendErr) || cur.Attempts >= d.maxAttempts() {
				cur.MarkFailed(cur.LastError)
				outcome = rollcall.MessageFailed
			} else {
				cur.NextAttempt = now.Add(d.backoff(cur.Attempts))
				outcome = "retry"
				d.mu.Lock()
				heap.Push(&d.retries, cur.NextAttempt)
				d.mu.Unlock()
			}
		}
		return tx.UpdateMessage(cur)
	})
	if err != nil {
		return err
	}
	attrs := []any{"message", m.ID, "attempt", m.Attempts, "outcome", outcome}
	if sendErr != nil {
		log.Warn("mail: not sent", append(attrs, "err", sendErr)...)
	} else {
		log.Info("mail: sent", attrs...)
	}
	return nil
}

// release gives back messages claimed but not tried (the dispatcher is stopping):
// due at once, the claim's attempt undone.
func (d *Dispatcher) release(ms []*rollcall.Message) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	return d.Store.Update(ctx, func(tx rollcall.Tx) error {
		for _, m := range ms {
			cur, err := tx.Message(m.ID)
			if err != nil {
				return err
			}
			if cur.Status != rollcall.MessageQueued || cur.Attempts != m.Attempts {
				continue
			}
			cur.Attempts--
			cur.NextAttempt = d.now()
			if err := tx.UpdateMessage(cur); err != nil {
				return err
			}
		}
		return nil
	})
}

// errorText is what LastError keeps: the error, cut to 500 bytes.
func errorText(err error) string {
	s := err.Error()
	if len(s) > 500 {
		s = s[:500]
	}
	return s
}

func (d *Dispatcher) backoff(attempts int) time.Duration {
	base, max := d.BackoffBase, d.BackoffMax
	if base <= 0 {
		base = DefaultBackoffBase
	}
	if max <= 0 {
		max = DefaultBackoffMax
	}
	b := base
	for i := 1; i < attempts && b < max; i++ {
		b *= 2
	}
	return min(b, max)
}

func (d *Dispatcher) now() time.Time {
	if d.Now != nil {
		return d.Now().UTC().Truncate(time.Millisecond)
	}
	return time.Now().UTC().Truncate(time.Millisecond)
}

func (d *Dispatcher) log() *slog.Logger {
	if d.Log != nil {
		return d.Log
	}
	return slog.Default()
}

func (d *Dispatcher) interval() time.Duration {
	if d.Interval > 0 {
		return d.Interval
	}
	return DefaultInterval
}

func (d *Dispatcher) sendTimeout() time.Duration {
	if d.SendTimeout > 0 {
		return d.SendTimeout
	}
	return DefaultSendTimeout
}

// lease is at least twice SendTimeout, so the first message of a batch is always tried.
func (d *Dispatcher) lease() time.Duration {
	l := d.Lease
	if l <= 0 {
		l = DefaultLease
	}
	return max(l, 2*d.sendTimeout())
}

func (d *Dispatcher) batch() int {
	if d.Batch > 0 {
		return d.Batch
	}
	return DefaultBatch
}

func (d *Dispatcher) maxAttempts() int {
	if d.MaxAttempts > 0 {
		return d.MaxAttempts
	}
	return DefaultMaxAttempts
}

// timeHeap is a min-heap of times (container/heap).
type timeHeap []time.Time

func (h timeHeap) Len() int           { return len(h) }
func (h timeHeap) Less(i, j int) bool { return h[i].Before(h[j]) }
func (h timeHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *timeHeap) Push(x any)        { *h = append(*h, x.(time.Time)) }
func (h *timeHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	*h = old[:len(old)-1]
	return t
}

package postgres

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/rollcall/rollcall"
)

// An Update's COMMIT whose connection dies before the answer arrives (the server
// crashed or was shut down, the network failed) may or may not have committed. The
// client must not be told "failed" for a write that is there, so every Update writes a
// marker row with a random ID in its own transaction, in the same round trip as its
// COMMIT, and when the outcome is unknown Update settles it on a new connection before
// answering (resolve):
//
//	INSERT INTO rollcall_commits (id, at) VALUES ($marker, now) ON CONFLICT DO NOTHING
//
// If the lost transaction committed, the key is taken and nothing is inserted: the
// Update succeeded, and is answered so. If it did not, the insert succeeds, and takes
// the key for good, so the lost transaction can never commit later. If it is still in
// progress (its backend has not yet noticed the client left), the insert waits for it
// to end, then decides as above. While the server is down, resolve tries again, with
// backoff, for up to resolveTimeout; after that the outcome stays unknown and the answer
// is Internal ("the outcome of the write is unknown"), the only case a client sees a
// 500 for a lost connection.

const (
	resolveTimeout = 30 * time.Second      // how long an unknown outcome is pursued
	markerTTL      = 10 * time.Minute      // markers older than this are pruned
	pruneEvery     = 1024                  // one prune per this many commits per replica
	commitTimeout  = 30 * time.Second      // a COMMIT that takes longer is abandoned (and resolved)
	checkTimeout   = 5 * time.Second       // one attempt at resolving
	resolveBackoff = 50 * time.Millisecond // the first wait between attempts, doubling to 1s
)

// uncertainCommit is run's error for a COMMIT whose outcome is unknown.
type uncertainCommit struct {
	marker string
	cause  error
}

func (e *uncertainCommit) Error() string {
	return "postgres: commit: the connection failed, the outcome is unknown: " + e.cause.Error()
}
func (e *uncertainCommit) Unwrap() error { return e.cause }

// commit writes t's marker and commits, in one round trip, with what t has waiting
// ahead; the caller's cancellation
// does not interrupt it (that would make its outcome unknown). The error is translated,
// or an *uncertainCommit. requests is how many Updates the transaction carries, for
// Hooks.Commit.
func (s *Store) commit(ctx context.Context, t *tx, requests int) error {
	marker := rand.Text()
	start := time.Now()
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), commitTimeout)
	defer cancel()
	// What waits ahead (deferred writes) goes first, in the same round trip; an fn that
	// only deferred writes begins its transaction here too.
	t.ctx = cctx
	b := t.batch()
	b.Queue(`INSERT INTO rollcall_commits (id, at) VALUES ($1, $2)`, marker, time.Now().UTC().Truncate(time.Millisecond))
	b.Queue("COMMIT")
	br, err := t.send(b)
	var tag pgconn.CommandTag
	if err == nil {
		_, err = br.Exec()
		if err == nil {
			tag, err = br.Exec()
		}
		err = closeBatch(br, err)
	}
	if err == nil && tag.String() != "COMMIT" {
		err = fmt.Errorf("COMMIT answered %q", tag.String())
	}
	if err == nil {
		if s.hooks.Commit != nil {
			s.hooks.Commit(requests, time.Since(start))
		}
		if s.commits.Add(1)%pruneEvery == 0 {
			go s.pruneMarkers()
		}
		return nil
	}
	cause := err
	if t.doomed {
		cause = t.aheadCause // aheadErr's err may hide whether the server answered
	}
	if uncertain(cause) {
		return &uncertainCommit{marker: marker, cause: err}
	}
	if t.tx != nil && t.conn != nil && t.conn.PgConn().TxStatus() != 'I' {
		rollback(t.tx) // a statement before the COMMIT failed: the COMMIT never ran
	}
	if t.doomed {
		return &aheadFailed{translate(ctx, "commit", err)}
	}
	return translate(ctx, "commit", err)
}

// aheadFailed is commit's error when a deferred write sent with the COMMIT failed, so
// that nothing committed: in a group, that write may be any request's (group.go).
type aheadFailed struct{ err error }

func (e *aheadFailed) Error() string { return e.err.Error() }
func (e *aheadFailed) Unwrap() error { return e.err }

// uncertain reports whether a COMMIT that failed with err may have committed: unless
// nothing was sent, or the server answered with an error of its own (the transaction
// was rolled back), it may have.
func uncertain(err error) bool {
	if pgconn.SafeToRetry(err) {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return connectionClass(pe.Code) // a FATAL from a server going down is no answer
	}
	return true
}

// resolve settles an unknown outcome (see the top of this file): nil if the
// transaction committed, Unavailable if it did not, Internal if it cannot be told.
func (s *Store) resolve(uc *uncertainCommit) error {
	deadline := time.Now().Add(resolveTimeout)
	wait := resolveBackoff
	for {
		committed, err := s.takeMarker(uc.marker)
		if err == nil {
			s.resolved.Add(1)
			if committed {
				return nil
			}
			return unavailable("the database is unavailable", "commit", uc.cause)
		}
		if time.Now().Add(wait).After(deadline) {
			return &rollcall.Error{Kind: rollcall.Internal, Message: "internal error",
				Err: fmt.Errorf("%w; still unknown after %v: %v", uc, resolveTimeout, err)}
		}
		time.Sleep(wait)
		wait = min(2*wait, time.Second)
	}
}

// takeMarker inserts marker unless it is there: committed says it was.
func (s *Store) takeMarker(marker string) (committed bool, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	pc, err := s.pool.acquire(ctx)
	if err != nil {
		return false, err
	}
	defer s.pool.release(pc)
	tag, err := pc.conn.Exec(ctx, `INSERT INTO rollcall_commits (id, at) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
		marker, time.Now().UTC().Truncate(time.Millisecond))
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() == 0, nil
}

// pruneMarkers deletes the markers no resolve can still need.
func (s *Store) pruneMarkers() {
	ctx, cancel := context.WithTimeout(context.Background(), checkTimeout)
	defer cancel()
	pc, err := s.pool.acquire(ctx)
	if err != nil {
		return
	}
	defer s.pool.release(pc)
	_, _ = pc.conn.Exec(ctx, `DELETE FROM rollcall_commits WHERE at < $1`, time.Now().UTC().Add(-markerTTL))
}

// commitCounters count commits, for pruning, and resolved unknown outcomes.
type commitCounters struct {
	commits  atomic.Int64
	resolved atomic.Int64
}

// Resolved is how many unknown COMMIT outcomes this Store has settled.
func (s *Store) Resolved() int64 { return s.resolved.Load() }

package awsx

import (
	"context"
	"net"
	"net/http"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/httpx"
)

// Injector decides whether a request gets an injected fault (package fault keeps the
// rules). Pipeline.Faults nil injects none.
type Injector interface {
	// Inject is asked once per request, after the caller is authenticated and
	// throttled, before the handler runs.
	Inject(r *http.Request, face, op string, c rollcall.Caller) Injection
}

// An ArmedInjector can tell that it has no rule to fire, so Inject would do nothing:
// an unconfirmed caller (tentative.go) need not be confirmed before it. An Injector
// that is not one is taken to be armed.
type ArmedInjector interface {
	Armed() bool
}

// armed reports whether in may fire a rule.
func armed(in Injector) bool {
	a, ok := in.(ArmedInjector)
	return !ok || a.Armed()
}

// Injection is what an Injector does to one request; the zero value does nothing.
type Injection struct {
	Rule         string        // the rule's ID, for the request log
	Delay        time.Duration // wait, then go on
	Err          error         // answer this error, through the face's error table
	Reset        bool          // reset the connection (RST) instead of serving
	LoseResponse bool          // serve (the handler's writes commit), then close the connection unanswered
}

// drops reports whether the response is not written: the connection is hung up.
func (in Injection) drops() bool { return in.Reset || in.LoseResponse }

// inject asks p.Faults about r and waits out a delay; it returns the error to answer
// instead of serving, and whether the connection is to be reset.
func (p *Pipeline) inject(r *http.Request, op string, c rollcall.Caller) (Injection, error) {
	in := p.Faults.Inject(r, p.Name, op, c)
	if in.Rule != "" {
		httpx.InfoFrom(r.Context()).Fault = in.Rule
	}
	if in.Delay > 0 {
		if err := sleep(r.Context(), in.Delay); err != nil {
			return in, err
		}
	}
	return in, in.Err
}

func sleep(ctx context.Context, d time.Duration) error {
	select {
	case <-time.After(d): // collected once it fires or is dropped (Go 1.23)
		return nil
	case <-ctx.Done():
		return rollcall.WithOp("fault latency", ctx.Err())
	}
}

// Hangup hijacks the request's connection and closes it without a response. With reset
// it closes with SO_LINGER 0, so the client reads ECONNRESET; without, it closes
// cleanly, so the client reads EOF where the response should be (as when a proxy drops
// a connection). Where the connection cannot be hijacked (HTTP/2) it aborts the
// handler, which resets the stream.
func Hangup(w http.ResponseWriter, reset bool) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	for c := conn; reset && c != nil; {
		if tc, ok := c.(interface{ SetLinger(int) error }); ok {
			tc.SetLinger(0)
			break
		}
		u, ok := c.(interface{ NetConn() net.Conn })
		if !ok {
			break
		}
		c = u.NetConn()
	}
	conn.Close()
}

package awsx

import (
	"net/http"
	"sync/atomic"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/audit/trail"
	"github.com/rollcall/rollcall/httpx"
)

// A TentativeAuthenticator can name a request's caller from a cache without a round
// trip to the store, unconfirmed: Amazon Business's access tokens on PostgreSQL, where
// another replica may have revoked the token since this one read it (auth/token).
//
// The pipeline serves such a caller so that everything it answers, writes and records
// is what it would have been had Authenticate named the caller:
//   - on the success path the handler's Updates confirm it: the check Tentative returns
//     runs inside each (a write hook, after fn), from the store's cache, its check of
//     the row in the Update's own round trip, so a stale token fails the Update;
//   - any other outcome (an error of any step: content type, body, validation, the
//     handler, a failed Update), and a handler that made no Update, is confirmed by
//     Authenticate before it is answered: a token Authenticate refuses is answered with
//     Authenticate's error, as if no step after authentication had run (no identity or
//     request in the audit trail, no tenant in the request log, the auth failure in the
//     metrics);
//   - before any effect outside the handler's Updates it is confirmed by Authenticate
//     first: a fault rule that may fire (it counts its firings in the store), and a rate
//     limit (see authenticateFirst); the tenant goes into the request log only once the
//     caller is confirmed.
type TentativeAuthenticator interface {
	// Tentative returns the caller r's credential names as the cache holds it, and the
	// check that confirms it inside an Update (it fails with the error Authenticate
	// would answer, for a credential Authenticate would refuse). ok is false when the
	// cache cannot name one: then Authenticate.
	Tentative(r *http.Request) (c rollcall.Caller, confirm func(rollcall.Tx) error, ok bool)
}

// tentative is a request's unconfirmed caller.
type tentative struct {
	c     rollcall.Caller
	check func(rollcall.Tx) error
	// inUpdate is set by an Update's check that passed; the Update committed if the
	// handler answers success.
	inUpdate atomic.Bool
	// looked says Authenticate confirmed the caller, or refused it with err.
	looked bool
	err    error
}

// errCallerChanged is a confirmation that named another caller than the cache did.
var errCallerChanged = &rollcall.Error{Kind: rollcall.Unavailable, Op: "ConfirmCaller",
	Message: "The credential changed while the request was served; retry it."}

// authenticateFirst authenticates before the body is read: tentatively when the
// authenticator can and the operation has no rate limit, else as authenticate does.
//
// A limited operation confirms first. Spending tentatively and refunding a refused
// caller would not be exact: between the spend and the refund another request of the
// tenant could find the bucket empty and be throttled where it would not have been;
// and an operation limited to a few requests a second per tenant gains nothing from a
// round trip saved.
func (p *Pipeline) authenticateFirst(r *http.Request, op string) (rollcall.Caller, *tentative, error) {
	if ta, ok := p.Auth.(TentativeAuthenticator); ok && !p.Limits.LimitedOp(p.Name, op) {
		if c, check, ok := ta.Tentative(r); ok {
			return c, &tentative{c: c, check: check}, nil
		}
	}
	c, err := p.authenticate(r, op, nil)
	return c, nil, err
}

// inUpdates returns r with tc's check in every Update made with its context, after fn
// and before the write hook r's context carries already (the audit trail's).
func (tc *tentative) inUpdates(r *http.Request) *http.Request {
	parent := r.Context()
	confirm := func(tx rollcall.Tx) error {
		if err := tc.check(tx); err != nil {
			return err
		}
		tc.inUpdate.Store(true)
		return nil
	}
	return r.WithContext(rollcall.WithWriteHook(parent, func() func(rollcall.Tx) error {
		return rollcall.Hooked(parent, confirm)
	}))
}

// confirm confirms tc's caller by Authenticate, once. A refused caller is undone: the
// call's identity and request are cleared, as a refused credential leaves them, and
// the refusal is recorded; the error is the one to answer. A confirmed caller's tenant
// goes into the request log.
func (p *Pipeline) confirm(r *http.Request, tc *tentative, call *trail.Call) error {
	if tc.looked {
		return tc.err
	}
	tc.looked = true
	c, err := p.Auth.Authenticate(r, nil)
	if err == nil && c != tc.c {
		err = errCallerChanged
	}
	if err != nil {
		if k := rollcall.ErrorKind(err); k == rollcall.Unauthorized || k == rollcall.Forbidden {
			httpx.AuthFailed(r, p.scheme(r), err)
		}
		call.Refused()
		tc.err = err
		return err
	}
	httpx.SetTenant(r, c.TenantID)
	return nil
}

// settle is the outcome of a request served for tc's caller: resp, err when an
// Update confirmed the caller and the handler succeeded, or once Authenticate has;
// Authenticate's error when it refuses the caller.
func (p *Pipeline) settle(r *http.Request, tc *tentative, call *trail.Call, resp Response, err error) (Response, error) {
	if err == nil && tc.inUpdate.Load() {
		if !tc.looked {
			httpx.SetTenant(r, tc.c.TenantID)
		}
		return resp, nil
	}
	if cerr := p.confirm(r, tc, call); cerr != nil {
		return Response{}, cerr
	}
	return resp, err
}

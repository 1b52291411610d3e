package auth

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth/sigv4"
)

// AWS authenticates SigV4-signed requests for one credential-scope service.
type AWS struct {
	verifier sigv4.Verifier
	svc      *rollcall.Service
	now      func() time.Time

	mu      sync.RWMutex // readers (every request) do not wait for each other
	keys    map[string]cachedKey
	reading flight[*rollcall.AccessKey]
}

// KeyCacheTTL is how long a looked-up access key is reused without asking the store
// again: a rotated or revoked key keeps working for at most this long. It saves a read
// transaction per request, which is a tenth of a create's cost.
const KeyCacheTTL = time.Second

const keyCacheMax = 10000

type cachedKey struct {
	key *rollcall.AccessKey
	at  time.Time
}

// AWSOption configures an authenticator made by NewAWS.
type AWSOption func(*sigv4.Verifier)

// MustSign requires headers (lower case) to be signed whenever a request carries them:
// those the face routes on or reads.
func MustSign(headers ...string) AWSOption {
	return func(v *sigv4.Verifier) { v.MustSign = append(v.MustSign, headers...) }
}

// Regions accepts only these credential-scope regions (each a valid region name); none
// means any valid region name.
func Regions(regions ...string) AWSOption {
	return func(v *sigv4.Verifier) { v.Regions = append(v.Regions, regions...) }
}

// NewAWS returns an authenticator for requests signed for service (e.g. "chime") with
// the access keys svc knows. now may be nil.
func NewAWS(svc *rollcall.Service, service string, now func() time.Time, opts ...AWSOption) *AWS {
	if now == nil {
		now = time.Now
	}
	a := &AWS{svc: svc, now: now, keys: map[string]cachedKey{}}
	lookup := func(ctx context.Context, id string) (sigv4.Credential, error) {
		k, err := a.accessKey(ctx, id)
		switch {
		case rollcall.IsKind(err, rollcall.NotFound):
			return sigv4.Credential{}, sigv4.ErrUnknownKey
		case rollcall.IsKind(err, rollcall.Unauthorized):
			return sigv4.Credential{}, sigv4.ErrExpiredCredential
		}
		if err != nil {
			return sigv4.Credential{}, err
		}
		return sigv4.Credential{AccessKeyID: k.ID, SecretAccessKey: k.Secret, SessionTokenHash: k.SessionTokenHash, Expires: k.ExpiresAt, Owner: k.TenantID}, nil
	}
	svc.OnStateReplaced(a.forget)
	a.verifier = sigv4.Verifier{Lookup: lookup, Now: now, Services: []string{service}}
	for _, o := range opts {
		o(&a.verifier)
	}
	return a
}

// forget empties the key cache: the store's state was replaced (a reset, a restore).
func (a *AWS) forget() {
	a.mu.Lock()
	a.keys = map[string]cachedKey{}
	a.mu.Unlock()
}

// accessKey returns the key from the cache when fresh, else from the store.
func (a *AWS) accessKey(ctx context.Context, id string) (*rollcall.AccessKey, error) {
	now := a.now()
	a.mu.RLock()
	c, ok := a.keys[id]
	a.mu.RUnlock()
	if ok && now.Sub(c.at) < KeyCacheTTL && (c.key.ExpiresAt.IsZero() || now.Before(c.key.ExpiresAt)) {
		return c.key, nil
	}
	gen := a.svc.StateGeneration() // a key read before a reset or restore is not kept after it
	k, err := a.reading.do(ctx, flightKey{id, gen}, func() (*rollcall.AccessKey, error) { return AccessKey(ctx, a.svc, id) })
	if err != nil {
		return nil, err
	}
	a.mu.Lock()
	if len(a.keys) >= keyCacheMax {
		a.keys = map[string]cachedKey{}
	}
	if a.svc.StateGeneration() == gen {
		a.keys[id] = cachedKey{key: k, at: now}
	}
	a.mu.Unlock()
	return k, nil
}

// Authenticate verifies r, whose body has already been read into body. The caller's
// tenant is the owner of the access key that signed it.
func (a *AWS) Authenticate(r *http.Request, body []byte) (rollcall.Caller, error) {
	res, err := a.verifier.Verify(r.Context(), r, body)
	if err != nil {
		return rollcall.Caller{}, translate(err)
	}
	return rollcall.Caller{TenantID: res.Owner, Region: res.Region, Credential: rollcall.CredentialAccessKey, AccessKeyID: res.AccessKeyID}, nil
}

// translate turns a verification failure into a rollcall error with an auth Reason.
func translate(err error) error {
	var ve *sigv4.Error
	if !errors.As(err, &ve) {
		return rollcall.WithOp("Authenticate", err)
	}
	kind, reason := rollcall.Unauthorized, ""
	switch ve.Code {
	case sigv4.MissingAuth:
		reason = rollcall.ReasonMissingAuth
	case sigv4.MalformedAuth, sigv4.DateMismatch:
		reason = rollcall.ReasonMalformedAuth
	case sigv4.UnsupportedAlgorithm:
		reason = rollcall.ReasonUnsupportedAlgo
	case sigv4.UnknownKey:
		reason = rollcall.ReasonUnknownKey
	case sigv4.ExpiredCredential:
		reason = rollcall.ReasonExpiredToken
	case sigv4.InvalidToken:
		reason = rollcall.ReasonInvalidToken
	case sigv4.SignatureMismatch:
		kind, reason = rollcall.Forbidden, rollcall.ReasonBadSignature
	case sigv4.RequestExpired:
		kind, reason = rollcall.Forbidden, rollcall.ReasonRequestExpired
	case sigv4.WrongService, sigv4.WrongRegion:
		kind, reason = rollcall.Forbidden, rollcall.ReasonWrongScope
	default:
		reason = rollcall.ReasonMalformedAuth
	}
	return &rollcall.Error{Kind: kind, Op: "Authenticate", Reason: reason, Message: ve.Message, Err: err}
}

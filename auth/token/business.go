package token

import (
	"context"
	"crypto/subtle"
	"net/http"
	"time"

	"github.com/rollcall/rollcall"
)

// DefaultAccessTokenTTL is how long an issued access token works.
const DefaultAccessTokenTTL = time.Hour

// Tokens issues and checks bearer tokens over svc's store, clock and randomness.
type Tokens struct {
	svc   *rollcall.Service
	attrs Attrs
	// AccessTokenTTL is how long an issued Amazon Business access token works (default
	// DefaultAccessTokenTTL).
	AccessTokenTTL time.Duration
}

// Attrs read what tokens depend on from the products' attributes, which auth does not
// read itself: cmd gives it the products' readers (operator.TokenAttrs). A reader that
// is nil fails its tokens (Internal).
type Attrs struct {
	TokenEpoch       func(*rollcall.User) (int64, error)       // workdocs.TokenEpoch
	ClientSecretHash func(*rollcall.Directory) (string, error) // business.ClientSecretHash
}

// New returns the tokens of svc, reading product attributes with attrs.
func New(svc *rollcall.Service, attrs Attrs) *Tokens { return &Tokens{svc: svc, attrs: attrs} }

var noReader = &rollcall.Error{Kind: rollcall.Internal, Message: "token: no reader of the product attribute it needs"}

func (t *Tokens) tokenEpoch(u *rollcall.User) (int64, error) {
	if t.attrs.TokenEpoch == nil {
		return 0, noReader
	}
	return t.attrs.TokenEpoch(u)
}

func (t *Tokens) clientSecretHash(d *rollcall.Directory) (string, error) {
	if t.attrs.ClientSecretHash == nil {
		return "", noReader
	}
	return t.attrs.ClientSecretHash(d)
}

// Grant is a Login-with-Amazon token request.
type Grant struct {
	GrantType    string // client_credentials | refresh_token
	ClientID     string
	ClientSecret string
	RefreshToken string
}

// Issued is a new access token. The token is returned once and kept only as a hash.
type Issued struct {
	AccessToken  string
	RefreshToken string // echoed for the refresh_token grant
	ExpiresIn    time.Duration
}

// Reasons of refused grants; face/loginwithamazon words them as OAuth 2.0 does.
const (
	ReasonBadClient        = "grant-bad-client"        // unknown client or wrong secret (Unauthorized)
	ReasonBadGrant         = "grant-bad-refresh-token" // refresh token unknown, expired or another client's
	ReasonUnsupportedGrant = "grant-unsupported"       // a grant_type other than the two
	ReasonMalformedGrant   = "grant-malformed"         // a required parameter is missing
)

// IssueBusiness authenticates a login client and issues an access token for its
// business that expires after AccessTokenTTL.
func (t *Tokens) IssueBusiness(ctx context.Context, g Grant) (*Issued, error) {
	const op = "IssueBusinessToken"
	fail := func(kind rollcall.Kind, reason, msg string) (*Issued, error) {
		return nil, &rollcall.Error{Kind: kind, Op: op, Reason: reason, Message: msg}
	}
	switch {
	case g.GrantType != "client_credentials" && g.GrantType != "refresh_token":
		if g.GrantType == "" {
			return fail(rollcall.Invalid, ReasonMalformedGrant, "The request is missing the grant_type parameter.")
		}
		return fail(rollcall.Invalid, ReasonUnsupportedGrant, "The grant_type "+g.GrantType+" is not supported: use client_credentials or refresh_token.")
	case g.ClientID == "" || g.ClientSecret == "":
		return fail(rollcall.Unauthorized, ReasonBadClient, "Client authentication failed: client_id and client_secret are required.")
	case g.GrantType == "refresh_token" && g.RefreshToken == "":
		return fail(rollcall.Invalid, ReasonMalformedGrant, "The request is missing the refresh_token parameter.")
	}
	ttl := t.AccessTokenTTL
	if ttl <= 0 {
		ttl = DefaultAccessTokenTTL
	}
	now := t.svc.Time()
	token, _ := t.svc.NewToken()
	token = "Atza|" + token
	hash := rollcall.HashToken(token)
	// Check the client (and the refresh token) in a read transaction first: a refused
	// grant must not take the writer, which every replica's writes queue on.
	err := t.svc.Store.View(ctx, func(tx rollcall.Tx) error {
		_, err := t.checkGrant(tx, g, now)
		return err
	})
	if err == nil {
		err = t.svc.Store.Update(ctx, func(tx rollcall.Tx) error {
			d, err := t.checkGrant(tx, g, now) // again: the client may have gone meanwhile
			if err != nil {
				return err
			}
			return tx.InsertAccessToken(&rollcall.AccessToken{Hash: hash, DirectoryID: d.ID, TenantID: d.TenantID,
				Kind: rollcall.TokenAccess, ExpiresAt: now.Add(ttl), CreatedAt: now})
		})
	}
	if err != nil {
		return nil, rollcall.WithOp(op, err)
	}
	return &Issued{AccessToken: token, RefreshToken: g.RefreshToken, ExpiresIn: ttl}, nil
}

// checkGrant authenticates the login client of g and its refresh token, if any, and
// returns the client's business.
func (t *Tokens) checkGrant(tx rollcall.Tx, g Grant, now time.Time) (*rollcall.Directory, error) {
	badClient := &rollcall.Error{Kind: rollcall.Unauthorized, Reason: ReasonBadClient, Message: "Client authentication failed: unknown client or wrong secret."}
	client, err := tx.AccessToken(rollcall.ClientKey(g.ClientID))
	if rollcall.IsKind(err, rollcall.NotFound) || (err == nil && client.Kind != rollcall.TokenClient) {
		return nil, badClient
	}
	if err != nil {
		return nil, err
	}
	d, err := tx.Directory(client.DirectoryID)
	if err != nil {
		return nil, err
	}
	secretHash, err := t.clientSecretHash(d)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(rollcall.HashToken(g.ClientSecret)), []byte(secretHash)) != 1 {
		return nil, badClient
	}
	if g.GrantType == "refresh_token" {
		rt, err := tx.AccessToken(rollcall.HashToken(g.RefreshToken))
		if rollcall.IsKind(err, rollcall.NotFound) || (err == nil && (rt.Kind != rollcall.TokenRefresh || rt.DirectoryID != d.ID || rollcall.Expired(rt.ExpiresAt, now))) {
			return nil, &rollcall.Error{Kind: rollcall.Invalid, Reason: ReasonBadGrant, Message: "The refresh token is invalid, expired, or was issued to another client."}
		}
		if err != nil {
			return nil, err
		}
	}
	return d, nil
}

// Business authenticates an Amazon Business access token. A missing, unknown or
// expired token is Forbidden, with a message that says which.
func (t *Tokens) Business(ctx context.Context, token string) (rollcall.Caller, error) {
	if token == "" {
		return rollcall.Caller{}, &rollcall.Error{Kind: rollcall.Forbidden, Op: opBusiness, Reason: rollcall.ReasonMissingAuth,
			Message: "Access denied: the x-amz-access-token header is missing."}
	}
	var at *rollcall.AccessToken
	err := rollcall.ViewOne(ctx, t.svc.Store, func(tx rollcall.Tx) (err error) {
		at, err = tx.AccessToken(rollcall.HashToken(token))
		return err
	})
	return businessCaller(at, err, t.svc.Time())
}

const opBusiness = "AuthenticateBusinessToken"

// businessCaller is the caller of an access token read as at (err the read's error),
// at now: Forbidden for a token that is not there, not an access token, or expired.
func businessCaller(at *rollcall.AccessToken, err error, now time.Time) (rollcall.Caller, error) {
	if rollcall.IsKind(err, rollcall.NotFound) || (err == nil && at.Kind != rollcall.TokenAccess) {
		return rollcall.Caller{}, &rollcall.Error{Kind: rollcall.Forbidden, Op: opBusiness, Reason: rollcall.ReasonInvalidToken,
			Message: "Access denied: the access token is invalid."}
	}
	if err != nil {
		return rollcall.Caller{}, rollcall.WithOp(opBusiness, err)
	}
	if rollcall.Expired(at.ExpiresAt, now) {
		return rollcall.Caller{}, &rollcall.Error{Kind: rollcall.Forbidden, Op: opBusiness, Reason: rollcall.ReasonExpiredToken,
			Message: "Access denied: the access token has expired."}
	}
	return rollcall.Caller{TenantID: at.TenantID, DirectoryID: at.DirectoryID, Credential: rollcall.CredentialBusinessToken}, nil
}

// TokenCache is a Store that keeps the access-token rows it has read, in a cache that
// may be stale (another replica may have revoked a token since): store/postgres. A
// row from it is acted on only once an Update's AccessToken or a ViewOne's has
// confirmed it.
type TokenCache interface {
	CachedAccessToken(hash string) (*rollcall.AccessToken, bool)
}

// BusinessTentative names the caller of token from the store's TokenCache, unconfirmed,
// with confirm, which confirms it inside an Update: the token's row, read in the
// Update, must still give that caller at the time the caller was named, else confirm
// fails with the error Business would answer (or Unavailable for a row that changed,
// which tokens, inserted and deleted only, never do). ok is false when the store has
// no such cache, or no row for token that gives a caller: then Business.
func (t *Tokens) BusinessTentative(token string) (rollcall.Caller, func(rollcall.Tx) error, bool) {
	cache, isCache := t.svc.Store.(TokenCache)
	if !isCache || token == "" {
		return rollcall.Caller{}, nil, false
	}
	hash := rollcall.HashToken(token)
	at, found := cache.CachedAccessToken(hash)
	if !found {
		return rollcall.Caller{}, nil, false
	}
	now := t.svc.Time()
	c, err := businessCaller(at, nil, now)
	if err != nil {
		return rollcall.Caller{}, nil, false // refused: Business answers why, from the table
	}
	confirm := func(tx rollcall.Tx) error { // c, captured, is no named result: that went to the heap on every call
		at, err := tx.AccessToken(hash)
		got, err := businessCaller(at, err, now)
		if err == nil && got != c {
			err = errTokenChanged
		}
		return err
	}
	return c, confirm, true
}

// errTokenChanged is a tentative caller's confirmation (BusinessTentative) that found
// the token's row giving another caller.
var errTokenChanged = &rollcall.Error{Kind: rollcall.Unavailable, Op: opBusiness,
	Message: "The access token changed while the request was served; retry it."}

// AccessTokenHeader carries an Amazon Business access token.
const AccessTokenHeader = "x-amz-access-token"

// BusinessAuthenticator authenticates requests of the Amazon Business face by their
// access token (AccessTokenHeader); it does not read the body.
type BusinessAuthenticator struct{ Tokens *Tokens }

// Authenticate returns the token's business as the caller.
func (a BusinessAuthenticator) Authenticate(r *http.Request, _ []byte) (rollcall.Caller, error) {
	return a.Tokens.Business(r.Context(), r.Header.Get(accessTokenKey))
}

// Tentative returns the token's business as the caller from the store's cache,
// unconfirmed, and the check that confirms it inside an Update (BusinessTentative); the
// AWS pipeline confirms it before it answers anything else (face/awsx).
func (a BusinessAuthenticator) Tentative(r *http.Request) (rollcall.Caller, func(rollcall.Tx) error, bool) {
	return a.Tokens.BusinessTentative(r.Header.Get(accessTokenKey))
}

// accessTokenKey is AccessTokenHeader as the request's header map holds it: Get of an
// already canonical key allocates nothing, where the lower-case name is made canonical
// anew on every request.
var accessTokenKey = http.CanonicalHeaderKey(AccessTokenHeader)

package rollcall

import (
	"context"
	"crypto/subtle"
	"strings"
	"time"
)

// Kinds of AccessToken rows: every bearer credential is kept as the SHA-256 of its
// value (for a login client, of "client:" + its ID).
const (
	TokenAccess  = "access"  // an Amazon Business access token (x-amz-access-token)
	TokenRefresh = "refresh" // a Login-with-Amazon refresh token
	TokenClient  = "client"  // a login client: maps its client ID to its business
)

// DefaultAccessTokenTTL is how long an issued access token works.
const DefaultAccessTokenTTL = time.Hour

// TokenGrant is a Login-with-Amazon token request.
type TokenGrant struct {
	GrantType    string // client_credentials | refresh_token
	ClientID     string
	ClientSecret string
	RefreshToken string
}

// IssuedToken is a new access token. The token is returned once and kept only as a hash.
type IssuedToken struct {
	AccessToken  string
	RefreshToken string // echoed for the refresh_token grant
	ExpiresIn    time.Duration
}

// Reasons of token endpoint failures, named as OAuth 2.0 names them.
const (
	ReasonInvalidClient        = "invalid_client"
	ReasonInvalidGrant         = "invalid_grant"
	ReasonUnsupportedGrantType = "unsupported_grant_type"
	ReasonInvalidRequest       = "invalid_request"
)

func clientKey(clientID string) string { return HashToken("client:" + clientID) }

// IssueBusinessToken authenticates a login client and issues an access token for its
// business that expires after AccessTokenTTL.
func (s *Service) IssueBusinessToken(ctx context.Context, g TokenGrant) (*IssuedToken, error) {
	const op = "IssueBusinessToken"
	fail := func(kind Kind, reason, msg string) (*IssuedToken, error) {
		return nil, &Error{Kind: kind, Op: op, Reason: reason, Message: msg}
	}
	switch {
	case g.GrantType != "client_credentials" && g.GrantType != "refresh_token":
		if g.GrantType == "" {
			return fail(Invalid, ReasonInvalidRequest, "The request is missing the grant_type parameter.")
		}
		return fail(Invalid, ReasonUnsupportedGrantType, "The grant_type "+g.GrantType+" is not supported: use client_credentials or refresh_token.")
	case g.ClientID == "" || g.ClientSecret == "":
		return fail(Unauthorized, ReasonInvalidClient, "Client authentication failed: client_id and client_secret are required.")
	case g.GrantType == "refresh_token" && g.RefreshToken == "":
		return fail(Invalid, ReasonInvalidRequest, "The request is missing the refresh_token parameter.")
	}
	ttl := s.AccessTokenTTL
	if ttl <= 0 {
		ttl = DefaultAccessTokenTTL
	}
	now := s.now()
	token, hash := s.newToken()
	token = "Atza|" + token
	hash = HashToken(token)
	// Check the client (and the refresh token) in a read transaction first: a refused
	// grant must not take the writer, which every replica's writes queue on.
	err := s.Store.View(ctx, func(tx Tx) error {
		_, err := checkGrant(tx, g, now)
		return err
	})
	if err == nil {
		err = s.Store.Update(ctx, func(tx Tx) error {
			d, err := checkGrant(tx, g, now) // again: the client may have gone meanwhile
			if err != nil {
				return err
			}
			return tx.InsertAccessToken(&AccessToken{Hash: hash, DirectoryID: d.ID, TenantID: d.TenantID, Kind: TokenAccess, ExpiresAt: now.Add(ttl), CreatedAt: now})
		})
	}
	if err != nil {
		return nil, WithOp(op, err)
	}
	return &IssuedToken{AccessToken: token, RefreshToken: g.RefreshToken, ExpiresIn: ttl}, nil
}

// checkGrant authenticates the login client of g and its refresh token, if any, and
// returns the client's business.
func checkGrant(tx Tx, g TokenGrant, now time.Time) (*Directory, error) {
	badClient := &Error{Kind: Unauthorized, Reason: ReasonInvalidClient, Message: "Client authentication failed: unknown client or wrong secret."}
	client, err := tx.AccessToken(clientKey(g.ClientID))
	if IsKind(err, NotFound) || (err == nil && client.Kind != TokenClient) {
		return nil, badClient
	}
	if err != nil {
		return nil, err
	}
	d, err := tx.Directory(client.DirectoryID)
	if err != nil {
		return nil, err
	}
	if subtle.ConstantTimeCompare([]byte(HashToken(g.ClientSecret)), []byte(d.Attrs.ClientSecretHash)) != 1 {
		return nil, badClient
	}
	if g.GrantType == "refresh_token" {
		rt, err := tx.AccessToken(HashToken(g.RefreshToken))
		if IsKind(err, NotFound) || (err == nil && (rt.Kind != TokenRefresh || rt.DirectoryID != d.ID || expired(rt.ExpiresAt, now))) {
			return nil, &Error{Kind: Invalid, Reason: ReasonInvalidGrant, Message: "The refresh token is invalid, expired, or was issued to another client."}
		}
		if err != nil {
			return nil, err
		}
	}
	return d, nil
}

func expired(at, now time.Time) bool { return !at.IsZero() && !now.Before(at) }

// TemporaryCredentials are AWS credentials with a session token that expire.
type TemporaryCredentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

// IssueTemporaryCredentials creates credentials for an AWS account that work until they
// expire. The session token is kept only as a hash; the secret is kept as SigV4 needs it.
func (s *Service) IssueTemporaryCredentials(ctx context.Context, accountID string, d time.Duration) (*TemporaryCredentials, error) {
	const op = "IssueTemporaryCredentials"
	if d < 15*time.Minute || d > 12*time.Hour {
		return nil, &Error{Kind: Invalid, Op: op, Field: "durationSeconds", Message: "durationSeconds must be from 900 (15 minutes) to 43200 (12 hours)."}
	}
	now := s.now()
	c := &TemporaryCredentials{
		AccessKeyID:     "ASIA" + strings.ToUpper(s.newHex(8)),
		SecretAccessKey: s.newHex(20),
		Expiration:      now.Add(d),
	}
	c.SessionToken, _ = s.newToken()
	err := s.Store.Update(ctx, func(tx Tx) error {
		t, err := tx.Tenant(accountID)
		if IsKind(err, NotFound) || (err == nil && t.Kind != TenantAWS) {
			return &Error{Kind: NotFound, Field: "accountId", Message: "No AWS account " + accountID + "."}
		}
		if err != nil {
			return err
		}
		return tx.PutAccessKey(&AccessKey{ID: c.AccessKeyID, Secret: c.SecretAccessKey, TenantID: accountID,
			SessionTokenHash: HashToken(c.SessionToken), ExpiresAt: c.Expiration, CreatedAt: now})
	})
	if err != nil {
		return nil, WithOp(op, err)
	}
	return c, nil
}

// revokedAt marks a revoked access key: it expired at the Unix epoch.
var revokedAt = time.Unix(0, 0).UTC()

// RevokeDevDefaults turns off every default credential a previous start may have
// created (the key test/test, the dev access token and login client), for a deployment
// started with --no-dev-defaults. The dev tenants' data stays.
func (s *Service) RevokeDevDefaults(ctx context.Context) error {
	err := s.Store.Update(ctx, func(tx Tx) error {
		k, err := tx.AccessKey(DevAccessKeyID)
		switch {
		case err == nil && k.ExpiresAt != revokedAt:
			k.ExpiresAt = revokedAt
			if err := tx.PutAccessKey(k); err != nil {
				return err
			}
		case err != nil && !IsKind(err, NotFound):
			return err
		}
		for _, h := range []string{HashToken(DevAccessToken), clientKey(DevClientID), HashToken(DevRefreshToken)} {
			if err := tx.DeleteAccessToken(h); err != nil && !IsKind(err, NotFound) {
				return err
			}
		}
		return nil
	})
	return WithOp("RevokeDevDefaults", err)
}

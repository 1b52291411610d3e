package rollcall

import (
	"context"
	"strings"
	"time"
)

// DefaultWorkDocsTokenTTL is how long a WorkDocs Authentication token works.
const DefaultWorkDocsTokenTTL = 12 * time.Hour

// TokenWorkDocs is the AccessToken kind of WorkDocs Authentication tokens.
const TokenWorkDocs = "workdocs"

// IssueWorkDocsToken issues an Authentication token for a user of one of the account's
// organizations, as signing in to WorkDocs would. The token carries the user's ID in
// clear before a dot; the stored hash covers the whole token, so the ID cannot be
// changed without making the token unknown.
func (s *Service) IssueWorkDocsToken(ctx context.Context, accountID, orgID, username string, ttl time.Duration) (string, time.Time, error) {
	const op = "IssueWorkDocsToken"
	if ttl <= 0 {
		ttl = DefaultWorkDocsTokenTTL
	}
	now := s.now()
	var token string
	err := s.Store.Update(ctx, func(tx Tx) error {
		if _, err := directoryOf(tx, Caller{TenantID: accountID}, orgID, DirWorkDocs, workDocsOrgNotFound(orgID)); err != nil {
			return err
		}
		u, err := tx.UserByKey(orgID, strings.ToLower(username))
		if IsKind(err, NotFound) {
			return &Error{Kind: NotFound, Field: "username", Message: "Organization " + orgID + " has no user " + username + "."}
		}
		if err != nil {
			return err
		}
		random, _ := s.newToken()
		token = u.ID + "." + random
		return tx.InsertAccessToken(&AccessToken{Hash: HashToken(token), DirectoryID: orgID, TenantID: accountID, Kind: TokenWorkDocs, ExpiresAt: now.Add(ttl), CreatedAt: now})
	})
	if err != nil {
		return "", time.Time{}, WithOp(op, err)
	}
	return token, now.Add(ttl), nil
}

// WorkDocsCaller authenticates a WorkDocs Authentication token: an unknown or expired
// token is Unauthorized.
func (s *Service) WorkDocsCaller(ctx context.Context, token string) (Caller, error) {
	const op = "AuthenticateWorkDocsToken"
	userID, _, ok := strings.Cut(token, ".")
	invalid := &Error{Kind: Unauthorized, Op: op, Reason: ReasonInvalidToken, Message: "The Authentication token is not valid."}
	if !ok || userID == "" {
		return Caller{}, invalid
	}
	var t *AccessToken
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		t, err = tx.AccessToken(HashToken(token))
		return err
	})
	if IsKind(err, NotFound) || (err == nil && t.Kind != TokenWorkDocs) {
		return Caller{}, invalid
	}
	if err != nil {
		return Caller{}, WithOp(op, err)
	}
	if expired(t.ExpiresAt, s.now()) {
		return Caller{}, &Error{Kind: Unauthorized, Op: op, Reason: ReasonExpiredToken, Message: "The Authentication token has expired."}
	}
	return Caller{TenantID: t.TenantID, DirectoryID: t.DirectoryID, UserID: userID}, nil
}

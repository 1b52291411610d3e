package rollcall

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// DefaultWorkDocsTokenTTL is how long a WorkDocs Authentication token works.
const DefaultWorkDocsTokenTTL = 12 * time.Hour

// TokenWorkDocs is the AccessToken kind of WorkDocs Authentication tokens.
const TokenWorkDocs = "workdocs"

// IssueWorkDocsToken issues an Authentication token for an ACTIVE user of one of the
// account's organizations, as signing in to WorkDocs would. The token carries in clear
// the user's ID and token epoch, then a random part: "ID.EPOCH.RANDOM". The stored hash
// covers the whole token, so neither can be changed without making the token unknown.
//
// A token works only for the incarnation of the user it was issued to, and only until the
// user is deactivated: user IDs are random (a user deleted and created again under the
// same name has a new one), and deactivation moves the user to a new epoch.
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
		if u.Status != WorkDocsActive {
			return &Error{Kind: Conflict, Reason: ReasonNotActive, Field: "username", Message: "The user " + username + " is not active: activate it first."}
		}
		random, _ := s.newToken()
		token = u.ID + "." + strconv.FormatInt(u.Attrs.TokenEpoch, 10) + "." + random
		return tx.InsertAccessToken(&AccessToken{Hash: HashToken(token), DirectoryID: orgID, TenantID: accountID, Kind: TokenWorkDocs, ExpiresAt: now.Add(ttl), CreatedAt: now})
	})
	if err != nil {
		return "", time.Time{}, WithOp(op, err)
	}
	return token, now.Add(ttl), nil
}

// WorkDocsCaller authenticates a WorkDocs Authentication token: an unknown or expired
// token is Unauthorized, and so is one whose user was deleted or deactivated since.
func (s *Service) WorkDocsCaller(ctx context.Context, token string) (Caller, error) {
	const op = "AuthenticateWorkDocsToken"
	invalid := &Error{Kind: Unauthorized, Op: op, Reason: ReasonInvalidToken, Message: "The Authentication token is not valid."}
	parts := strings.Split(token, ".")
	if len(parts) != 3 || parts[0] == "" {
		return Caller{}, invalid
	}
	userID := parts[0]
	epoch, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return Caller{}, invalid
	}
	var t *AccessToken
	err = s.Store.View(ctx, func(tx Tx) (err error) {
		t, err = tx.AccessToken(HashToken(token))
		if err != nil || t.Kind != TokenWorkDocs {
			return err
		}
		u, err := tx.User(t.DirectoryID, userID)
		if IsKind(err, NotFound) || (err == nil && (u.TenantID != t.TenantID || u.Attrs.TokenEpoch != epoch)) {
			return invalid // revoked: the user is gone, or was deactivated since
		}
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

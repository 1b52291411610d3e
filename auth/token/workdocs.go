package token

import (
	"cmp"
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
)

// DefaultWorkDocsTTL is how long a WorkDocs Authentication token works.
const DefaultWorkDocsTTL = 12 * time.Hour

// IssueWorkDocs issues an Authentication token for an ACTIVE user of one of the
// account's organizations, as signing in to WorkDocs would. The token carries in clear
// the user's ID and token epoch, then a random part: "ID.EPOCH.RANDOM". The stored hash
// covers the whole token, so neither can be changed without making the token unknown.
//
// A token works only for the incarnation of the user it was issued to, and only until the
// user is deactivated: user IDs are random (a user deleted and created again under the
// same name has a new one), and deactivation moves the user to a new epoch.
func (t *Tokens) IssueWorkDocs(ctx context.Context, accountID, orgID, username string, ttl time.Duration) (string, time.Time, error) {
	const op = "IssueWorkDocsToken"
	if ttl <= 0 {
		ttl = DefaultWorkDocsTTL
	}
	now := t.svc.Time()
	var token string
	err := t.svc.Store.Update(ctx, func(tx rollcall.Tx) error {
		d, err := tx.Directory(orgID)
		if rollcall.IsKind(err, rollcall.NotFound) || (err == nil && (d.TenantID != accountID || d.Kind != rollcall.DirWorkDocs)) {
			return &rollcall.Error{Kind: rollcall.NotFound, Field: "OrganizationId", Message: "The caller does not have access to organization " + orgID + "."}
		}
		if err != nil {
			return err
		}
		u, err := tx.UserByKey(orgID, strings.ToLower(username))
		if rollcall.IsKind(err, rollcall.NotFound) {
			return &rollcall.Error{Kind: rollcall.NotFound, Field: "username", Message: "Organization " + orgID + " has no user " + username + "."}
		}
		if err != nil {
			return err
		}
		if u.Status != "ACTIVE" { // workdocs.Active: auth imports no product package
			return &rollcall.Error{Kind: rollcall.Conflict, Reason: rollcall.ReasonNotActive, Field: "username", Message: "The user " + username + " is not active: activate it first."}
		}
		epoch, err := t.tokenEpoch(u)
		if err != nil {
			return err
		}
		random, _ := t.svc.NewToken()
		token = u.ID + "." + strconv.FormatInt(epoch, 10) + "." + random
		return tx.InsertAccessToken(&rollcall.AccessToken{Hash: rollcall.HashToken(token), DirectoryID: orgID, TenantID: accountID,
			Kind: rollcall.TokenWorkDocs, ExpiresAt: now.Add(ttl), CreatedAt: now})
	})
	if err != nil {
		return "", time.Time{}, rollcall.WithOp(op, err)
	}
	return token, now.Add(ttl), nil
}

// WorkDocs authenticates a WorkDocs Authentication token: an unknown or expired token
// is Unauthorized, and so is one whose user was deleted or deactivated since.
func (t *Tokens) WorkDocs(ctx context.Context, token string) (rollcall.Caller, error) {
	const op = "AuthenticateWorkDocsToken"
	invalid := &rollcall.Error{Kind: rollcall.Unauthorized, Op: op, Reason: rollcall.ReasonInvalidToken, Message: "The Authentication token is not valid."}
	parts := strings.Split(token, ".")
	if len(parts) != 3 || parts[0] == "" {
		return rollcall.Caller{}, invalid
	}
	userID := parts[0]
	epoch, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return rollcall.Caller{}, invalid
	}
	var at *rollcall.AccessToken
	err = t.svc.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		at, err = tx.AccessToken(rollcall.HashToken(token))
		if err != nil || at.Kind != rollcall.TokenWorkDocs {
			return err
		}
		u, err := tx.User(at.DirectoryID, userID)
		if rollcall.IsKind(err, rollcall.NotFound) || (err == nil && u.TenantID != at.TenantID) {
			return invalid // revoked: the user is gone
		}
		if err != nil {
			return err
		}
		if current, err := t.tokenEpoch(u); err != nil || current != epoch {
			return cmp.Or(err, error(invalid)) // revoked: the user was deactivated since
		}
		return nil
	})
	if rollcall.IsKind(err, rollcall.NotFound) || (err == nil && at.Kind != rollcall.TokenWorkDocs) {
		return rollcall.Caller{}, invalid
	}
	if err != nil {
		return rollcall.Caller{}, rollcall.WithOp(op, err)
	}
	if rollcall.Expired(at.ExpiresAt, t.svc.Time()) {
		return rollcall.Caller{}, &rollcall.Error{Kind: rollcall.Unauthorized, Op: op, Reason: rollcall.ReasonExpiredToken, Message: "The Authentication token has expired."}
	}
	return rollcall.Caller{TenantID: at.TenantID, DirectoryID: at.DirectoryID, UserID: userID, Credential: rollcall.CredentialWorkDocsToken}, nil
}

package auth

import (
	"context"
	"regexp"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/iam"
)

// AccessKey returns the access key id, for signature verification: NotFound when there is
// none, Unauthorized when it was temporary and has expired.
func AccessKey(ctx context.Context, svc *rollcall.Service, id string) (*rollcall.AccessKey, error) {
	var k *rollcall.AccessKey
	err := svc.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		k, err = tx.AccessKey(id)
		return err
	})
	if err != nil {
		return nil, rollcall.WithOp("AccessKey", err)
	}
	if rollcall.Expired(k.ExpiresAt, svc.Time()) {
		return nil, &rollcall.Error{Kind: rollcall.Unauthorized, Op: "AccessKey", Message: "The security token included in the request is expired."}
	}
	return k, nil
}

// TemporaryCredentials are AWS credentials with a session token that expire.
type TemporaryCredentials struct {
	AccessKeyID     string
	SecretAccessKey string
	SessionToken    string
	Expiration      time.Time
}

// IssueTemporaryCredentials creates credentials for an AWS account that work until they
// expire. The session token is kept only as a hash; the secret is kept as SigV4 needs it.
func IssueTemporaryCredentials(ctx context.Context, svc *rollcall.Service, accountID string, d time.Duration) (*TemporaryCredentials, error) {
	return IssueSessionCredentials(ctx, svc, SessionRequest{AccountID: accountID, Duration: d})
}

// SessionRequest asks for temporary credentials, as STS AssumeRole (a role and a
// session name) or GetSessionToken (a user, or none: the account itself) would issue.
type SessionRequest struct {
	AccountID string
	Duration  time.Duration
	// Principal is the ARN of one of the account's principals ("": the account). For a
	// role, SessionName is required and the credentials act as
	// arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION.
	Principal   string
	SessionName string
	// Policy is a session policy (JSON): it narrows what the principal's policies allow.
	Policy string
}

var sessionNamePattern = regexp.MustCompile(`^[\w+=,.@-]{2,64}$`)

// IssueSessionCredentials creates temporary credentials as r asks. A malformed session
// policy is Invalid with the parser's message.
func IssueSessionCredentials(ctx context.Context, svc *rollcall.Service, r SessionRequest) (*TemporaryCredentials, error) {
	const op = "IssueTemporaryCredentials"
	if r.Duration < 15*time.Minute || r.Duration > 12*time.Hour {
		return nil, &rollcall.Error{Kind: rollcall.Invalid, Op: op, Field: "durationSeconds", Message: "durationSeconds must be from 900 (15 minutes) to 43200 (12 hours)."}
	}
	if err := checkSession(r); err != nil {
		return nil, rollcall.WithOp(op, err)
	}
	if r.Policy != "" {
		if _, err := iam.Parse([]byte(r.Policy)); err != nil {
			return nil, &rollcall.Error{Kind: rollcall.Invalid, Op: op, Field: "policy", Message: "Session policy: " + err.Error(), Err: err}
		}
	}
	now := svc.Time()
	c := &TemporaryCredentials{
		AccessKeyID:     "ASIA" + strings.ToUpper(svc.NewHex(8)),
		SecretAccessKey: svc.NewHex(20),
		Expiration:      now.Add(r.Duration),
	}
	c.SessionToken, _ = svc.NewToken()
	err := svc.Store.Update(ctx, func(tx rollcall.Tx) error {
		t, err := tx.Tenant(r.AccountID)
		if rollcall.IsKind(err, rollcall.NotFound) || (err == nil && t.Kind != rollcall.TenantAWS) {
			return &rollcall.Error{Kind: rollcall.NotFound, Field: "accountId", Message: "No AWS account " + r.AccountID + "."}
		}
		if err != nil {
			return err
		}
		if r.Principal != "" {
			p, err := tx.Principal(r.Principal)
			if rollcall.IsKind(err, rollcall.NotFound) || (err == nil && p.TenantID != r.AccountID) {
				return &rollcall.Error{Kind: rollcall.NotFound, Field: "principal", Message: "Account " + r.AccountID + " has no principal " + r.Principal + "."}
			} else if err != nil {
				return err
			}
		}
		return tx.PutAccessKey(&rollcall.AccessKey{ID: c.AccessKeyID, Secret: c.SecretAccessKey, TenantID: r.AccountID,
			SessionTokenHash: rollcall.HashToken(c.SessionToken), ExpiresAt: c.Expiration, CreatedAt: now,
			PrincipalARN: r.Principal, SessionName: r.SessionName, SessionPolicy: r.Policy})
	})
	if err != nil {
		return nil, rollcall.WithOp(op, err)
	}
	return c, nil
}

// checkSession requires a session name for a role and none otherwise.
func checkSession(r SessionRequest) error {
	role := false
	if r.Principal != "" {
		var err error
		if _, role, err = rollcall.ParsePrincipalARN(r.Principal); err != nil {
			return err
		}
	}
	switch {
	case role && !sessionNamePattern.MatchString(r.SessionName):
		return &rollcall.Error{Kind: rollcall.Invalid, Field: "sessionName", Message: "A role session needs a sessionName of 2 to 64 letters, digits or +=,.@_-."}
	case !role && r.SessionName != "":
		return &rollcall.Error{Kind: rollcall.Invalid, Field: "sessionName", Message: "sessionName is for role sessions only."}
	}
	return nil
}

package auth

import (
	"context"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
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
	const op = "IssueTemporaryCredentials"
	if d < 15*time.Minute || d > 12*time.Hour {
		return nil, &rollcall.Error{Kind: rollcall.Invalid, Op: op, Field: "durationSeconds", Message: "durationSeconds must be from 900 (15 minutes) to 43200 (12 hours)."}
	}
	now := svc.Time()
	c := &TemporaryCredentials{
		AccessKeyID:     "ASIA" + strings.ToUpper(svc.NewHex(8)),
		SecretAccessKey: svc.NewHex(20),
		Expiration:      now.Add(d),
	}
	c.SessionToken, _ = svc.NewToken()
	err := svc.Store.Update(ctx, func(tx rollcall.Tx) error {
		t, err := tx.Tenant(accountID)
		if rollcall.IsKind(err, rollcall.NotFound) || (err == nil && t.Kind != rollcall.TenantAWS) {
			return &rollcall.Error{Kind: rollcall.NotFound, Field: "accountId", Message: "No AWS account " + accountID + "."}
		}
		if err != nil {
			return err
		}
		return tx.PutAccessKey(&rollcall.AccessKey{ID: c.AccessKeyID, Secret: c.SecretAccessKey, TenantID: accountID,
			SessionTokenHash: rollcall.HashToken(c.SessionToken), ExpiresAt: c.Expiration, CreatedAt: now})
	})
	if err != nil {
		return nil, rollcall.WithOp(op, err)
	}
	return c, nil
}

package token

import (
	"context"
	"time"

	"github.com/rollcall/rollcall"
)

// revokedAt marks a revoked access key: it expired at the Unix epoch.
var revokedAt = time.Unix(0, 0).UTC()

// RevokeDevDefaults turns off every default credential a previous start may have
// created (the key test/test, the dev access token and login client), for a deployment
// started with --no-dev-defaults. The dev tenants' data stays.
func (t *Tokens) RevokeDevDefaults(ctx context.Context) error {
	err := t.svc.Store.Update(ctx, func(tx rollcall.Tx) error {
		k, err := tx.AccessKey(rollcall.DevAccessKeyID)
		switch {
		case err == nil && k.ExpiresAt != revokedAt:
			k.ExpiresAt = revokedAt
			if err := tx.PutAccessKey(k); err != nil {
				return err
			}
		case err != nil && !rollcall.IsKind(err, rollcall.NotFound):
			return err
		}
		for _, h := range []string{rollcall.HashToken(rollcall.DevAccessToken), rollcall.ClientKey(rollcall.DevClientID), rollcall.HashToken(rollcall.DevRefreshToken)} {
			if err := tx.DeleteAccessToken(h); err != nil && !rollcall.IsKind(err, rollcall.NotFound) {
				return err
			}
		}
		return nil
	})
	return rollcall.WithOp("RevokeDevDefaults", err)
}

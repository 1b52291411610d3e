package rollcall

import (
	"context"
)

// AccessKey returns the access key id, for signature verification: NotFound when there is
// none, Unauthorized when it was temporary and has expired.
func (s *Service) AccessKey(ctx context.Context, id string) (*AccessKey, error) {
	var k *AccessKey
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		k, err = tx.AccessKey(id)
		return err
	})
	if err != nil {
		return nil, WithOp("AccessKey", err)
	}
	if !k.ExpiresAt.IsZero() && !s.now().Before(k.ExpiresAt) {
		return nil, &Error{Kind: Unauthorized, Op: "AccessKey", Message: "The security token included in the request is expired."}
	}
	return k, nil
}

// BusinessCaller authenticates an Amazon Business access token. A missing, unknown or
// expired token is Forbidden, with a message that says which.
func (s *Service) BusinessCaller(ctx context.Context, token string) (Caller, error) {
	const op = "AuthenticateBusinessToken"
	if token == "" {
		return Caller{}, &Error{Kind: Forbidden, Op: op, Message: "Access denied: the x-amz-access-token header is missing."}
	}
	var t *AccessToken
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		t, err = tx.AccessToken(HashToken(token))
		return err
	})
	if IsKind(err, NotFound) || (err == nil && t.Kind != TokenAccess) {
		return Caller{}, &Error{Kind: Forbidden, Op: op, Message: "Access denied: the access token is invalid."}
	}
	if err != nil {
		return Caller{}, WithOp(op, err)
	}
	if !t.ExpiresAt.IsZero() && !s.now().Before(t.ExpiresAt) {
		return Caller{}, &Error{Kind: Forbidden, Op: op, Message: "Access denied: the access token has expired."}
	}
	return Caller{TenantID: t.TenantID, DirectoryID: t.DirectoryID}, nil
}

// Messages lists outbox messages for the admin API and the console, without live
// invitation links.
func (s *Service) Messages(ctx context.Context, f MessageFilter) ([]*Message, error) {
	var out []*Message
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		out, err = tx.Messages(f)
		return err
	})
	for i, m := range out {
		out[i] = m.Redacted()
	}
	return out, WithOp("ListMessages", err)
}

// CountMessages counts outbox messages, for the console's front page.
func (s *Service) CountMessages(ctx context.Context, f MessageFilter) (int, error) {
	var n int
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		n, err = tx.CountMessages(f)
		return err
	})
	return n, WithOp("CountMessages", err)
}

// Tenants lists every tenant, for the admin API.
func (s *Service) Tenants(ctx context.Context) ([]*Tenant, error) {
	var out []*Tenant
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		out, err = tx.Tenants()
		return err
	})
	return out, WithOp("ListTenants", err)
}

package postgres

import (
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rollcall/rollcall"
)

// Tenants, their AWS access keys and their Amazon Business access tokens.

const tenantCols = `id, kind, name, created_at`

func scanTenant(r pgx.Row) (*rollcall.Tenant, error) {
	var v rollcall.Tenant
	var kind string
	if err := r.Scan(&v.ID, &kind, &v.Name, &v.CreatedAt); err != nil {
		return nil, err
	}
	v.Kind, v.CreatedAt = rollcall.TenantKind(kind), v.CreatedAt.UTC()
	return &v, nil
}

func (t *tx) PutTenant(v *rollcall.Tenant) error {
	_, err := t.exec("tenant", `INSERT INTO tenants (`+tenantCols+`) VALUES ($1, $2, $3, $4)
		ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, created_at = excluded.created_at`,
		v.ID, string(v.Kind), v.Name, ts(v.CreatedAt))
	return err
}

func (t *tx) Tenant(id string) (*rollcall.Tenant, error) {
	return get(t, "tenant", scanTenant, `SELECT `+tenantCols+` FROM tenants WHERE id = $1`, id)
}

func (t *tx) Tenants() ([]*rollcall.Tenant, error) {
	return list(t, "tenants", scanTenant, `SELECT `+tenantCols+` FROM tenants ORDER BY id`)
}

const accessKeyCols = `id, secret, tenant_id, session_token_hash, expires_at, created_at, principal_arn, session_name, session_policy`

func scanAccessKey(r pgx.Row) (*rollcall.AccessKey, error) {
	var v rollcall.AccessKey
	var expires *time.Time
	if err := r.Scan(&v.ID, &v.Secret, &v.TenantID, &v.SessionTokenHash, &expires, &v.CreatedAt,
		&v.PrincipalARN, &v.SessionName, &v.SessionPolicy); err != nil {
		return nil, err
	}
	v.ExpiresAt, v.CreatedAt = fromNull(expires), v.CreatedAt.UTC()
	return &v, nil
}

func (t *tx) PutAccessKey(k *rollcall.AccessKey) error {
	_, err := t.exec("access key", `INSERT INTO access_keys (`+accessKeyCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
		ON CONFLICT (id) DO UPDATE SET secret = excluded.secret, tenant_id = excluded.tenant_id,
			session_token_hash = excluded.session_token_hash, expires_at = excluded.expires_at, created_at = excluded.created_at,
			principal_arn = excluded.principal_arn, session_name = excluded.session_name, session_policy = excluded.session_policy`,
		k.ID, k.Secret, k.TenantID, k.SessionTokenHash, tsOrNull(k.ExpiresAt), ts(k.CreatedAt), k.PrincipalARN, k.SessionName, k.SessionPolicy)
	return err
}

func (t *tx) AccessKey(id string) (*rollcall.AccessKey, error) {
	return get(t, "access key", scanAccessKey, `SELECT `+accessKeyCols+` FROM access_keys WHERE id = $1`, id)
}

const accessTokenCols = `hash, directory_id, tenant_id, kind, expires_at, created_at`

func scanAccessToken(r pgx.Row) (*rollcall.AccessToken, error) {
	var v rollcall.AccessToken
	var expires *time.Time
	if err := r.Scan(&v.Hash, &v.DirectoryID, &v.TenantID, &v.Kind, &expires, &v.CreatedAt); err != nil {
		return nil, err
	}
	v.ExpiresAt, v.CreatedAt = fromNull(expires), v.CreatedAt.UTC()
	return &v, nil
}

func (t *tx) InsertAccessToken(v *rollcall.AccessToken) error {
	t.forget(kindToken, v.Hash)
	return t.insert("access token", `INSERT INTO access_tokens (`+accessTokenCols+`) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT DO NOTHING`,
		v.Hash, v.DirectoryID, v.TenantID, v.Kind, tsOrNull(v.ExpiresAt), ts(v.CreatedAt))
}

// AccessToken in a ViewOne (an Amazon Business request's authentication) is read in a
// batch with the other requests' (lookup.go); in an Update it answers from the
// replica's cache when it can, its check queued (tokencache.go).
func (t *tx) AccessToken(hash string) (*rollcall.AccessToken, error) {
	if t.single {
		return t.accessTokenBatched(hash)
	}
	return readThrough(t, kindToken, hash, func() (*rollcall.AccessToken, error) {
		return get(t, "access token", scanAccessToken, `SELECT `+accessTokenCols+` FROM access_tokens WHERE hash = $1`, hash)
	})
}

func (t *tx) DeleteAccessToken(hash string) error {
	t.forget(kindToken, hash)
	return t.execOne("access token", `DELETE FROM access_tokens WHERE hash = $1`, hash)
}

package sqlite

import (
	"database/sql"

	"github.com/rollcall/rollcall"
)

// Tenants, access keys and access tokens. A Put replaces every field of the stored row
// with the given value, CreatedAt included.

func (t *tx) PutTenant(tn *rollcall.Tenant) error {
	_, err := t.write("tenant", `INSERT INTO tenants (id, kind, name, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, created_at = excluded.created_at`,
		tn.ID, string(tn.Kind), tn.Name, millis(tn.CreatedAt))
	return err
}

const tenantColumns = `id, kind, name, created_at`

func scanTenant(s rowScanner) (*rollcall.Tenant, error) {
	var tn rollcall.Tenant
	var kind string
	var created int64
	if err := s.Scan(&tn.ID, &kind, &tn.Name, &created); err != nil {
		return nil, err
	}
	tn.Kind, tn.CreatedAt = rollcall.TenantKind(kind), fromMillis(created)
	return &tn, nil
}

func (t *tx) Tenant(id string) (*rollcall.Tenant, error) {
	return one(t, "tenant", scanTenant,
		`SELECT `+tenantColumns+` FROM tenants WHERE id = ?`, id)
}

func (t *tx) Tenants() ([]*rollcall.Tenant, error) {
	return list(t, "tenant", scanTenant, `SELECT `+tenantColumns+` FROM tenants ORDER BY id`)
}

func (t *tx) PutAccessKey(k *rollcall.AccessKey) error {
	_, err := t.write("access key", `INSERT INTO access_keys (`+accessKeyColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO UPDATE SET secret = excluded.secret, tenant_id = excluded.tenant_id,
		session_token_hash = excluded.session_token_hash, expires_at = excluded.expires_at, created_at = excluded.created_at,
		principal_arn = excluded.principal_arn, session_name = excluded.session_name, session_policy = excluded.session_policy`,
		k.ID, k.Secret, k.TenantID, k.SessionTokenHash, millisOrNull(k.ExpiresAt), millis(k.CreatedAt),
		k.PrincipalARN, k.SessionName, k.SessionPolicy)
	return err
}

const accessKeyColumns = `id, secret, tenant_id, session_token_hash, expires_at, created_at, principal_arn, session_name, session_policy`

func scanAccessKey(s rowScanner) (*rollcall.AccessKey, error) {
	var k rollcall.AccessKey
	var expires sql.NullInt64
	var created int64
	if err := s.Scan(&k.ID, &k.Secret, &k.TenantID, &k.SessionTokenHash, &expires, &created,
		&k.PrincipalARN, &k.SessionName, &k.SessionPolicy); err != nil {
		return nil, err
	}
	k.ExpiresAt, k.CreatedAt = fromNullMillis(expires), fromMillis(created)
	return &k, nil
}

func (t *tx) AccessKey(id string) (*rollcall.AccessKey, error) {
	return one(t, "access key", scanAccessKey,
		`SELECT `+accessKeyColumns+` FROM access_keys WHERE id = ?`, id)
}

func (t *tx) InsertAccessToken(a *rollcall.AccessToken) error {
	_, err := t.write("access token", `INSERT INTO access_tokens (`+accessTokenColumns+`)
		VALUES (?, ?, ?, ?, ?, ?)`,
		a.Hash, a.DirectoryID, a.TenantID, a.Kind, millisOrNull(a.ExpiresAt), millis(a.CreatedAt))
	return err
}

const accessTokenColumns = `hash, directory_id, tenant_id, kind, expires_at, created_at`

func scanAccessToken(s rowScanner) (*rollcall.AccessToken, error) {
	var a rollcall.AccessToken
	var expires sql.NullInt64
	var created int64
	if err := s.Scan(&a.Hash, &a.DirectoryID, &a.TenantID, &a.Kind, &expires, &created); err != nil {
		return nil, err
	}
	a.ExpiresAt, a.CreatedAt = fromNullMillis(expires), fromMillis(created)
	return &a, nil
}

// AccessToken reads through the token cache in a ViewOne, and fills it from any View
// (see tokenCache).
func (t *tx) AccessToken(hash string) (*rollcall.AccessToken, error) {
	cache := t.view != nil && !t.done
	if cache && t.single && !t.read {
		if a, ok := t.view.tokens.get(hash); ok {
			t.read = true
			return &a, nil
		}
	}
	a, err := one(t, "access token", scanAccessToken,
		`SELECT `+accessTokenColumns+` FROM access_tokens WHERE hash = ?`, hash)
	if err == nil && cache {
		t.view.tokens.put(t.gen, a)
	}
	return a, err
}

// DeleteAccessToken returns NotFound when no token has that hash.
func (t *tx) DeleteAccessToken(hash string) error {
	t.invalidateTokens() // before the write (see tokenCache)
	return t.writeOne("access token", `DELETE FROM access_tokens WHERE hash = ?`, hash)
}

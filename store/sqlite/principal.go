package sqlite

import (
	"encoding/json"

	"github.com/rollcall/rollcall"
)

const principalColumns = `arn, tenant_id, policies, version, created_at, updated_at`

func (t *tx) PutPrincipal(p *rollcall.Principal) error {
	policies, err := json.Marshal(policiesOrEmpty(p.Policies))
	if err != nil {
		return err
	}
	_, err = t.write("principal", `INSERT INTO iam_principals (`+principalColumns+`) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (arn) DO UPDATE SET tenant_id = excluded.tenant_id, policies = excluded.policies,
		version = excluded.version, created_at = excluded.created_at, updated_at = excluded.updated_at`,
		p.ARN, p.TenantID, string(policies), p.Version, millis(p.CreatedAt), millis(p.UpdatedAt))
	return err
}

func policiesOrEmpty(ps []rollcall.Policy) []rollcall.Policy {
	if ps == nil {
		return []rollcall.Policy{}
	}
	return ps
}

func scanPrincipal(s rowScanner) (*rollcall.Principal, error) {
	var p rollcall.Principal
	var policies string
	var created, updated int64
	if err := s.Scan(&p.ARN, &p.TenantID, &policies, &p.Version, &created, &updated); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(policies), &p.Policies); err != nil {
		return nil, err
	}
	if len(p.Policies) == 0 {
		p.Policies = nil
	}
	p.CreatedAt, p.UpdatedAt = fromMillis(created), fromMillis(updated)
	return &p, nil
}

func (t *tx) Principal(arn string) (*rollcall.Principal, error) {
	return one(t, "principal", scanPrincipal, `SELECT `+principalColumns+` FROM iam_principals WHERE arn = ?`, arn)
}

func (t *tx) Principals(tenantID string) ([]*rollcall.Principal, error) {
	if tenantID == "" {
		return list(t, "principal", scanPrincipal, `SELECT `+principalColumns+` FROM iam_principals ORDER BY arn`)
	}
	return list(t, "principal", scanPrincipal, `SELECT `+principalColumns+` FROM iam_principals WHERE tenant_id = ? ORDER BY arn`, tenantID)
}

func (t *tx) DeletePrincipal(arn string) error {
	return t.writeOne("principal", `DELETE FROM iam_principals WHERE arn = ?`, arn)
}

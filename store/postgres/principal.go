package postgres

import (
	"encoding/json"

	"github.com/jackc/pgx/v5"

	"github.com/rollcall/rollcall"
)

const principalCols = `arn, tenant_id, policies, version, created_at, updated_at`

func (t *tx) PutPrincipal(p *rollcall.Principal) error {
	policies := p.Policies
	if policies == nil {
		policies = []rollcall.Policy{}
	}
	doc, err := json.Marshal(policies)
	if err != nil {
		return err
	}
	_, err = t.exec("principal", `INSERT INTO iam_principals (`+principalCols+`) VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (arn) DO UPDATE SET tenant_id = excluded.tenant_id, policies = excluded.policies,
			version = excluded.version, created_at = excluded.created_at, updated_at = excluded.updated_at`,
		p.ARN, p.TenantID, string(doc), p.Version, ts(p.CreatedAt), ts(p.UpdatedAt))
	return err
}

func scanPrincipal(r pgx.Row) (*rollcall.Principal, error) {
	var p rollcall.Principal
	var policies string
	if err := r.Scan(&p.ARN, &p.TenantID, &policies, &p.Version, &p.CreatedAt, &p.UpdatedAt); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(policies), &p.Policies); err != nil {
		return nil, err
	}
	if len(p.Policies) == 0 {
		p.Policies = nil
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	return &p, nil
}

func (t *tx) Principal(arn string) (*rollcall.Principal, error) {
	return get(t, "principal", scanPrincipal, `SELECT `+principalCols+` FROM iam_principals WHERE arn = $1`, arn)
}

func (t *tx) Principals(tenantID string) ([]*rollcall.Principal, error) {
	if tenantID == "" {
		return list(t, "principals", scanPrincipal, `SELECT `+principalCols+` FROM iam_principals ORDER BY arn COLLATE "C"`)
	}
	return list(t, "principals", scanPrincipal, `SELECT `+principalCols+` FROM iam_principals WHERE tenant_id = $1 ORDER BY arn COLLATE "C"`, tenantID)
}

func (t *tx) DeletePrincipal(arn string) error {
	return t.execOne("principal", `DELETE FROM iam_principals WHERE arn = $1`, arn)
}

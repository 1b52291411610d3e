package postgres

import (
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rollcall/rollcall"
)

const faultCols = `id, face, operation, tenant_id, access_key_id, header_name, header_value, action, latency_ms, probability, remaining, fired, expires_at, created_at`

func (t *tx) InsertFault(f *rollcall.Fault) error {
	if err := t.insert("fault", `INSERT INTO faults (`+faultCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING`,
		f.ID, f.Face, f.Operation, f.TenantID, f.AccessKeyID, f.HeaderName, f.HeaderValue, string(f.Action),
		f.Latency.Milliseconds(), f.Probability, f.Left(), f.Fired, tsOrNull(f.ExpiresAt), ts(f.CreatedAt)); err != nil {
		return err
	}
	return t.bumpFaults()
}

func (t *tx) bumpFaults() error {
	return t.execOne("fault version", `UPDATE fault_version SET version = version + 1 WHERE one = 1`)
}

func scanFault(r pgx.Row) (*rollcall.Fault, error) {
	var f rollcall.Fault
	var action string
	var latency int64
	var remaining *int64
	var expires *time.Time
	if err := r.Scan(&f.ID, &f.Face, &f.Operation, &f.TenantID, &f.AccessKeyID, &f.HeaderName, &f.HeaderValue, &action,
		&latency, &f.Probability, &remaining, &f.Fired, &expires, &f.CreatedAt); err != nil {
		return nil, err
	}
	f.Action, f.Latency = rollcall.FaultAction(action), time.Duration(latency)*time.Millisecond
	if remaining != nil {
		f.Limited, f.Remaining = true, int(*remaining)
	}
	if expires != nil {
		f.ExpiresAt = expires.UTC()
	}
	f.CreatedAt = f.CreatedAt.UTC()
	return &f, nil
}

func (t *tx) Faults() ([]*rollcall.Fault, error) {
	return list(t, "fault", scanFault, `SELECT `+faultCols+` FROM faults ORDER BY id`)
}

func (t *tx) DeleteFault(id string) error {
	if err := t.execOne("fault", `DELETE FROM faults WHERE id = $1`, id); err != nil {
		return err
	}
	return t.bumpFaults()
}

func (t *tx) FireFault(id string) (bool, error) {
	n, err := t.exec("fault", `UPDATE faults SET fired = fired + 1, remaining = remaining - 1
		WHERE id = $1 AND (remaining IS NULL OR remaining > 0)`, id)
	return n == 1, err
}

func (t *tx) FaultsVersion() (int64, error) {
	v, err := get(t, "fault version", func(r pgx.Row) (*int64, error) {
		var v int64
		return &v, r.Scan(&v)
	}, `SELECT version FROM fault_version WHERE one = 1`)
	if err != nil {
		return 0, err
	}
	return *v, nil
}

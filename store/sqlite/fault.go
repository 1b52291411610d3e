package sqlite

import (
	"database/sql"
	"time"

	"github.com/rollcall/rollcall"
)

const faultColumns = `id, face, operation, tenant_id, access_key_id, header_name, header_value, action, latency_ms, probability, remaining, fired, expires_at, created_at`

func (t *tx) InsertFault(f *rollcall.Fault) error {
	if _, err := t.write("fault", `INSERT INTO faults (`+faultColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		f.ID, f.Face, f.Operation, f.TenantID, f.AccessKeyID, f.HeaderName, f.HeaderValue, string(f.Action),
		f.Latency.Milliseconds(), f.Probability, f.Left(), f.Fired, millisOrNull(f.ExpiresAt), millis(f.CreatedAt)); err != nil {
		return err
	}
	return t.bumpFaults()
}

func (t *tx) bumpFaults() error {
	return t.writeOne("fault version", `UPDATE fault_version SET version = version + 1 WHERE one = 1`)
}

func scanFault(r rowScanner) (*rollcall.Fault, error) {
	var f rollcall.Fault
	var action string
	var latency, created int64
	var remaining, expires sql.NullInt64
	if err := r.Scan(&f.ID, &f.Face, &f.Operation, &f.TenantID, &f.AccessKeyID, &f.HeaderName, &f.HeaderValue, &action,
		&latency, &f.Probability, &remaining, &f.Fired, &expires, &created); err != nil {
		return nil, err
	}
	f.Action, f.Latency = rollcall.FaultAction(action), time.Duration(latency)*time.Millisecond
	f.Limited, f.Remaining = remaining.Valid, int(remaining.Int64)
	f.ExpiresAt, f.CreatedAt = fromNullMillis(expires), fromMillis(created)
	return &f, nil
}

func (t *tx) Faults() ([]*rollcall.Fault, error) {
	return list(t, "fault", scanFault, `SELECT `+faultColumns+` FROM faults ORDER BY id`)
}

func (t *tx) DeleteFault(id string) error {
	if err := t.writeOne("fault", `DELETE FROM faults WHERE id = ?`, id); err != nil {
		return err
	}
	return t.bumpFaults()
}

func (t *tx) FireFault(id string) (bool, error) {
	res, err := t.write("fault", `UPDATE faults SET fired = fired + 1, remaining = remaining - 1
		WHERE id = ? AND (remaining IS NULL OR remaining > 0)`, id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, internal("fault", err)
	}
	return n == 1, nil
}

func (t *tx) FaultsVersion() (int64, error) {
	var v int64
	err := t.get("fault version", func(r rowScanner) error { return r.Scan(&v) }, `SELECT version FROM fault_version WHERE one = 1`)
	return v, err
}

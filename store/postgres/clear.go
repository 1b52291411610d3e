package postgres

import (
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/internal/wipe"
)

// DeleteContents runs wipe.Delete's statement; which kinds a reset removes is the
// core's decision.
func (t *tx) DeleteContents(c rollcall.Content, tenantID string) error {
	if err := c.CheckTenant(tenantID); err != nil {
		return err
	}
	q, args, err := wipe.Delete(string(c), tenantID, "$1::text")
	if err != nil {
		return internal("delete contents", err)
	}
	if _, err := t.exec(string(c), q, args...); err != nil || c != rollcall.ContentFaults {
		return err
	}
	return t.bumpFaults()
}

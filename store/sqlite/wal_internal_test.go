package sqlite

import (
	"context"
	"fmt"
	"testing"

	"github.com/rollcall/rollcall"
)

// TestRecoverWALAgreesWithSQLite: reading the WAL as recovery would finds the frame the
// wal-index publishes, with the same salts; with nothing past it, settle says a failed
// COMMIT left nothing; invalidating a frame ends what recovery finds just before it.
func TestRecoverWALAgreesWithSQLite(t *testing.T) {
	s := mustOpenPlain(t)
	for i := range 50 {
		if err := s.Update(context.Background(), func(tx rollcall.Tx) error {
			return tx.PutTenant(&rollcall.Tenant{ID: fmt.Sprint(i), Kind: rollcall.TenantAWS, Name: "t"})
		}); err != nil {
			t.Fatal(err)
		}
	}
	err := s.Update(context.Background(), func(rollcall.Tx) error {
		sf := &shmFile{path: s.path}
		defer func() { sf.f = nil }() // the writer's connection is open: never close a descriptor here
		ix, err := sf.readWALIndex()
		if err != nil {
			return err
		}
		rec, err := recoverWAL(s.path)
		if err != nil {
			return err
		}
		if rec.mxFrame != ix.mxFrame || rec.salt != ix.salt || ix.mxFrame == 0 {
			return fmt.Errorf("recovered to frame %d salt %x, the wal-index publishes %d salt %x", rec.mxFrame, rec.salt, ix.mxFrame, ix.salt)
		}
		if out, err := settle(sf, ix); out != commitFailed || err != nil {
			return fmt.Errorf("settle with nothing past the published end: %v, %v", out, err)
		}
		// Invalidate a frame inside the published log (only in this test): recovery
		// must stop before it.
		if err := invalidateFrame(s.path, rec.pageSize, rec.mxFrame); err != nil {
			return err
		}
		again, err := recoverWAL(s.path)
		if err != nil || again.mxFrame >= rec.mxFrame {
			return fmt.Errorf("after invalidating frame %d, recovery reaches frame %d (%v)", rec.mxFrame, again.mxFrame, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

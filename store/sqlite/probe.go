package sqlite

import (
	"context"
	"path/filepath"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/atomicfile"
)

// probeSetting is the row ProbeWrite writes and deletes in one transaction: the commit
// writes and fsyncs WAL frames as any Update's does, and leaves nothing behind.
const probeSetting = "rollcall.health-probe"

// minFreeBytes is the free space below which the store says the disk is full: the
// writer refuses a batch then (room, checkpoint.go), and ProbeWrite answers so. A commit
// alone would not tell: after a checkpoint the WAL starts over in the space it has, so a
// small commit succeeds on a full disk while a larger batch, which must grow the WAL,
// fails. The last MiB is the checkpoint's, which gives the WAL's space back.
const minFreeBytes = 1 << 20

// ProbeWrite reports whether the store can write: the error of a commit through the
// writer, as every Update makes. On a filesystem with less than 1 MiB free the writer
// first gives back the WAL's space, if the WAL holds any, and refuses the probe
// (Unavailable "the database is full") if that leaves less than 1 MiB free.
func (s *Store) ProbeWrite(ctx context.Context) error {
	if free := atomicfile.FreeBytes(filepath.Dir(s.path)); free >= 0 && free < minFreeBytes {
		s.w.room.low.Store(true) // so that the writer looks, though no checkpoint has yet
	}
	return s.Update(ctx, func(rt rollcall.Tx) error {
		t := rt.(*tx)
		if _, err := t.write("health probe", `INSERT OR REPLACE INTO settings (name, value) VALUES (?, '')`, probeSetting); err != nil {
			return err
		}
		_, err := t.write("health probe", `DELETE FROM settings WHERE name = ?`, probeSetting)
		return err
	})
}

var _ rollcall.WriteProber = (*Store)(nil)

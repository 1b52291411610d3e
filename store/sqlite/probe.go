package sqlite

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/atomicfile"
)

// probeSetting is the row ProbeWrite writes and deletes in one transaction: the commit
// writes and fsyncs WAL frames as any Update's does, and leaves nothing behind.
const probeSetting = "rollcall.health-probe"

// minFreeBytes is the free space below which ProbeWrite says the disk is full. A commit
// alone does not tell: after a checkpoint the WAL starts over in the space it has, so a
// small commit succeeds on a full disk while a larger batch, which must grow the WAL,
// fails.
const minFreeBytes = 1 << 20

// ProbeWrite reports whether the store can write: Unavailable "the database is full"
// when its filesystem has less than 1 MiB free, else the error of a commit through the
// writer, as every Update makes.
func (s *Store) ProbeWrite(ctx context.Context) error {
	dir := filepath.Dir(s.path)
	if free := atomicfile.FreeBytes(dir); free >= 0 && free < minFreeBytes {
		return &rollcall.Error{Kind: rollcall.Unavailable, Message: msgFull,
			Err: fmt.Errorf("sqlite: %s has %d bytes free, less than %d", dir, free, minFreeBytes)}
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

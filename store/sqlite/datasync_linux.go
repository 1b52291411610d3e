package sqlite

import (
	"os"
	"syscall"
)

// datasync writes f's data to the disk, and only the metadata needed to read it back
// (fdatasync): not the times a write changed, whose journal commit every other fsync
// on the filesystem would queue behind.
func datasync(f *os.File) error {
	for {
		err := syscall.Fdatasync(int(f.Fd()))
		if err != syscall.EINTR {
			return err
		}
	}
}

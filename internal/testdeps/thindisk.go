package testdeps

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// ThinDisk is an ext4 filesystem on a loop device whose image is a sparse file on a
// small tmpfs: a disk like a thin-provisioned or failing one. Once the tmpfs is full
// (Fill(d.Backing, ...)), writes still land in the page cache, but the next fsync fails
// (EIO): file data goes through the journal (data=journal), whose unwritten blocks need
// new space, so ext4 aborts its journal and turns read-only at that fsync, whichever
// file it is of. Unmount drops what never reached the image, as a crash would; Mount
// brings the image back (after e2fsck, as an operator would after such a failure).
type ThinDisk struct {
	Dir     string // the mounted filesystem
	Backing string // the tmpfs that holds the image
	image   string
	tb      testing.TB
	mounted bool
}

// NewThinDisk makes and mounts a ThinDisk of size bytes on a tmpfs of backing bytes
// (SmallFS). It needs root, mkfs.ext4 and loop devices: without them the test skips, or
// fails under CI=true.
func NewThinDisk(tb testing.TB, size, backing int64) *ThinDisk {
	tb.Helper()
	d := &ThinDisk{Dir: tb.TempDir(), Backing: SmallFS(tb, backing), tb: tb}
	d.image = filepath.Join(d.Backing, "disk.img")
	f, err := os.Create(d.image)
	if err != nil {
		tb.Fatal(err)
	}
	err = f.Truncate(size) // sparse: the tmpfs holds only what was written
	f.Close()
	if err != nil {
		tb.Fatal(err)
	}
	// The journal is left unwritten (lazy_journal_init), so every journal commit needs
	// new space on the tmpfs; 16 MiB, so that it does not wrap onto written blocks.
	out, err := exec.Command("mkfs.ext4", "-q", "-F", "-J", "size=16", "-E", "lazy_journal_init=1", d.image).CombinedOutput()
	if err != nil {
		err = fmt.Errorf("%v: %s", err, out)
	}
	Require(tb, err, "mkfs.ext4 (apt-get install e2fsprogs)")
	d.Mount()
	tb.Cleanup(func() {
		if d.mounted {
			d.Unmount()
		}
	})
	return d
}

// Mount checks the image (e2fsck -fy) and mounts it on Dir. lazytime keeps timestamp
// updates out of the journal, and commit=300 the journal from committing on its own
// (every 5 s by default), so that only a test's fsyncs reach the disk.
func (d *ThinDisk) Mount() {
	d.tb.Helper()
	if out, err := exec.Command("e2fsck", "-f", "-y", d.image).CombinedOutput(); err != nil {
		// Exit status 1: errors were found and corrected, which a failed disk leaves.
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() > 1 {
			d.tb.Fatalf("e2fsck %s: %v: %s", d.image, err, out)
		}
	}
	out, err := exec.Command("mount", "-t", "ext4", "-o", "loop,noatime,lazytime,data=journal,commit=300", d.image, d.Dir).CombinedOutput()
	if err != nil {
		err = fmt.Errorf("%v: %s", err, out)
	}
	Require(d.tb, err, "an ext4 filesystem on a loop device (mount -o loop, as root)")
	d.mounted = true
}

// Unmount unmounts Dir (and frees its loop device). Pages that could not be written back
// are dropped: the image keeps what the disk had, as after a crash.
func (d *ThinDisk) Unmount() {
	d.tb.Helper()
	if out, err := exec.Command("umount", d.Dir).CombinedOutput(); err != nil {
		d.tb.Fatalf("umount %s: %v: %s", d.Dir, err, out)
	}
	d.mounted = false
}

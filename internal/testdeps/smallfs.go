package testdeps

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// SmallFS mounts a tmpfs of size bytes on a new temporary directory and returns it; it is
// unmounted when tb ends. Mounting needs root (CAP_SYS_ADMIN): without it the test skips,
// or fails under CI=true (.ci/run runs as root).
func SmallFS(tb testing.TB, size int64) string {
	tb.Helper()
	dir := tb.TempDir()
	out, err := exec.Command("mount", "-t", "tmpfs", "-o", fmt.Sprintf("size=%d,mode=0700", size), "tmpfs", dir).CombinedOutput()
	if err != nil {
		err = fmt.Errorf("%v: %s", err, out)
	}
	Require(tb, err, "a small filesystem (mount -t tmpfs, as root)")
	tb.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			tb.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

// Fill writes a file named name in dir until the filesystem is full, and returns its
// path: removing it frees the space again.
func Fill(tb testing.TB, dir, name string) string {
	tb.Helper()
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	buf := make([]byte, 64<<10)
	for _, n := range []int{64 << 10, 4 << 10, 1} { // big writes while they fit, then smaller
		for {
			if _, err := f.Write(buf[:n]); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					tb.Fatalf("fill %s: %v", path, err)
				}
				break
			}
		}
	}
	return path
}

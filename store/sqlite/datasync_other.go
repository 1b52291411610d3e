//go:build !linux

package sqlite

import "os"

// datasync is fsync where there is no fdatasync (see datasync_linux.go).
func datasync(f *os.File) error { return f.Sync() }

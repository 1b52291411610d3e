package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
)

// Write writes path through write, atomically, with mode perm. On any error the
// temporary file is removed and path is left as it was; an error for lack of space says
// so (see NoSpace).
func Write(path string, perm os.FileMode, write func(io.Writer) error) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return NoSpace(dir, err)
	}
	tmp := f.Name()
	defer os.Remove(tmp) // a no-op once renamed
	err = f.Chmod(perm)
	if err == nil {
		err = write(f)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err == nil {
		err = SyncDir(dir)
	}
	return NoSpace(dir, err)
}

// WriteFile is Write of data.
func WriteFile(path string, data []byte, perm os.FileMode) error {
	return Write(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// SyncDir fsyncs a directory, so that the entries created or renamed in it survive a
// crash.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}

// ErrNoSpace is what a NoSpace error Is, whatever the underlying error was.
var ErrNoSpace = errors.New("no space left on device")

// NoSpace turns err, when it is ENOSPC (or EDQUOT), into "no space left on device in
// DIR: N bytes free" wrapping err, so a full disk is told as what it is. Other errors,
// and nil, are returned as they are.
func NoSpace(dir string, err error) error {
	if err == nil || !(errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)) {
		return err
	}
	return NoSpaceIn(dir, err)
}

// NoSpaceIn is NoSpace for an error already known to be a lack of space (a database
// driver's "full" code, which is not an errno).
func NoSpaceIn(dir string, err error) error {
	return &noSpaceError{dir: dir, free: FreeBytes(dir), err: err}
}

// FreeBytes is how many bytes an unprivileged process may still write in dir's
// filesystem, or -1 if it cannot be told.
func FreeBytes(dir string) int64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return -1
	}
	return int64(st.Bavail) * int64(st.Bsize)
}

type noSpaceError struct {
	dir  string
	free int64
	err  error
}

func (e *noSpaceError) Error() string {
	free := "unknown"
	if e.free >= 0 {
		free = fmt.Sprint(e.free)
	}
	return fmt.Sprintf("no space left on device in %s: %s bytes free (%v)", e.dir, free, e.err)
}

func (e *noSpaceError) Unwrap() []error { return []error{ErrNoSpace, e.err} }

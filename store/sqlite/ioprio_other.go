//go:build !linux

package sqlite

// idleIO does nothing where there is no ioprio_set: checkpoints run at the I/O
// priority of every other thread (see ioprio_linux.go).
func idleIO() (tid int, err error) { return 0, nil }

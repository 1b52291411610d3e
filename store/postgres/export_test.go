package postgres

import "context"

// Internals the external tests drive.

// Bootstrap creates the migration lock and version tables and nothing else.
var Bootstrap = func(ctx context.Context, db DB) error { return bootstrap(ctx, db) }

// ApplyAs applies every migration as if holder held the migration lock.
func ApplyAs(ctx context.Context, db DB, holder string) error {
	all, err := migrations()
	if err != nil {
		return err
	}
	return applyAll(ctx, db, holder, all)
}

var ErrLostLock = errLostLock

const LockLease = lockLease

package rollcall

import (
	"context"
	"time"
)

// Snapshotter is a Store that saves its whole state under a name and restores it
// (store/sqlite). A Store that is not one answers the operator's snapshot requests with
// Invalid.
type Snapshotter interface {
	// SaveSnapshot saves a consistent copy of the whole store as name, replacing a
	// snapshot of that name, while Updates and Views go on. A name that is not 1-64
	// letters, digits, '-' or '_' (starting with a letter or digit) is Invalid.
	SaveSnapshot(ctx context.Context, name string) (SnapshotInfo, error)
	// RestoreSnapshot replaces the whole state of the store by the snapshot's, all or
	// nothing: a View sees the state before or after, never between, and a failure
	// leaves the store as it was. A snapshot of an older schema version is migrated.
	// NotFound when there is no snapshot name; Invalid when the file is damaged, not a
	// snapshot, or of a newer schema version.
	RestoreSnapshot(ctx context.Context, name string) error
	// Snapshots lists the saved snapshots by name.
	Snapshots(ctx context.Context) ([]SnapshotInfo, error)
	// DeleteSnapshot returns NotFound when there is no snapshot name.
	DeleteSnapshot(ctx context.Context, name string) error
}

// SnapshotInfo describes a saved snapshot.
type SnapshotInfo struct {
	Name    string
	Size    int64 // bytes
	SavedAt time.Time
}

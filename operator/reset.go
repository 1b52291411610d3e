package operator

import (
	"context"

	"github.com/rollcall/rollcall"
)

// Reset brings the store back to what s.Declared declares, in one transaction (all or
// nothing). With tenant "" it deletes every row but the settings (Tx.Clear: every
// tenant with its keys, tokens, directories, groups, users, invitations, outbox
// messages and idempotency records, and every console session) and applies each
// declared seed. With a tenant ID it deletes that tenant's rows only and applies what
// is declared of that tenant; a tenant that neither exists nor is declared is NotFound.
// Seeded WorkDocs users come back with new IDs, as at a first start.
func (s *Service) Reset(ctx context.Context, tenant string) error {
	for _, sd := range s.Declared {
		if err := sd.Validate(); err != nil {
			return &rollcall.Error{Kind: rollcall.Invalid, Op: "Reset", Message: err.Error()}
		}
	}
	now := s.Core.Time()
	err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
		if tenant != "" && !s.declares(tenant) {
			if _, err := tx.Tenant(tenant); err != nil {
				return err
			}
		}
		if err := tx.Clear(tenant); err != nil {
			return err
		}
		for _, sd := range s.Declared {
			if err := s.apply(tx, sd, tenant, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return rollcall.WithOp("Reset", err)
	}
	s.Core.StateReplaced()
	return nil
}

// declares says whether a declared seed has the tenant.
func (s *Service) declares(tenant string) bool {
	for _, sd := range s.Declared {
		for _, a := range sd.Accounts {
			if a.ID == tenant {
				return true
			}
		}
		for _, b := range sd.Businesses {
			if b.ID == tenant {
				return true
			}
		}
	}
	return false
}

// snapshots returns the store as a Snapshotter, or why it is not one.
func (s *Service) snapshots() (rollcall.Snapshotter, error) {
	if sn, ok := s.Core.Store.(rollcall.Snapshotter); ok {
		return sn, nil
	}
	return nil, &rollcall.Error{Kind: rollcall.Invalid, Op: "Snapshot",
		Message: "snapshots need the SQLite store; on PostgreSQL use the database's own tools (pg_dump and pg_restore, or CREATE DATABASE ... TEMPLATE), or reset to the seed"}
}

// SaveSnapshot saves the whole state as name (see rollcall.Snapshotter).
func (s *Service) SaveSnapshot(ctx context.Context, name string) (rollcall.SnapshotInfo, error) {
	sn, err := s.snapshots()
	if err != nil {
		return rollcall.SnapshotInfo{}, err
	}
	info, err := sn.SaveSnapshot(ctx, name)
	return info, rollcall.WithOp("SaveSnapshot", err)
}

// RestoreSnapshot replaces the whole state by the snapshot's, all or nothing, and then
// empties what the server keeps of the old state in memory.
func (s *Service) RestoreSnapshot(ctx context.Context, name string) error {
	sn, err := s.snapshots()
	if err != nil {
		return err
	}
	if err := sn.RestoreSnapshot(ctx, name); err != nil {
		return rollcall.WithOp("RestoreSnapshot", err)
	}
	s.Core.StateReplaced()
	return nil
}

// Snapshots lists the saved snapshots by name.
func (s *Service) Snapshots(ctx context.Context) ([]rollcall.SnapshotInfo, error) {
	sn, err := s.snapshots()
	if err != nil {
		return nil, err
	}
	list, err := sn.Snapshots(ctx)
	return list, rollcall.WithOp("ListSnapshots", err)
}

// DeleteSnapshot deletes the snapshot name.
func (s *Service) DeleteSnapshot(ctx context.Context, name string) error {
	sn, err := s.snapshots()
	if err != nil {
		return err
	}
	return rollcall.WithOp("DeleteSnapshot", sn.DeleteSnapshot(ctx, name))
}

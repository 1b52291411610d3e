package operator

import (
	"context"

	"github.com/rollcall/rollcall"
)

// ResetContents is what a reset removes of a tenant, decided here once for every store:
// the tenant and everything of it (rollcall.TenantContents, in its order). A reset of
// the whole store removes them for every tenant, and the console sessions too, which
// belong to none. The settings stay: the key that signs page tokens, so tokens handed
// out before keep their meaning.
var ResetContents = rollcall.TenantContents

// removeResetContents deletes, in tx, what a reset removes (ResetContents): of tenant,
// or with "" of the whole store.
func removeResetContents(tx rollcall.Tx, tenant string) error {
	contents := ResetContents
	if tenant == "" {
		contents = append(contents[:len(contents):len(contents)], rollcall.ContentSessions)
	}
	for _, c := range contents {
		if err := tx.DeleteContents(c, tenant); err != nil {
			return err
		}
	}
	return nil
}

// Reset brings the store back to what s.Declared declares, in one transaction (all or
// nothing). With tenant "" it deletes every row but the settings (ResetContents for
// every tenant, and every console session) and applies each declared seed. With a
// tenant ID it deletes that tenant's rows only and applies what is declared of that
// tenant; a tenant that neither exists nor is declared is NotFound. Seeded WorkDocs
// users come back with new IDs, as at a first start.
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
		if err := removeResetContents(tx, tenant); err != nil {
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

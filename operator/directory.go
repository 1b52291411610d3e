package operator

import (
	"context"

	"github.com/rollcall/rollcall"
)

// The admin API's read and remove operations over the directory, for every face
// (Amazon Business publishes no read operation of its own). They see every tenant: the
// admin token is the operator's.

// Directories lists a tenant's directories of one kind ("" for all), by ID.
func (s *Service) Directories(ctx context.Context, tenantID string, kind rollcall.DirectoryKind) ([]*rollcall.Directory, error) {
	var out []*rollcall.Directory
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) error {
		if _, err := tx.Tenant(tenantID); err != nil {
			if rollcall.IsKind(err, rollcall.NotFound) {
				return &rollcall.Error{Kind: rollcall.NotFound, Field: "tenant", Message: "There is no tenant " + tenantID + "."}
			}
			return err
		}
		var err error
		out, err = tx.Directories(tenantID, kind, "", 0)
		return err
	})
	return out, rollcall.WithOp("AdminListDirectories", err)
}

func adminDirectory(tx rollcall.Tx, id string) (*rollcall.Directory, error) {
	d, err := tx.Directory(id)
	if rollcall.IsKind(err, rollcall.NotFound) {
		return nil, &rollcall.Error{Kind: rollcall.NotFound, Field: "directory", Message: "There is no directory " + id + "."}
	}
	return d, err
}

// Directory returns a directory and its groups (Amazon Business).
func (s *Service) Directory(ctx context.Context, id string) (*rollcall.Directory, []*rollcall.Group, error) {
	var d *rollcall.Directory
	var groups []*rollcall.Group
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		if d, err = adminDirectory(tx, id); err != nil {
			return err
		}
		groups, err = tx.Groups(id)
		return err
	})
	return d, groups, rollcall.WithOp("AdminGetDirectory", err)
}

// Users returns a page of a directory's users by ID (keyset on the index), and
// whether more follow.
func (s *Service) Users(ctx context.Context, f rollcall.UserQuery) ([]*rollcall.User, bool, error) {
	var users []*rollcall.User
	limit := f.Limit
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		if _, err := adminDirectory(tx, f.DirectoryID); err != nil {
			return err
		}
		f.Limit = limit + 1
		users, err = tx.Users(f)
		return err
	})
	if err != nil {
		return nil, false, rollcall.WithOp("AdminListUsers", err)
	}
	more := limit > 0 && len(users) > limit
	if more {
		users = users[:limit]
	}
	return users, more, nil
}

func adminUserNotFound(directoryID, id string) *rollcall.Error {
	return &rollcall.Error{Kind: rollcall.NotFound, Field: "user", Message: "Directory " + directoryID + " has no user " + id + "."}
}

// User returns one user of a directory.
func (s *Service) User(ctx context.Context, directoryID, id string) (*rollcall.User, error) {
	return view(ctx, s, "AdminGetUser", func(tx rollcall.Tx) (*rollcall.User, error) {
		u, err := tx.User(directoryID, id)
		if rollcall.IsKind(err, rollcall.NotFound) {
			return nil, adminUserNotFound(directoryID, id)
		}
		return u, err
	})
}

// DeleteUser removes a user and ends its pending invitations.
func (s *Service) DeleteUser(ctx context.Context, directoryID, id string) error {
	err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
		u, err := tx.User(directoryID, id)
		if err == nil {
			err = rollcall.DeleteUser(tx, u, s.Core.Time())
		}
		if rollcall.IsKind(err, rollcall.NotFound) {
			return adminUserNotFound(directoryID, id)
		}
		return err
	})
	return rollcall.WithOp("AdminDeleteUser", err)
}

// Ping reports whether the store answers a read, for health checks.
func (s *Service) Ping(ctx context.Context) error {
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) error {
		_, err := tx.Tenant("")
		if rollcall.IsKind(err, rollcall.NotFound) {
			return nil
		}
		return err
	})
	return rollcall.WithOp("Ping", err)
}

// ProbeWrite reports whether the store can commit a write, for health checks; a store
// that cannot probe is taken at its word.
func (s *Service) ProbeWrite(ctx context.Context) error {
	p, ok := s.Core.Store.(rollcall.WriteProber)
	if !ok {
		return nil
	}
	return rollcall.WithOp("ProbeWrite", p.ProbeWrite(ctx))
}

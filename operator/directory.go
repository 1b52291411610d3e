package rollcall

import "context"

// The admin API's read and remove operations over the directory, for every face
// (Amazon Business publishes no read operation of its own). They see every tenant: the
// admin token is the operator's.

// AdminDirectories lists a tenant's directories of one kind ("" for all), by ID.
func (s *Service) AdminDirectories(ctx context.Context, tenantID string, kind DirectoryKind) ([]*Directory, error) {
	var out []*Directory
	err := s.Store.View(ctx, func(tx Tx) error {
		if _, err := tx.Tenant(tenantID); err != nil {
			if IsKind(err, NotFound) {
				return &Error{Kind: NotFound, Field: "tenant", Message: "There is no tenant " + tenantID + "."}
			}
			return err
		}
		var err error
		out, err = tx.Directories(tenantID, kind, "", 0)
		return err
	})
	return out, WithOp("AdminListDirectories", err)
}

func adminDirectory(tx Tx, id string) (*Directory, error) {
	d, err := tx.Directory(id)
	if IsKind(err, NotFound) {
		return nil, &Error{Kind: NotFound, Field: "directory", Message: "There is no directory " + id + "."}
	}
	return d, err
}

// AdminDirectory returns a directory and its groups (Amazon Business).
func (s *Service) AdminDirectory(ctx context.Context, id string) (*Directory, []*Group, error) {
	var d *Directory
	var groups []*Group
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		if d, err = adminDirectory(tx, id); err != nil {
			return err
		}
		groups, err = tx.Groups(id)
		return err
	})
	return d, groups, WithOp("AdminGetDirectory", err)
}

// AdminUsers returns a page of a directory's users by ID (keyset on the index), and
// whether more follow.
func (s *Service) AdminUsers(ctx context.Context, f UserFilter) ([]*User, bool, error) {
	var users []*User
	limit := f.Limit
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		if _, err := adminDirectory(tx, f.DirectoryID); err != nil {
			return err
		}
		f.Limit = limit + 1
		users, err = tx.Users(f)
		return err
	})
	if err != nil {
		return nil, false, WithOp("AdminListUsers", err)
	}
	more := limit > 0 && len(users) > limit
	if more {
		users = users[:limit]
	}
	return users, more, nil
}

func adminUserNotFound(directoryID, id string) *Error {
	return &Error{Kind: NotFound, Field: "user", Message: "Directory " + directoryID + " has no user " + id + "."}
}

// AdminUser returns one user of a directory.
func (s *Service) AdminUser(ctx context.Context, directoryID, id string) (*User, error) {
	var u *User
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		u, err = tx.User(directoryID, id)
		if IsKind(err, NotFound) {
			return adminUserNotFound(directoryID, id)
		}
		return err
	})
	return u, WithOp("AdminGetUser", err)
}

// AdminDeleteUser removes a user and ends its pending invitations.
func (s *Service) AdminDeleteUser(ctx context.Context, directoryID, id string) error {
	err := s.Store.Update(ctx, func(tx Tx) error {
		u, err := tx.User(directoryID, id)
		if err == nil {
			err = deleteUser(tx, u, s.now())
		}
		if IsKind(err, NotFound) {
			return adminUserNotFound(directoryID, id)
		}
		return err
	})
	return WithOp("AdminDeleteUser", err)
}

// Ping reports whether the store answers a read, for health checks.
func (s *Service) Ping(ctx context.Context) error {
	err := s.Store.View(ctx, func(tx Tx) error {
		_, err := tx.Tenant("")
		if IsKind(err, NotFound) {
			return nil
		}
		return err
	})
	return WithOp("Ping", err)
}

// ProbeWrite reports whether the store can commit a write, for health checks; a store
// that cannot probe is taken at its word.
func (s *Service) ProbeWrite(ctx context.Context) error {
	p, ok := s.Store.(WriteProber)
	if !ok {
		return nil
	}
	return WithOp("ProbeWrite", p.ProbeWrite(ctx))
}

package operator

import (
	"context"
	"sort"
	"strings"

	"github.com/rollcall/rollcall"
)

// What the web console reads. These are administrator views across tenants: the console
// authenticates the admin token before it calls them.

// TenantOverview is one tenant with its directories and who was created when.
type TenantOverview struct {
	Tenant      *rollcall.Tenant
	Directories []DirectorySummary
	// Recent are the tenant's users, newest first, at most the limit asked for.
	Recent []*rollcall.User
	// Users is how many users the tenant has in all.
	Users int
}

// DirectorySummary is a directory and how many users it has.
type DirectorySummary struct {
	Directory *rollcall.Directory
	Users     int
}

// Overview returns a tenant, its directories with their user counts, and its newest
// users (at most recent). NotFound when there is no such tenant.
func (s *Service) Overview(ctx context.Context, id string, recent int) (*TenantOverview, error) {
	var out *TenantOverview
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) error {
		t, err := tx.Tenant(id)
		if rollcall.IsKind(err, rollcall.NotFound) {
			return &rollcall.Error{Kind: rollcall.NotFound, Message: "There is no tenant " + id + "."}
		}
		if err != nil {
			return err
		}
		out = &TenantOverview{Tenant: t}
		if out.Directories, out.Users, err = directorySummaries(tx, id); err != nil {
			return err
		}
		out.Recent, err = tx.Users(newestFirst(rollcall.UserQuery{TenantID: id, Limit: recent}))
		return err
	})
	return out, rollcall.WithOp("ConsoleTenant", err)
}

// Overviews lists every tenant with its directories and user counts.
func (s *Service) Overviews(ctx context.Context) ([]*TenantOverview, error) {
	var out []*TenantOverview
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) error {
		ts, err := tx.Tenants()
		if err != nil {
			return err
		}
		for _, t := range ts {
			o := &TenantOverview{Tenant: t}
			if o.Directories, o.Users, err = directorySummaries(tx, t.ID); err != nil {
				return err
			}
			out = append(out, o)
		}
		return nil
	})
	return out, rollcall.WithOp("ConsoleTenants", err)
}

// directorySummaries lists a tenant's directories with their user counts, and the total;
// counting is the store's, on an index, so the overview reads no users.
func directorySummaries(tx rollcall.Tx, tenantID string) ([]DirectorySummary, int, error) {
	ds, err := tx.Directories(tenantID, "", "", 0)
	if err != nil {
		return nil, 0, err
	}
	out := make([]DirectorySummary, 0, len(ds))
	total := 0
	for _, d := range ds {
		n, err := tx.CountUsers(rollcall.UserQuery{DirectoryID: d.ID})
		if err != nil {
			return nil, 0, err
		}
		out = append(out, DirectorySummary{Directory: d, Users: n})
		total += n
	}
	return out, total, nil
}

// UserSearch selects users for the console. Empty fields do not filter.
type UserSearch struct {
	Kind        rollcall.DirectoryKind // the face
	TenantID    string
	DirectoryID string
	// Query matches, case-insensitively, part of the email, username, names, key or ID.
	Query string
	Limit int // at most this many (0 = 200)
}

// UserHit is a user found by SearchUsers, with its directory.
type UserHit struct {
	User      *rollcall.User
	Directory *rollcall.Directory
}

// SearchUsers finds users across tenants, newest first, and reports whether more matched
// than the limit.
func (s *Service) SearchUsers(ctx context.Context, q UserSearch) ([]UserHit, bool, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 200
	}
	needle := strings.ToLower(strings.TrimSpace(q.Query))
	if needle == "" {
		return s.newest(ctx, q, limit)
	}
	var hits []UserHit
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) error {
		var dirs []*rollcall.Directory
		switch {
		case q.DirectoryID != "":
			d, err := adminDirectory(tx, q.DirectoryID)
			if err != nil {
				return err
			}
			dirs = []*rollcall.Directory{d}
		default:
			ts, err := tx.Tenants()
			if err != nil {
				return err
			}
			for _, t := range ts {
				if q.TenantID != "" && t.ID != q.TenantID {
					continue
				}
				ds, err := tx.Directories(t.ID, q.Kind, "", 0)
				if err != nil {
					return err
				}
				dirs = append(dirs, ds...)
			}
		}
		for _, d := range dirs {
			if (q.Kind != "" && d.Kind != q.Kind) || (q.TenantID != "" && d.TenantID != q.TenantID) {
				continue
			}
			us, err := tx.Users(rollcall.UserQuery{DirectoryID: d.ID})
			if err != nil {
				return err
			}
			for _, u := range us {
				if needle == "" || userMatches(u, needle) {
					hits = append(hits, UserHit{User: u, Directory: d})
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, false, rollcall.WithOp("ConsoleUsers", err)
	}
	sort.SliceStable(hits, func(i, j int) bool { return newer(hits[i].User, hits[j].User) })
	more := len(hits) > limit
	if more {
		hits = hits[:limit]
	}
	return hits, more, nil
}

// newest is SearchUsers without a query: the newest users of the scope, one page
// read from the store's created_at indexes (per tenant, or of the whole store).
func (s *Service) newest(ctx context.Context, q UserSearch, limit int) ([]UserHit, bool, error) {
	var hits []UserHit
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) error {
		if q.DirectoryID != "" {
			d, err := adminDirectory(tx, q.DirectoryID)
			if err != nil || q.TenantID != "" && d.TenantID != q.TenantID {
				return err
			}
		}
		us, err := tx.Users(newestFirst(rollcall.UserQuery{DirectoryID: q.DirectoryID, TenantID: q.TenantID, Kind: q.Kind, Limit: limit + 1}))
		if err != nil {
			return err
		}
		dirs := map[string]*rollcall.Directory{}
		for _, u := range us {
			d := dirs[u.DirectoryID]
			if d == nil {
				if d, err = tx.Directory(u.DirectoryID); err != nil {
					return err
				}
				dirs[u.DirectoryID] = d
			}
			hits = append(hits, UserHit{User: u, Directory: d})
		}
		return nil
	})
	if err != nil {
		return nil, false, rollcall.WithOp("ConsoleUsers", err)
	}
	more := len(hits) > limit
	if more {
		hits = hits[:limit]
	}
	return hits, more, nil
}

func userMatches(u *rollcall.User, needle string) bool {
	for _, f := range []string{u.Email, u.Username, u.GivenName, u.FamilyName, u.DisplayName, u.Key, u.ID} {
		if strings.Contains(strings.ToLower(f), needle) {
			return true
		}
	}
	return false
}

func newer(a, b *rollcall.User) bool {
	if !a.CreatedAt.Equal(b.CreatedAt) {
		return a.CreatedAt.After(b.CreatedAt)
	}
	return a.ID < b.ID
}

// newestFirst orders q newest first (ties by ID), on the store's created_at index.
func newestFirst(q rollcall.UserQuery) rollcall.UserQuery {
	q.Sort = []rollcall.UserSort{{Field: rollcall.UserCreatedAt, Descending: true}}
	return q
}

// Message returns one outbox message, without live invitation links; NotFound
// when there is none.
func (s *Service) Message(ctx context.Context, id string) (*rollcall.Message, error) {
	var m *rollcall.Message
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		m, err = tx.Message(id)
		if rollcall.IsKind(err, rollcall.NotFound) {
			return &rollcall.Error{Kind: rollcall.NotFound, Message: "There is no message " + id + "."}
		}
		return err
	})
	if err != nil {
		return nil, rollcall.WithOp("ConsoleMessage", err)
	}
	return m.Redacted(), nil
}

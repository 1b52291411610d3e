package operator

import (
	"context"

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
	// Query's words must each begin a word of the user's names, username, key, ID or
	// email (the whole address, or a part between its punctuation), ignoring case and
	// Latin accents (rollcall.UserKeys.Words).
	Query string
	Limit int // at most this many (0 = 200)
}

// UserHit is a user found by SearchUsers, with its directory.
type UserHit struct {
	User      *rollcall.User
	Directory *rollcall.Directory
}

// SearchUsers finds users across tenants, newest first, and reports whether more matched
// than the limit. It reads one page from the store's indexes: with a query, the word
// index (rollcall.UserQuery.Words), else the created_at indexes.
func (s *Service) SearchUsers(ctx context.Context, q UserSearch) ([]UserHit, bool, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 200
	}
	var hits []UserHit
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) error {
		if q.DirectoryID != "" {
			d, err := adminDirectory(tx, q.DirectoryID)
			if err != nil || q.TenantID != "" && d.TenantID != q.TenantID {
				return err
			}
		}
		us, err := tx.Users(newestFirst(rollcall.UserQuery{DirectoryID: q.DirectoryID, TenantID: q.TenantID, Kind: q.Kind,
			Words: rollcall.ConsoleTerms(q.Query), Limit: limit + 1}))
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

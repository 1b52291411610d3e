package operator

import (
	"context"
	"strings"
	"time"
	"unicode"

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
	// email (the whole address, or a part of its local part between punctuation),
	// ignoring case and Latin accents (consoleWords).
	Query string
	Limit int // at most this many (0 = 200)
	// After continues a search from where an earlier page's walk stopped (UserPage.Next).
	After *rollcall.UserCursor
	// Scan is how many users a search with a Query examines at most (0 = SearchScan).
	Scan int
}

// UserHit is a user found by SearchUsers, with its directory.
type UserHit struct {
	User      *rollcall.User
	Directory *rollcall.Directory
}

// UserPage is one page of a console search.
type UserPage struct {
	Hits []UserHit
	// More is whether more than the limit matched (the page is full).
	More bool
	// Examined is how many users this page's walk tested (with a Query).
	Examined int
	// Next is set when the walk stopped on its bound (UserSearch.Scan) before the page was
	// full and older users remain: they have not been searched, and a search with After
	// set to Next continues exactly there. Reached is the creation time of the last user
	// examined.
	Next    *rollcall.UserCursor
	Reached time.Time
}

// SearchScan is how many users one console search page examines at most. Reading and
// testing a user costs about the same in any scope (5.5 to 6 us at 1,000 and 100,000 users
// on SQLite), so a page that examines at most SearchScan costs at most about 1.5 times a
// search of a whole 1,000-user tenant, however large the scope, leaving room within the
// 2x the console promises; 2,000 measured 2.1 to 2.9 times. A rarer term pages on through
// UserPage.Next.
const SearchScan = 1500

// SearchUsers finds users across tenants, newest first, from q.After when set. Without a
// query it reads one page of the store's created_at indexes (per tenant, or of the whole
// store). With one it walks the same order in batches (searchBatch users at a time) and
// tests each user's words here, stopping once it has a page or has examined q.Scan users
// (SearchScan), whichever comes first; stopping on the bound it says where (Next,
// Reached), so a rare term costs the same bounded walk per page and nothing is skipped.
// The store keeps no index of the words, so a write pays nothing for it.
func (s *Service) SearchUsers(ctx context.Context, q UserSearch) (*UserPage, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 200
	}
	scan := q.Scan
	if scan <= 0 {
		scan = SearchScan
	}
	terms := consoleTerms(q.Query)
	out := &UserPage{}
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) error {
		if q.DirectoryID != "" {
			d, err := adminDirectory(tx, q.DirectoryID)
			if err != nil || q.TenantID != "" && d.TenantID != q.TenantID {
				return err
			}
		}
		uq := newestFirst(rollcall.UserQuery{DirectoryID: q.DirectoryID, TenantID: q.TenantID, Kind: q.Kind, After: q.After})
		if !rollcall.ValidCursor(uq, q.After) {
			return &rollcall.Error{Kind: rollcall.Invalid, Message: "The search cannot continue from there; search again."}
		}
		dirs := map[string]*rollcall.Directory{}
		for {
			uq.Limit = limit + 1
			if len(terms) > 0 {
				// One more than the bound leaves, so a walk that ends exactly on it knows
				// whether older users remain; that one is not examined.
				uq.Limit = min(max(uq.Limit, searchBatch), scan-out.Examined+1)
			}
			us, err := tx.Users(uq)
			if err != nil {
				return err
			}
			for _, u := range us {
				if len(terms) > 0 && out.Examined == scan {
					out.Next = uq.After
					return nil
				}
				out.Examined++
				out.Reached = u.CreatedAt
				uq.After = rollcall.CursorOf(uq, u)
				if !wordsBegin(consoleWords(u), terms) {
					continue
				}
				d := dirs[u.DirectoryID]
				if d == nil {
					if d, err = tx.Directory(u.DirectoryID); err != nil {
						return err
					}
					dirs[u.DirectoryID] = d
				}
				out.Hits = append(out.Hits, UserHit{User: u, Directory: d})
				if len(out.Hits) > limit {
					return nil
				}
			}
			if len(terms) == 0 || len(us) < uq.Limit {
				return nil
			}
		}
	})
	if err != nil {
		return nil, rollcall.WithOp("ConsoleUsers", err)
	}
	if out.More = len(out.Hits) > limit; out.More {
		out.Hits = out.Hits[:limit]
	}
	if len(terms) == 0 {
		out.Examined = 0
	}
	return out, nil
}

// searchBatch is how many users a search reads from the store at a time.
const searchBatch = 500

// consoleWords are the folded words the console's search finds u by: the words of the
// names, the username, the key, the ID and the email (the whole address), and the
// pieces of the email's local part between punctuation (not the domain's, which most
// users share).
func consoleWords(u *rollcall.User) []string {
	words := consoleTerms(u.GivenName + " " + u.FamilyName + " " + u.DisplayName + " " + u.Username + " " +
		u.Key + " " + u.ID + " " + u.Email)
	local, _, _ := strings.Cut(u.Email, "@")
	return append(words, consoleTerms(strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return ' '
	}, local))...)
}

// consoleTerms splits a console search (or a user's text) into folded words.
func consoleTerms(s string) []string { return strings.Fields(rollcall.FoldName(s)) }

// wordsBegin reports whether every term begins one of words.
func wordsBegin(words, terms []string) bool {
	for _, t := range terms {
		found := false
		for _, w := range words {
			if strings.HasPrefix(w, t) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
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

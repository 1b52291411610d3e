package postgres

import (
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/internal/rowset"
)

// Directories and the business groups of Amazon Business directories.

const directoryCols = `id, tenant_id, kind, name, created_at, updated_at, attrs`

func scanDirectory(r pgx.Row) (*rollcall.Directory, error) {
	var d rollcall.Directory
	var kind string
	if err := r.Scan(&d.ID, &d.TenantID, &kind, &d.Name, &d.CreatedAt, &d.UpdatedAt, &d.Attrs); err != nil {
		return nil, err
	}
	d.Kind, d.CreatedAt, d.UpdatedAt = rollcall.DirectoryKind(kind), d.CreatedAt.UTC(), d.UpdatedAt.UTC()
	d.Attrs = rowset.AttrsDoc(d.Attrs)
	return &d, nil
}

func (t *tx) InsertDirectory(d *rollcall.Directory) error {
	t.forgetDirectory(d.ID)
	return t.insert("directory", `INSERT INTO directories (`+directoryCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT DO NOTHING`,
		d.ID, d.TenantID, string(d.Kind), d.Name, ts(d.CreatedAt), ts(d.UpdatedAt), rowset.AttrsColumn(d.Attrs))
}

func (t *tx) UpdateDirectory(d *rollcall.Directory) error {
	t.forgetDirectory(d.ID)
	return t.execOne("directory", `UPDATE directories SET tenant_id = $2, kind = $3, name = $4, created_at = $5,
		updated_at = $6, attrs = $7 WHERE id = $1`,
		d.ID, d.TenantID, string(d.Kind), d.Name, ts(d.CreatedAt), ts(d.UpdatedAt), rowset.AttrsColumn(d.Attrs))
}

// Directory answers an Update from the directory cache when it can (dircache.go).
func (t *tx) Directory(id string) (*rollcall.Directory, error) {
	return readThrough(t, kindDirectory, id, func() (*rollcall.Directory, error) {
		return get(t, "directory", scanDirectory, `SELECT `+directoryCols+` FROM directories WHERE id = $1`, id)
	})
}

func (t *tx) Directories(tenantID string, kind rollcall.DirectoryKind, after string, limit int) ([]*rollcall.Directory, error) {
	var w where
	w.add("tenant_id = ?", tenantID)
	if kind != "" {
		w.add("kind = ?", string(kind))
	}
	if after != "" {
		w.add("id > ?", after)
	}
	q := `SELECT ` + directoryCols + ` FROM directories` + w.sql("id", limit)
	return list(t, "directories", scanDirectory, q, w.args...)
}

// DirectoriesNamed reads the range of the (tenant_id, kind, name, id) index that holds
// the names with the prefix (rollcall.PrefixEnd; names are COLLATE "C", bytewise).
func (t *tx) DirectoriesNamed(tenantID string, kind rollcall.DirectoryKind, prefix, after string, limit int) ([]*rollcall.Directory, error) {
	var w where
	w.add("tenant_id = ?", tenantID)
	w.add("kind = ?", string(kind))
	w.add("name >= ?", prefix)
	if end, ok := rollcall.PrefixEnd(prefix); ok {
		w.add("name < ?", end)
	}
	w.add("id > ?", after)
	q := `SELECT ` + directoryCols + ` FROM directories` + w.sql("id", limit)
	return list(t, "directories", scanDirectory, q, w.args...)
}

// DeleteDirectoryRow deletes the directory row only; rollcall.DeleteDirectory decides
// what goes with it.
func (t *tx) DeleteDirectoryRow(id string) error {
	t.forgetDirectory(id)
	return t.execOne("directory", `DELETE FROM directories WHERE id = $1`, id)
}

// contentDeletes deletes each rollcall.DirectoryContent of a directory.
var contentDeletes = map[rollcall.DirectoryContent]string{
	rollcall.DirectoryUsers:        `DELETE FROM users WHERE directory_id = $1`,
	rollcall.DirectoryGroups:       `DELETE FROM business_groups WHERE directory_id = $1`,
	rollcall.DirectoryInvitations:  `DELETE FROM invitations WHERE directory_id = $1`,
	rollcall.DirectoryAccessTokens: `DELETE FROM access_tokens WHERE directory_id = $1`,
}

func (t *tx) DeleteDirectoryContents(id string, c rollcall.DirectoryContent) error {
	q, ok := contentDeletes[c]
	if !ok {
		return internal("directory contents", fmt.Errorf("no directory content %q", c))
	}
	if c == rollcall.DirectoryGroups {
		t.forgetGroups()
	}
	_, err := t.exec(string(c), q, id)
	return err
}

const groupCols = `directory_id, id, COALESCE(tag, ''), name, created_at`

func scanGroup(r pgx.Row) (*rollcall.Group, error) {
	var g rollcall.Group
	if err := r.Scan(&g.DirectoryID, &g.ID, &g.Tag, &g.Name, &g.CreatedAt); err != nil {
		return nil, err
	}
	g.CreatedAt = g.CreatedAt.UTC()
	return &g, nil
}

// PutGroup upserts on (directory_id, id); a tag another group of the directory has
// breaks business_groups_tag, so it runs in a savepoint.
func (t *tx) PutGroup(g *rollcall.Group) error {
	t.forgetGroups()
	return t.execGuarded("group", false, `INSERT INTO business_groups (directory_id, id, tag, name, created_at)
		VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (directory_id, id) DO UPDATE SET tag = excluded.tag, name = excluded.name, created_at = excluded.created_at`,
		g.DirectoryID, g.ID, nullIfEmpty(g.Tag), g.Name, ts(g.CreatedAt))
}

// Group and GroupByTag answer an Update from the group cache when they can (dircache.go).
func (t *tx) Group(directoryID, id string) (*rollcall.Group, error) {
	return t.groupBy(directoryID, "id", id, groupSelect+`id = $2`)
}

func (t *tx) GroupByTag(directoryID, tag string) (*rollcall.Group, error) {
	return t.groupBy(directoryID, "tag", tag, groupSelect+`tag = $2`)
}

// groupSelect is the start of a group's SELECT, which goes on with the column it is by.
const groupSelect = `SELECT ` + groupCols + ` FROM business_groups WHERE directory_id = $1 AND `

// groupBy is the directory's group whose column by ("id" or "tag") is key, which query
// (groupSelect and that column) reads.
func (t *tx) groupBy(directoryID, by, key, query string) (*rollcall.Group, error) {
	read := func() (*rollcall.Group, error) { return get(t, "group", scanGroup, query, directoryID, key) }
	if t.dirs == nil || t.readOnly || t.done {
		return read() // no cache key made: nothing is cached
	}
	return readThrough(t, kindGroup, groupKey(directoryID, by, key), read)
}

func (t *tx) Groups(directoryID string) ([]*rollcall.Group, error) {
	return list(t, "groups", scanGroup, `SELECT `+groupCols+` FROM business_groups WHERE directory_id = $1 ORDER BY id`,
		directoryID)
}

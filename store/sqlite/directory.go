package sqlite

import (
	"fmt"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/internal/rowset"
)

// Directories and business groups. There are no foreign keys between tables: the core
// checks that a directory exists, in the same transaction, before it writes into it.

func (t *tx) InsertDirectory(d *rollcall.Directory) error {
	t.invalidateDirs()
	_, err := t.write("directory", `INSERT INTO directories (id, tenant_id, kind, name, created_at, updated_at, attrs)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.TenantID, string(d.Kind), d.Name, millis(d.CreatedAt), millis(d.UpdatedAt), rowset.AttrsColumn(d.Attrs))
	return err
}

func (t *tx) UpdateDirectory(d *rollcall.Directory) error {
	t.invalidateDirs()
	return t.writeOne("directory", `UPDATE directories SET tenant_id = ?, kind = ?, name = ?, created_at = ?, updated_at = ?, attrs = ?
		WHERE id = ?`,
		d.TenantID, string(d.Kind), d.Name, millis(d.CreatedAt), millis(d.UpdatedAt), rowset.AttrsColumn(d.Attrs), d.ID)
}

const directoryColumns = `id, tenant_id, kind, name, created_at, updated_at, attrs`

func scanDirectory(s rowScanner) (*rollcall.Directory, error) {
	var d rollcall.Directory
	var kind string
	var created, updated int64
	if err := s.Scan(&d.ID, &d.TenantID, &kind, &d.Name, &created, &updated, &d.Attrs); err != nil {
		return nil, err
	}
	d.Kind, d.CreatedAt, d.UpdatedAt = rollcall.DirectoryKind(kind), fromMillis(created), fromMillis(updated)
	d.Attrs = rowset.AttrsDoc(d.Attrs)
	return &d, nil
}

// invalidateDirs comes before every write to the directories table (see dirCache).
func (t *tx) invalidateDirs() {
	if t.w != nil {
		t.w.dirs.invalidate()
	}
}

// Directory reads through the writer's cache in an Update (see dirCache).
func (t *tx) Directory(id string) (*rollcall.Directory, error) {
	if t.w != nil && !t.done {
		return t.w.dirs.directory(t, id)
	}
	return one(t, "directory", scanDirectory, `SELECT `+directoryColumns+` FROM directories WHERE id = ?`, id)
}

var directoriesQueries = [2]string{
	`SELECT ` + directoryColumns + ` FROM directories WHERE tenant_id = ? AND id > ? ORDER BY id LIMIT ?`,
	`SELECT ` + directoryColumns + ` FROM directories WHERE tenant_id = ? AND kind = ? AND id > ? ORDER BY id LIMIT ?`,
}

// DirectoriesNamed reads the range of the (tenant_id, kind, name, id) index that holds
// the names with the prefix (rollcall.PrefixEnd).
func (t *tx) DirectoriesNamed(tenantID string, kind rollcall.DirectoryKind, prefix, after string, limit int) ([]*rollcall.Directory, error) {
	const q = `SELECT ` + directoryColumns + ` FROM directories WHERE tenant_id = ? AND kind = ? AND name >= ?`
	end, ok := rollcall.PrefixEnd(prefix)
	if !ok {
		return list(t, "directory", scanDirectory, q+` AND id > ? ORDER BY id LIMIT ?`,
			tenantID, string(kind), prefix, after, noLimit(limit))
	}
	return list(t, "directory", scanDirectory, q+` AND name < ? AND id > ? ORDER BY id LIMIT ?`,
		tenantID, string(kind), prefix, end, after, noLimit(limit))
}

// Directories pages by ID on the (tenant_id, kind, id) index.
func (t *tx) Directories(tenantID string, kind rollcall.DirectoryKind, after string, limit int) ([]*rollcall.Directory, error) {
	if kind == "" {
		return list(t, "directory", scanDirectory, directoriesQueries[0], tenantID, after, noLimit(limit))
	}
	return list(t, "directory", scanDirectory, directoriesQueries[1], tenantID, string(kind), after, noLimit(limit))
}

// DeleteDirectoryRow deletes the directory row only; rollcall.DeleteDirectory decides
// what goes with it.
func (t *tx) DeleteDirectoryRow(id string) error {
	t.invalidateDirs()
	return t.writeOne("directory", `DELETE FROM directories WHERE id = ?`, id)
}

// contentDeletes deletes each rollcall.DirectoryContent of a directory.
var contentDeletes = map[rollcall.DirectoryContent]string{
	rollcall.DirectoryUsers:        `DELETE FROM users WHERE directory_id = ?`,
	rollcall.DirectoryGroups:       `DELETE FROM business_groups WHERE directory_id = ?`,
	rollcall.DirectoryInvitations:  `DELETE FROM invitations WHERE directory_id = ?`,
	rollcall.DirectoryAccessTokens: `DELETE FROM access_tokens WHERE directory_id = ?`,
}

func (t *tx) DeleteDirectoryContents(id string, c rollcall.DirectoryContent) error {
	q, ok := contentDeletes[c]
	if !ok {
		return internal("directory contents", fmt.Errorf("no directory content %q", c))
	}
	switch c { // before the write (see dirCache, tokenCache)
	case rollcall.DirectoryGroups:
		t.invalidateDirs()
	case rollcall.DirectoryAccessTokens:
		t.invalidateTokens()
	}
	_, err := t.write(string(c), q, id)
	return err
}

// PutGroup stores an empty Tag as NULL, so the unique index on (directory_id, tag)
// ignores untagged groups.
func (t *tx) PutGroup(g *rollcall.Group) error {
	t.invalidateDirs() // before the write (see dirCache)
	_, err := t.write("group", `INSERT INTO business_groups (directory_id, id, tag, name, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (directory_id, id) DO UPDATE SET tag = excluded.tag, name = excluded.name, created_at = excluded.created_at`,
		g.DirectoryID, g.ID, nullIfEmpty(g.Tag), g.Name, millis(g.CreatedAt))
	return err
}

const groupColumns = `directory_id, id, coalesce(tag, ''), name, created_at`

func scanGroup(s rowScanner) (*rollcall.Group, error) {
	var g rollcall.Group
	var created int64
	if err := s.Scan(&g.DirectoryID, &g.ID, &g.Tag, &g.Name, &created); err != nil {
		return nil, err
	}
	g.CreatedAt = fromMillis(created)
	return &g, nil
}

// Group reads through the writer's cache in an Update (see dirCache).
func (t *tx) Group(directoryID, id string) (*rollcall.Group, error) {
	read := func() (*rollcall.Group, error) {
		return one(t, "group", scanGroup,
			`SELECT `+groupColumns+` FROM business_groups WHERE directory_id = ? AND id = ?`, directoryID, id)
	}
	if t.w != nil && !t.done {
		return t.w.dirs.group(groupKey{dirID: directoryID, id: id}, read)
	}
	return read()
}

// GroupByTag never finds an untagged group: "" is not a tag. It reads through the
// writer's cache in an Update (see dirCache).
func (t *tx) GroupByTag(directoryID, tag string) (*rollcall.Group, error) {
	read := func() (*rollcall.Group, error) {
		return one(t, "group", scanGroup,
			`SELECT `+groupColumns+` FROM business_groups WHERE directory_id = ? AND tag = ?`, directoryID, tag)
	}
	if t.w != nil && !t.done {
		return t.w.dirs.group(groupKey{dirID: directoryID, id: tag, byTag: true}, read)
	}
	return read()
}

// Groups lists a directory's groups ordered by ID.
func (t *tx) Groups(directoryID string) ([]*rollcall.Group, error) {
	return list(t, "group", scanGroup, `SELECT `+groupColumns+` FROM business_groups WHERE directory_id = ? ORDER BY id`, directoryID)
}

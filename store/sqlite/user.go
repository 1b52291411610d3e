package sqlite

import (
	"strings"

	"github.com/rollcall/rollcall"
)

// Users are unique by ID across the store and by (DirectoryID, Key) within a directory.
// A user is addressed by (DirectoryID, ID): asked through another directory it does not
// exist, and UpdateUser cannot move it to another directory.

const userColumns = `id, directory_id, tenant_id, kind, key, email, username, given_name, family_name,
	display_name, user_type, status, password_hash, created_at, updated_at, attrs`

const insertUser = `INSERT INTO users (` + userColumns + `, email_lower)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

func (t *tx) InsertUser(u *rollcall.User) error {
	attrs, err := userAttrsJSON(&u.Attrs)
	if err != nil {
		return internal("user attrs", err)
	}
	_, err = t.write("user", insertUser,
		u.ID, u.DirectoryID, u.TenantID, string(u.Kind), u.Key, u.Email, u.Username, u.GivenName, u.FamilyName,
		u.DisplayName, u.UserType, u.Status, u.PasswordHash, millis(u.CreatedAt), millis(u.UpdatedAt), attrs,
		strings.ToLower(u.Email))
	return err
}

func (t *tx) UpdateUser(u *rollcall.User) error {
	attrs, err := userAttrsJSON(&u.Attrs)
	if err != nil {
		return internal("user attrs", err)
	}
	return t.writeOne("user", `UPDATE users SET tenant_id = ?, kind = ?, key = ?, email = ?, email_lower = ?, username = ?,
		given_name = ?, family_name = ?, display_name = ?, user_type = ?, status = ?, password_hash = ?,
		created_at = ?, updated_at = ?, attrs = ?
		WHERE id = ? AND directory_id = ?`,
		u.TenantID, string(u.Kind), u.Key, u.Email, strings.ToLower(u.Email), u.Username,
		u.GivenName, u.FamilyName, u.DisplayName, u.UserType, u.Status, u.PasswordHash,
		millis(u.CreatedAt), millis(u.UpdatedAt), attrs,
		u.ID, u.DirectoryID)
}

func scanUser(s rowScanner) (*rollcall.User, error) {
	var u rollcall.User
	var kind, attrs string
	var created, updated int64
	if err := s.Scan(&u.ID, &u.DirectoryID, &u.TenantID, &kind, &u.Key, &u.Email, &u.Username, &u.GivenName, &u.FamilyName,
		&u.DisplayName, &u.UserType, &u.Status, &u.PasswordHash, &created, &updated, &attrs); err != nil {
		return nil, err
	}
	u.Kind, u.CreatedAt, u.UpdatedAt = rollcall.DirectoryKind(kind), fromMillis(created), fromMillis(updated)
	if err := decodeAttrs(attrs, &u.Attrs); err != nil {
		return nil, err
	}
	return &u, nil
}

func (t *tx) User(directoryID, id string) (u *rollcall.User, err error) {
	err = t.get("user", func(s rowScanner) (err error) { u, err = scanUser(s); return err },
		`SELECT `+userColumns+` FROM users WHERE id = ? AND directory_id = ?`, id, directoryID)
	return u, err
}

func (t *tx) UserByKey(directoryID, key string) (u *rollcall.User, err error) {
	err = t.get("user", func(s rowScanner) (err error) { u, err = scanUser(s); return err },
		`SELECT `+userColumns+` FROM users WHERE directory_id = ? AND key = ?`, directoryID, key)
	return u, err
}

// usersQuery builds the query for a filter. Both orders are keyset pagination on an
// index ((directory_id, id) or the unique (directory_id, key)), so a page costs the same
// however deep it is.
func usersQuery(f rollcall.UserFilter) (string, []any) {
	var b strings.Builder
	args := make([]any, 0, 6)
	b.WriteString(`SELECT ` + userColumns + ` FROM users WHERE directory_id = ?`)
	args = append(args, f.DirectoryID)
	col, cmp, dir := "id", " > ?", " ASC"
	if f.OrderByKey {
		col = "key"
	}
	if f.Descending {
		cmp, dir = " < ?", " DESC"
	}
	if f.After != "" {
		b.WriteString(" AND " + col + cmp)
		args = append(args, f.After)
	}
	if f.Email != "" {
		b.WriteString(" AND email_lower = ?")
		args = append(args, strings.ToLower(f.Email))
	}
	if f.UserType != "" {
		b.WriteString(" AND user_type = ?")
		args = append(args, f.UserType)
	}
	if f.Status != "" {
		b.WriteString(" AND status = ?")
		args = append(args, f.Status)
	}
	b.WriteString(" ORDER BY " + col + dir + " LIMIT ?")
	args = append(args, noLimit(f.Limit))
	return b.String(), args
}

// Users pages through a directory. The Email filter ignores case on both sides.
func (t *tx) Users(f rollcall.UserFilter) ([]*rollcall.User, error) {
	q, args := usersQuery(f)
	return list(t, "user", scanUser, q, args...)
}

// CountUsers counts on the (directory_id, id) index.
func (t *tx) CountUsers(directoryID string) (n int, err error) {
	err = t.get("user count", func(s rowScanner) error { return s.Scan(&n) },
		`SELECT count(*) FROM users WHERE directory_id = ?`, directoryID)
	return n, err
}

func (t *tx) DeleteUser(directoryID, id string) error {
	return t.writeOne("user", `DELETE FROM users WHERE id = ? AND directory_id = ?`, id, directoryID)
}

package sqlite

import (
	"strings"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/internal/rowset"
	"github.com/rollcall/rollcall/store/userquery"
)

// Users are unique by ID across the store and by (DirectoryID, Key) within a directory.
// A user is addressed by (DirectoryID, ID): asked through another directory it does not
// exist, and UpdateUser cannot move it to another directory.

// userWritten are the columns InsertUser writes before the derived ones; a user is read
// with its product's keys too (userColumns), which the store keeps and never computes.
const userWritten = `id, directory_id, tenant_id, kind, key, email, username, given_name, family_name,
	display_name, user_type, status, password_hash, created_at, updated_at, attrs`

const userColumns = userWritten + `, storage_limit, storage_used, enrollment`

const insertUser = `INSERT INTO users (` + userWritten + `, email_lower, ` + userquery.KeyColumns + `)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`

// updateUser writes every column but the ID and directory; the derived keys
// (userquery.KeyColumns) are written with the user, in the same statement.
const updateUser = `UPDATE users SET tenant_id = ?, kind = ?, key = ?, email = ?, email_lower = ?, username = ?,
		given_name = ?, family_name = ?, display_name = ?, user_type = ?, status = ?, password_hash = ?,
		created_at = ?, updated_at = ?, attrs = ?,
		full_name_fold = ?, search = ?, storage_limit = ?, storage_used = ?, enrollment = ?, keys_version = ?
		WHERE id = ? AND directory_id = ?`

func (t *tx) InsertUser(u *rollcall.User) error {
	// The user's own strings point at u (stringArg): u does not change during the write.
	attrs := any("{}") // rowset.AttrsColumn
	if u.Attrs != "" {
		attrs = stringArg(&u.Attrs)
	}
	args := append(t.args(), stringArg(&u.ID), stringArg(&u.DirectoryID), stringArg(&u.TenantID), stringArg((*string)(&u.Kind)),
		stringArg(&u.Key), stringArg(&u.Email), stringArg(&u.Username), stringArg(&u.GivenName), stringArg(&u.FamilyName),
		stringArg(&u.DisplayName), stringArg(&u.UserType), stringArg(&u.Status), stringArg(&u.PasswordHash),
		millis(u.CreatedAt), millis(u.UpdatedAt), attrs, strings.ToLower(u.Email))
	args = userquery.AppendKeyValues(args, u)
	_, err := t.write("user", insertUser, args...)
	t.doneArgs(args)
	return err
}

func (t *tx) UpdateUser(u *rollcall.User) error {
	args := append(t.args(), u.TenantID, string(u.Kind), u.Key, u.Email, strings.ToLower(u.Email), u.Username,
		u.GivenName, u.FamilyName, u.DisplayName, u.UserType, u.Status, u.PasswordHash,
		millis(u.CreatedAt), millis(u.UpdatedAt), rowset.AttrsColumn(u.Attrs))
	args = append(userquery.AppendKeyValues(args, u), u.ID, u.DirectoryID)
	err := t.writeOne("user", updateUser, args...)
	t.doneArgs(args)
	return err
}

func scanUser(s rowScanner) (*rollcall.User, error) {
	var u rollcall.User
	var kind string
	var created, updated int64
	k := &u.ProductKeys
	if err := s.Scan(&u.ID, &u.DirectoryID, &u.TenantID, &kind, &u.Key, &u.Email, &u.Username, &u.GivenName, &u.FamilyName,
		&u.DisplayName, &u.UserType, &u.Status, &u.PasswordHash, &created, &updated, &u.Attrs,
		&k.StorageLimit, &k.StorageUsed, &k.Enrollment); err != nil {
		return nil, err
	}
	u.Kind, u.CreatedAt, u.UpdatedAt = rollcall.DirectoryKind(kind), fromMillis(created), fromMillis(updated)
	u.Attrs = rowset.AttrsDoc(u.Attrs)
	return &u, nil
}

func (t *tx) User(directoryID, id string) (*rollcall.User, error) {
	return one(t, "user", scanUser,
		`SELECT `+userColumns+` FROM users WHERE id = ? AND directory_id = ?`, id, directoryID)
}

func (t *tx) UserByKey(directoryID, key string) (*rollcall.User, error) {
	return one(t, "user", scanUser,
		`SELECT `+userColumns+` FROM users WHERE directory_id = ? AND key = ?`, directoryID, key)
}

// dialect is how SQLite writes what userquery builds: times are Unix milliseconds.
var dialect = userquery.Dialect{
	Time:     func(ms int64) any { return ms },
	Contains: func(col, needle string) string { return "instr(" + col + ", " + needle + ") > 0" },
	// A unary + leaves the value as it is and makes SQLite ignore indexes on the column.
	NoIndex: func(col string) string { return "+" + col },
	// Without statistics SQLite reads a WorkDocs page by USER_NAME from the table's
	// UNIQUE (directory_id, key) index, as it costs both alike, and so reads the row of
	// every user a Query or the status skips; users_workdocs_key (0230) carries both, so
	// the page reads a row only for the users it returns (issue 11).
	Index: func(kind rollcall.DirectoryKind, field rollcall.UserField) string {
		if kind == rollcall.DirWorkDocs && field == rollcall.UserKey {
			return "users_workdocs_key"
		}
		return ""
	},
	NameWalkIndex: true,
	NewestWalk:    true,
}

// Users runs the query userquery plans; see its doc for the indexes it reads.
func (t *tx) Users(q rollcall.UserQuery) ([]*rollcall.User, error) {
	stmt, args, err := userquery.Page(dialect, userColumns, q)
	if err != nil {
		return nil, err
	}
	return list(t, "user", scanUser, stmt, args...)
}

// CountUsers counts the query's matches on the index of its filters.
func (t *tx) CountUsers(q rollcall.UserQuery) (n int, err error) {
	stmt, args := userquery.Count(dialect, q)
	err = t.get("user count", func(s rowScanner) error { return s.Scan(&n) }, stmt, args...)
	return n, err
}

func (t *tx) DeleteUser(directoryID, id string) error {
	return t.writeOne("user", `DELETE FROM users WHERE id = ? AND directory_id = ?`, id, directoryID)
}

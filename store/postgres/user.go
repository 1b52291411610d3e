package postgres

import (
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/internal/rowset"
	"github.com/rollcall/rollcall/store/userquery"
)

// Users: unique by ID across directories and by key within one, addressed by
// (DirectoryID, ID), listed by ID through the users_directory_id index.

// userCols are read with the user's product keys, which the store keeps and never
// computes.
const userCols = `id, directory_id, tenant_id, kind, key, email, username, given_name, family_name,
	display_name, user_type, status, password_hash, created_at, updated_at, attrs, storage_limit, storage_used, enrollment`

func scanUser(r pgx.Row) (*rollcall.User, error) {
	var u rollcall.User
	var kind string
	k := &u.ProductKeys
	if err := r.Scan(&u.ID, &u.DirectoryID, &u.TenantID, &kind, &u.Key, &u.Email, &u.Username, &u.GivenName,
		&u.FamilyName, &u.DisplayName, &u.UserType, &u.Status, &u.PasswordHash, &u.CreatedAt, &u.UpdatedAt, &u.Attrs,
		&k.StorageLimit, &k.StorageUsed, &k.Enrollment); err != nil {
		return nil, err
	}
	u.Kind, u.CreatedAt, u.UpdatedAt = rollcall.DirectoryKind(kind), u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	u.Attrs = rowset.AttrsDoc(u.Attrs)
	return &u, nil
}

// InsertUser needs no savepoint: ON CONFLICT DO NOTHING covers both the ID and the
// (directory_id, key) constraint, and a concurrent insert of either waits for the
// other transaction, then inserts nothing (Conflict) or, when that transaction
// committed after this one's snapshot, fails with a serialization failure, which
// Update retries into a Conflict.
//
// A speculative InsertUser (tx.spec, see tx) defers the INSERT without ON CONFLICT: a
// taken ID or key fails it on the server, and fn runs again, not speculatively.
func (t *tx) InsertUser(u *rollcall.User) error {
	return t.insertSpecRows("user", insertUsers, sqlInsertUser, userArgs(u)...)
}

// The speculative inserts of users waiting ahead go out as one statement (tx.go,
// coalesce): insertUsers, sqlInsertUser's form for many rows.
const sqlInsertUser = `INSERT INTO users (` + insertUserCols + `)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)`

const insertUserCols = `id, directory_id, tenant_id, kind, key, email, email_lower, username,
			given_name, family_name, display_name, user_type, status, password_hash, created_at, updated_at, attrs,
			` + userquery.KeyColumns

var insertUsers = &multiRow{cols: 23, sql: `INSERT INTO users (` + insertUserCols + `) ` + unnestRows(
	"text", "text", "text", "text", "text", "text", "text", "text", "text", "text", "text", "text", "text", "text",
	"timestamptz", "timestamptz", "text", "text", "text", "bigint", "bigint", "text", "integer")}

// userArgs are sqlInsertUser's arguments.
func userArgs(u *rollcall.User) []any {
	return append([]any{
		u.ID, u.DirectoryID, u.TenantID, string(u.Kind), u.Key, u.Email, emailLower(u.Email), u.Username,
		u.GivenName, u.FamilyName, u.DisplayName, u.UserType, u.Status, u.PasswordHash, ts(u.CreatedAt), ts(u.UpdatedAt), rowset.AttrsColumn(u.Attrs)},
		userquery.KeyValues(u)...)
}

// UpdateUser may move the user to a taken key, so it runs in a savepoint.
func (t *tx) UpdateUser(u *rollcall.User) error {
	return t.execGuarded("user", true, `UPDATE users SET tenant_id = $3, kind = $4, key = $5, email = $6,
			email_lower = $7, username = $8, given_name = $9, family_name = $10, display_name = $11, user_type = $12,
			status = $13, password_hash = $14, created_at = $15, updated_at = $16, attrs = $17,
			full_name_fold = $18, search = $19, storage_limit = $20, storage_used = $21, enrollment = $22, keys_version = $23
		WHERE directory_id = $1 AND id = $2`, append([]any{
		u.DirectoryID, u.ID, u.TenantID, string(u.Kind), u.Key, u.Email, emailLower(u.Email), u.Username,
		u.GivenName, u.FamilyName, u.DisplayName, u.UserType, u.Status, u.PasswordHash, ts(u.CreatedAt), ts(u.UpdatedAt), rowset.AttrsColumn(u.Attrs)},
		userquery.KeyValues(u)...)...)
}

func (t *tx) User(directoryID, id string) (*rollcall.User, error) {
	return get(t, "user", scanUser, `SELECT `+userCols+` FROM users WHERE directory_id = $1 AND id = $2`, directoryID, id)
}

func (t *tx) UserByKey(directoryID, key string) (*rollcall.User, error) {
	return get(t, "user", scanUser, `SELECT `+userCols+` FROM users WHERE directory_id = $1 AND key = $2`, directoryID, key)
}

// dialect is how PostgreSQL writes what userquery builds.
var dialect = userquery.Dialect{
	Numbered: true,
	Time:     func(ms int64) any { return time.UnixMilli(ms).UTC() },
	Contains: func(col, needle string) string { return "strpos(" + col + ", " + needle + ") > 0" },
	// PostgreSQL plans from statistics: a filter written as an expression would lose
	// its column's (the planner would guess its selectivity), so columns stay plain.
	NoIndex: func(col string) string { return col },
	// An Index Scan tests its filters on the row, an Index Only Scan on the index.
	KeysFirst: true,
	// Without LATERAL the planner may hash the walk's every group (the whole directory).
	Lateral: true,
	// The creation-time indexes are ascending (migration 0460): newest first is a walk.
	NewestWalk: true,
}

// Users runs the query userquery plans; see its doc for the indexes it reads.
func (t *tx) Users(q rollcall.UserQuery) ([]*rollcall.User, error) {
	stmt, args, err := userquery.Page(dialect, userCols, q)
	if err != nil {
		return nil, err
	}
	return list(t, "users", scanUser, stmt, args...)
}

// CountUsers counts the query's matches on the index of its filters.
func (t *tx) CountUsers(q rollcall.UserQuery) (int, error) {
	stmt, args := userquery.Count(dialect, q)
	n, err := get(t, "user count", func(r pgx.Row) (*int, error) {
		var n int
		return &n, r.Scan(&n)
	}, stmt, args...)
	if err != nil {
		return 0, err
	}
	return *n, nil
}

func (t *tx) DeleteUser(directoryID, id string) error {
	return t.execOne("user", `DELETE FROM users WHERE directory_id = $1 AND id = $2`, directoryID, id)
}

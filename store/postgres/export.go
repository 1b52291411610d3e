package postgres

import (
	"github.com/jackc/pgx/v5"
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/internal/rowset"
)

// Listings of everything, for `rollcall export`, and the shared settings.

func (t *tx) AccessKeys() ([]*rollcall.AccessKey, error) {
	return list(t, "access keys", scanAccessKey, `SELECT `+accessKeyCols+` FROM access_keys ORDER BY id COLLATE "C"`)
}

func (t *tx) AccessTokens() ([]*rollcall.AccessToken, error) {
	return list(t, "access tokens", scanAccessToken, `SELECT `+accessTokenCols+` FROM access_tokens ORDER BY hash COLLATE "C"`)
}

func (t *tx) AllDirectories() ([]*rollcall.Directory, error) {
	return list(t, "directories", scanDirectory, `SELECT `+directoryCols+` FROM directories ORDER BY id`)
}

func (t *tx) AllGroups() ([]*rollcall.Group, error) {
	return list(t, "groups", scanGroup, `SELECT `+groupCols+` FROM business_groups ORDER BY directory_id COLLATE "C", id`)
}

// AllUsers pages through every user by ID, on the primary key.
func (t *tx) AllUsers(after string, limit int) ([]*rollcall.User, error) {
	var w where
	w.add("id > ?", after)
	return list(t, "users", scanUser, `SELECT `+userCols+` FROM users`+w.sql("id", limit), w.args...)
}

func (t *tx) IdempotencyRecords() ([]*rollcall.IdempotencyRecord, error) {
	return list(t, "idempotency records", scanIdempotency,
		`SELECT `+idempotencyCols+` FROM idempotency ORDER BY scope COLLATE "C", token COLLATE "C"`)
}

func (t *tx) Invitations() ([]*rollcall.Invitation, error) {
	return list(t, "invitations", scanInvitation, `SELECT `+invitationCols+` FROM invitations ORDER BY id COLLATE "C"`)
}

func scanSetting(r pgx.Row) (*rowset.Setting, error) {
	var s rowset.Setting
	if err := r.Scan(&s.Name, &s.Value); err != nil {
		return nil, err
	}
	return &s, nil
}

func (t *tx) Setting(name string) (string, error) {
	s, err := get(t, "setting", scanSetting, `SELECT name, value FROM settings WHERE name = $1`, name)
	if err != nil {
		return "", err
	}
	return s.Value, nil
}

// InsertSetting says ON CONFLICT DO NOTHING: a replica that loses the race gets
// Conflict, and its transaction stays usable to read the winner's value.
func (t *tx) InsertSetting(name, value string) error {
	return t.insert("setting", `INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT DO NOTHING`, name, value)
}

func (t *tx) Settings() (map[string]string, error) {
	return rowset.Settings(list(t, "settings", scanSetting, `SELECT name, value FROM settings ORDER BY name`))
}

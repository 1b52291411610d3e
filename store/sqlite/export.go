package sqlite

import (
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/internal/rowset"
)

// Listings of everything, for `rollcall export`, and the shared settings.

func (t *tx) AccessKeys() ([]*rollcall.AccessKey, error) {
	return list(t, "access key", scanAccessKey, `SELECT `+accessKeyColumns+` FROM access_keys ORDER BY id`)
}

func (t *tx) AccessTokens() ([]*rollcall.AccessToken, error) {
	return list(t, "access token", scanAccessToken, `SELECT `+accessTokenColumns+` FROM access_tokens ORDER BY hash`)
}

func (t *tx) AllDirectories() ([]*rollcall.Directory, error) {
	return list(t, "directory", scanDirectory, `SELECT `+directoryColumns+` FROM directories ORDER BY id`)
}

func (t *tx) AllGroups() ([]*rollcall.Group, error) {
	return list(t, "group", scanGroup, `SELECT `+groupColumns+` FROM business_groups ORDER BY directory_id, id`)
}

// AllUsers pages through every user by ID, on the primary key.
func (t *tx) AllUsers(after string, limit int) ([]*rollcall.User, error) {
	return list(t, "user", scanUser, `SELECT `+userColumns+` FROM users WHERE id > ? ORDER BY id LIMIT ?`, after, noLimit(limit))
}

func (t *tx) IdempotencyRecords() ([]*rollcall.IdempotencyRecord, error) {
	return list(t, "idempotency record", scanIdempotency, `SELECT `+idempotencyColumns+` FROM idempotency ORDER BY scope, token`)
}

func (t *tx) Invitations() ([]*rollcall.Invitation, error) {
	return list(t, "invitation", scanInvitation, `SELECT `+invitationColumns+` FROM invitations ORDER BY id`)
}

func (t *tx) Setting(name string) (value string, err error) {
	err = t.get("setting", func(s rowScanner) error { return s.Scan(&value) },
		`SELECT value FROM settings WHERE name = ?`, name)
	return value, err
}

// InsertSetting returns Conflict when name is set (a unique violation, see errors.go).
func (t *tx) InsertSetting(name, value string) error {
	_, err := t.write("setting", `INSERT INTO settings (name, value) VALUES (?, ?)`, name, value)
	return err
}

func (t *tx) Settings() (map[string]string, error) {
	return rowset.Settings(list(t, "setting", func(s rowScanner) (*rowset.Setting, error) {
		var v rowset.Setting
		return &v, s.Scan(&v.Name, &v.Value)
	}, `SELECT name, value FROM settings ORDER BY name`))
}

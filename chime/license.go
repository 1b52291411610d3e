package chime

import (
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/attrjson"
)

// licenses keeps the default license of each account settings document seen: every
// CreateUser needs its account's default license, inside its Update (on SQLite's one
// writer goroutine), and decoding the settings' JSON for it cost more than the rest of
// the create's own Go code there. About one entry per account settings in use.
var licenses = attrjson.DocCache[string]{Max: 4096}

// defaultLicense is the default license of Chime account d (decoded once per settings
// document).
func defaultLicense(d *rollcall.Directory) (string, error) {
	return licenses.Get(d.Attrs, func() (string, error) {
		a, err := AccountOf(d)
		if err != nil {
			return "", err
		}
		return a.Attrs.DefaultLicense, nil
	})
}

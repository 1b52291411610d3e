package chime

import (
	"sync"

	"github.com/rollcall/rollcall"
)

// licenses keeps the default license of each account settings document seen, keyed by
// the document's text: every CreateUser needs its account's default license, inside its
// Update (on SQLite's one writer goroutine), and decoding the settings' JSON for it cost
// more than the rest of the create's own Go code there. A document's text says all of
// its settings, so an account whose settings change is looked up under its new text; when
// the cache is full it starts over.
var licenses struct {
	mu sync.RWMutex
	m  map[string]string
}

// licensesMax bounds the cache: about one entry per account settings in use.
const licensesMax = 4096

// defaultLicense is the default license of Chime account d (decoded once per settings
// document).
func defaultLicense(d *rollcall.Directory) (string, error) {
	licenses.mu.RLock()
	l, ok := licenses.m[d.Attrs]
	licenses.mu.RUnlock()
	if ok {
		return l, nil
	}
	a, err := AccountOf(d)
	if err != nil {
		return "", err
	}
	licenses.mu.Lock()
	defer licenses.mu.Unlock()
	if licenses.m == nil || len(licenses.m) >= licensesMax {
		licenses.m = make(map[string]string)
	}
	licenses.m[d.Attrs] = a.Attrs.DefaultLicense
	return a.Attrs.DefaultLicense, nil
}

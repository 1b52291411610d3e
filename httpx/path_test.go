package httpx_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/httpx"
)

// Paths the faces match: prefixes, and paths matched exactly.
const (
	Prefix     = "/businessAccounts/"
	CreatePath = "/businessAccounts/2021-08-30/businessUserAccount"
)

var (
	prefixes = []string{Prefix, "/accounts/", "/api/v1/"}
	exact    = []string{CreatePath, "/accounts", "/auth/o2/token"}
)

// TestPlainPath: a face decides on PlainPath, by prefix or by equality, as it would on
// EscapedPath, for request targets as clients send them (plain, escaped, encoded where
// no escaping is needed, with characters that escaping changes), and PlainPath does not
// escape the path anew when the target needed no escaping.
func TestPlainPath(t *testing.T) {
	for _, target := range []string{
		CreatePath, CreatePath + "/", CreatePath + "?x=1", Prefix, Prefix + "x", "/businessAccounts", "/",
		"/businessAccounts/2021-08-30/business%55serAccount", // an escaped 'U' (RawPath set)
		"/business%41ccounts/2021-08-30/businessUserAccount", // an escaped 'A'
		"/businessAccounts/2021-08-30/businessUserAccount%20", "/businessAccounts/a%2Fb", "/businessAccounts/%E2%82%AC",
		"/%62usinessAccounts/", "//businessAccounts/", "/businessAccounts/../accounts", "/accounts/1/users",
		"/accounts", "/accounts%2F1", "/%61ccounts/1", "/accounts/a%20b/users", "/api/v1/users", "/api/v1%2Fusers",
		"/auth/o2/token", "/auth/o2/token%3F", "/auth/o2/%74oken",
	} {
		u := httptest.NewRequest("POST", target, nil).URL
		escaped := u.EscapedPath()
		for _, p := range prefixes {
			if got, want := strings.HasPrefix(httpx.PlainPath(u), p), strings.HasPrefix(escaped, p); got != want {
				t.Errorf("%s: under %s: %v, want %v (escaped path %q)", target, p, got, want, escaped)
			}
		}
		for _, p := range exact {
			if got, want := httpx.PlainPath(u) == p, escaped == p; got != want {
				t.Errorf("%s: is %s: %v, want %v (escaped path %q)", target, p, got, want, escaped)
			}
		}
	}
	u := httptest.NewRequest("POST", "/accounts/1/users", nil).URL
	if n := testing.AllocsPerRun(10, func() { httpx.PlainPath(u) }); n != 0 || httpx.PlainPath(u) != u.Path {
		t.Errorf("PlainPath: %v allocations, %q", n, httpx.PlainPath(u))
	}
}

package amazonbusiness

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestPlainPath: Match and the dispatch decide on plainPath as they would on
// EscapedPath, for request targets as clients send them (plain, escaped, encoded where
// no escaping is needed, with characters that escaping changes), and plainPath does not
// escape the path anew when the target needed no escaping.
func TestPlainPath(t *testing.T) {
	for _, target := range []string{
		CreatePath, CreatePath + "/", CreatePath + "?x=1", Prefix, Prefix + "x", "/businessAccounts", "/",
		"/businessAccounts/2021-08-30/business%55serAccount", // an escaped 'U' (RawPath set)
		"/business%41ccounts/2021-08-30/businessUserAccount", // an escaped 'A'
		"/businessAccounts/2021-08-30/businessUserAccount%20", "/businessAccounts/a%2Fb", "/businessAccounts/%E2%82%AC",
		"/%62usinessAccounts/", "//businessAccounts/", "/businessAccounts/../accounts", "/accounts/1/users",
	} {
		u := httptest.NewRequest("POST", target, nil).URL
		escaped := u.EscapedPath()
		if got, want := strings.HasPrefix(plainPath(u), Prefix), strings.HasPrefix(escaped, Prefix); got != want {
			t.Errorf("%s: claimed %v, want %v (escaped path %q)", target, got, want, escaped)
		}
		if got, want := plainPath(u) == CreatePath, escaped == CreatePath; got != want {
			t.Errorf("%s: is the create path: %v, want %v (escaped path %q)", target, got, want, escaped)
		}
	}
	u := httptest.NewRequest("POST", "/accounts/1/users", nil).URL
	if n := testing.AllocsPerRun(10, func() { plainPath(u) }); n != 0 || plainPath(u) != u.Path {
		t.Errorf("plainPath: %v allocations, %q", n, plainPath(u))
	}
}

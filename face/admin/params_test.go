package admin_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestRequestLimits: every listing takes limit from 1 to 1000 and refuses anything else
// with 400 before it reads the store; the JSON bodies of the credential operations may be
// at most 64 KiB, those of IAM 256 KiB, and a body that is not JSON is 400.
func TestRequestLimits(t *testing.T) {
	f, st := mustFace(t, t.TempDir())
	t.Cleanup(func() { st.Close() })
	const badLimit = "limit must be a whole number from 1 to 1000."
	for _, list := range []string{"/_rollcall/messages", "/_rollcall/directories/d-0000000000/users"} {
		for _, limit := range []string{"0", "1001", "-1", "ten", "1.5"} {
			if code, msg := call(f, http.MethodGet, list+"?limit="+limit, ""); code != http.StatusBadRequest || msg != badLimit {
				t.Errorf("%s?limit=%s: %d %q, want 400 %q", list, limit, code, msg, badLimit)
			}
		}
	}
	for _, limit := range []string{"", "?limit=1", "?limit=1000"} {
		if code, msg := call(f, http.MethodGet, "/_rollcall/messages"+limit, ""); code != http.StatusOK {
			t.Errorf("messages%s: %d %q, want 200", limit, code, msg)
		}
	}

	const tooLarge = "The request body could not be read or is too large."
	pad := func(n int) string { return `{"accountId":"` + strings.Repeat(" ", n-len(`{"accountId":""}`)) + `"}` }
	for _, c := range []struct {
		path    string
		size    int
		refused bool
	}{
		{"/_rollcall/credentials", 64 << 10, false},
		{"/_rollcall/credentials", 64<<10 + 1, true},
		{"/_rollcall/workdocs/tokens", 64<<10 + 1, true},
		{"/_rollcall/iam/simulate", 256 << 10, false},
		{"/_rollcall/iam/simulate", 256<<10 + 1, true},
	} {
		code, msg := call(f, http.MethodPost, c.path, pad(c.size))
		if got := code == http.StatusBadRequest && msg == tooLarge; got != c.refused {
			t.Errorf("POST %s of %d bytes: %d %q, want refused as too large: %v", c.path, c.size, code, msg, c.refused)
		}
	}
	for _, path := range []string{"/_rollcall/credentials", "/_rollcall/workdocs/tokens", "/_rollcall/iam/simulate"} {
		if code, msg := call(f, http.MethodPost, path, `{"action":`); code != http.StatusBadRequest || msg == "" || msg == tooLarge {
			t.Errorf("POST %s with a cut-off body: %d %q, want 400 with the decoder's reason", path, code, msg)
		}
	}
}

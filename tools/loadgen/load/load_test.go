package load_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"sort"
	"testing"

	"github.com/rollcall/rollcall/tools/loadgen/load"
)

// email is the Email a chime request carries.
func email(t *testing.T, req *http.Request) string {
	t.Helper()
	b, err := io.ReadAll(req.Body)
	if err != nil {
		t.Fatal(err)
	}
	var body struct{ Email string }
	if err := json.Unmarshal(b, &body); err != nil {
		t.Fatal(err)
	}
	return body.Email
}

func emails(t *testing.T, g *load.Gen, n int) []string {
	t.Helper()
	out := make([]string, n)
	for i := range out {
		req, err := g.Request()
		if err != nil {
			t.Fatal(err)
		}
		out[i] = email(t, req)
	}
	return out
}

// TestRandomEmails: with RandomEmails, a run's emails are distinct, valid, and in no
// order, so a store's email and key indexes take them at random places; without it
// they sort in the order they were made (the default, which the 1M figures were
// measured with).
func TestRandomEmails(t *testing.T) {
	shape := regexp.MustCompile(`^user-[0-9a-f]{16}-[0-9]+@example\.com$`)
	const n = 2000
	g := load.New("http://127.0.0.1:1", "chime")
	g.ChimeAccount = "acct"
	g.RandomEmails = true
	got := emails(t, g, n)
	seen := map[string]bool{}
	ascending := 0
	for i, e := range got {
		if !shape.MatchString(e) {
			t.Fatalf("email %q is not of the random shape", e)
		}
		if seen[e] {
			t.Fatalf("email %q made twice", e)
		}
		seen[e] = true
		if i > 0 && e > got[i-1] {
			ascending++
		}
	}
	// Random order: about half the steps go up. In order: all of them do.
	if ascending < n*4/10 || ascending > n*6/10 {
		t.Errorf("%d of %d steps sort upwards; want about half", ascending, n-1)
	}
	other := load.New("http://127.0.0.1:1", "chime")
	other.ChimeAccount = "acct"
	other.RandomEmails = true
	for _, e := range emails(t, other, n) {
		if seen[e] {
			t.Fatalf("email %q made by two runs", e)
		}
	}

	seq := load.New("http://127.0.0.1:1", "chime")
	seq.ChimeAccount = "acct"
	two := emails(t, seq, 99)[9:] // the two-digit sequence numbers, 10 to 99
	if !sort.StringsAreSorted(two) {
		t.Errorf("sequential emails are not in order: %v", two)
	}
}

// TestA4BClientRequestToken: an A4B request carries a ClientRequestToken, a new one each
// time, as the SDKs' CreateUser does, so the harness stores the idempotency record a
// real client's create stores.
func TestA4BClientRequestToken(t *testing.T) {
	g := load.New("http://127.0.0.1:1", "a4b")
	seen := map[string]bool{}
	for range 100 {
		req, err := g.Request()
		if err != nil {
			t.Fatal(err)
		}
		var body struct{ ClientRequestToken string }
		b, _ := io.ReadAll(req.Body)
		if err := json.Unmarshal(b, &body); err != nil {
			t.Fatal(err)
		}
		if len(body.ClientRequestToken) != 36 || seen[body.ClientRequestToken] {
			t.Fatalf("ClientRequestToken %q: want a new UUID each request", body.ClientRequestToken)
		}
		seen[body.ClientRequestToken] = true
	}
}

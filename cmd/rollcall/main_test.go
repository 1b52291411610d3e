package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/internal/testlog"
)

// testMain is a running rollcall for end-to-end tests: on 127.0.0.1:0 with a temporary
// data directory, and everything it logs kept for inspection.
type testMain struct {
	*Main
	log *testlog.Buffer
}

// MustRunMain starts rollcall with args (plus --listen 127.0.0.1:0 and a data dir) and
// closes it when the test ends.
func MustRunMain(tb testing.TB, dataDir string, args ...string) *testMain {
	tb.Helper()
	return mustRunMainWith(tb, dataDir, nil, args...)
}

// mustRunMainWith is MustRunMain with tune, if not nil, setting the Main's fields
// before it runs.
func mustRunMainWith(tb testing.TB, dataDir string, tune func(*Main), args ...string) *testMain {
	tb.Helper()
	m := NewMain()
	if tune != nil {
		tune(m)
	}
	buf := &testlog.Buffer{}
	m.Stdout, m.Stderr = io.Discard, buf
	base := []string{"--listen", "127.0.0.1:0", "--data-dir", dataDir, "--admin-token", testAdminToken,
		"--argon2-memory", "1024", "--argon2-time", "1", "--quiet"}
	if err := m.ParseFlags(append(base, args...), func(string) string { return "" }); err != nil {
		tb.Fatal(err)
	}
	if err := m.Run(context.Background()); err != nil {
		m.Close()
		tb.Fatal(err)
	}
	tm := &testMain{Main: m, log: buf}
	tb.Cleanup(func() {
		tm.Close()
		assertNoSecrets(tb, buf.String())
	})
	return tm
}

// secretsInTests are every password, token and secret key the end-to-end tests use, and
// the markers of signatures and bearer tokens. None may ever reach the log.
var secretsInTests = []string{
	testAdminToken, rollcall.DevAccessToken, rollcall.DevClientSecret, rollcall.DevRefreshToken,
	"correct-horse-1", "pw-1234", "pw-12345", "other-secret", "not-the-secret", "example-secret",
	"Signature=", "Atza|", "Atzr|", "argon2id", "rc_admin_",
}

// assertNoSecrets scans everything a rollcall logged during a test.
func assertNoSecrets(tb testing.TB, log string) {
	tb.Helper()
	for _, s := range secretsInTests {
		if strings.Contains(log, s) {
			tb.Errorf("the log contains %q", s)
		}
	}
}

const testAdminToken = "rc_admin_test-token-for-end-to-end-tests"

// mustDo sends a request and returns the response with its body read.
// holderBody is a createBusinessUserAccount body for Ada Lovelace, with email, in US.
func holderBody(email string) string {
	return `{"accountHolder":{"email":"` + email + `","givenName":"Ada","familyName":"Lovelace"},"region":"US"}`
}

// businessCreateRequest is a createBusinessUserAccount request to the server at base,
// with the access token and the JSON body.
func businessCreateRequest(base, token, body string) *http.Request {
	req, _ := http.NewRequest("POST", base+"/businessAccounts/2021-08-30/businessUserAccount", strings.NewReader(body))
	req.Header.Set("x-amz-access-token", token)
	req.Header.Set("Content-Type", "application/json")
	return req
}

func mustDo(tb testing.TB, req *http.Request) (*http.Response, string) {
	tb.Helper()
	resp, b := facetest.MustRead(tb, http.DefaultClient, req)
	return resp, string(b)
}

func TestFlagsAndEnvironment(t *testing.T) {
	var c Config
	env := map[string]string{"ROLLCALL_LISTEN": "127.0.0.1:9999", "ROLLCALL_NO_DEV_DEFAULTS": "true", "ROLLCALL_DATA_DIR": "/env"}
	if err := c.parse([]string{"--data-dir", "/flag"}, func(k string) string { return env[k] }, io.Discard); err != nil {
		t.Fatal(err)
	}
	if c.Listen != "127.0.0.1:9999" || !c.NoDevDefaults || c.DataDir != "/flag" {
		t.Fatalf("config = %+v: want listen and no-dev-defaults from the environment, data-dir from the flag", c)
	}
	for _, bad := range [][]string{{"--log-format", "xml"}, {"--argon2-memory", "10"}, {"stray"}} {
		if err := new(Config).parse(bad, func(string) string { return "" }, io.Discard); err == nil {
			t.Errorf("parse(%q) accepted", bad)
		}
	}
	if err := new(Config).parse(nil, func(k string) string {
		if k == "ROLLCALL_NO_DEV_DEFAULTS" {
			return "maybe"
		}
		return ""
	}, io.Discard); err == nil {
		t.Error("a malformed environment variable was accepted")
	}
}

func TestInitFile(t *testing.T) {
	dir := t.TempDir()
	seed := dir + "/seed.yaml"
	os.WriteFile(seed, []byte(`
accounts:
  - id: "111122223333"
    accessKeys: [{id: AKIAEXAMPLE, secret: example-secret}]
    workDocsOrganizations: [{id: d-1111111111, name: Example}]
businesses:
  - id: acme
    groups: [{id: g1, tag: purchasing}]
    defaultGroup: g1
    defaultRole: Finance
    accessTokens: ["Atza|acme"]
`), 0o600)
	m := MustRunMain(t, dir, "--init", seed, "--no-dev-defaults")
	// Applying the same file again at the next start changes nothing and fails nothing.
	m.Close()
	m = MustRunMain(t, dir, "--init", seed, "--no-dev-defaults")
	ts, err := m.Operator.Tenants(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, tn := range ts {
		ids = append(ids, tn.ID)
	}
	if strings.Join(ids, ",") != "111122223333,acme" {
		t.Fatalf("tenants = %v, want exactly the seeded ones", ids)
	}

	os.WriteFile(seed, []byte(`{"accounts":[{"id":"123","typo":1}]}`), 0o600)
	if _, err := loadSeed(seed); err == nil {
		t.Fatal("a seed with an unknown key and a bad account ID was accepted")
	}
}

func TestAdminAPIRequiresToken(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	req, _ := http.NewRequest("GET", m.URL+"/_rollcall/messages", nil)
	if resp, _ := mustDo(t, req); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no token: status %d, want 401", resp.StatusCode)
	}
	req.Header.Set("Authorization", "Bearer wrong")
	if resp, _ := mustDo(t, req); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("wrong token: status %d, want 401", resp.StatusCode)
	}
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, body := mustDo(t, req)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `"messages"`) {
		t.Fatalf("admin token: %d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("x-amzn-RequestId") == "" {
		t.Fatal("no x-amzn-RequestId")
	}
}

func TestGeneratedAdminTokenIsPrintedOnceAndKeptHashed(t *testing.T) {
	dir := t.TempDir()
	hash, token, err := adminTokenHash("", dir)
	if err != nil || token == "" {
		t.Fatalf("first start: token %q, err %v", token, err)
	}
	b, _ := os.ReadFile(dir + "/" + adminTokenFile)
	if strings.Contains(string(b), token) {
		t.Fatal("the admin token is stored in clear")
	}
	hash2, token2, err := adminTokenHash("", dir)
	if err != nil || token2 != "" || hash2 != hash {
		t.Fatalf("second start: token %q (want none printed), same hash %v, err %v", token2, hash2 == hash, err)
	}
}

package main

import (
	"bytes"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws/credentials"
	v4 "github.com/aws/aws-sdk-go/aws/signer/v4"
	"github.com/aws/aws-sdk-go/service/chime"
	"github.com/chromedp/chromedp"

	"github.com/rollcall/rollcall"
)

// attackPage serves, on its own loopback port, the report's page: it POSTs a body to a
// Chime CreateAccount URL presigned with the public dev key, as a browser may without a
// CORS preflight (text/plain), and puts the outcome in its title. It returns the page's
// URL and a func that sets the presigned URL and body.
func attackPage(t *testing.T) (url string, set func(presigned, body string)) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var page string
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		w.Write([]byte(page))
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/", func(presigned, body string) {
		mu.Lock()
		defer mu.Unlock()
		page = `<!doctype html><title>pending</title><script>
fetch(` + jsString(presigned) + `, {method: "POST", body: ` + jsString(body) + `})
  .then(r => { document.title = "status " + r.status; })
  .catch(e => { document.title = "blocked"; });
</script>`
	}
}

func jsString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "<", `\x3c`).Replace(s) + `"`
}

// presignCreateAccount presigns POST /accounts with body for rollcall at url, as a page's
// author could with the published dev key.
func presignCreateAccount(t *testing.T, url, body string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", url+"/accounts", strings.NewReader(body))
	if _, err := v4.NewSigner(credentials.NewStaticCredentials("test", "test", "")).Presign(req, bytes.NewReader([]byte(body)), "chime", "us-east-1", 5*time.Minute, time.Now()); err != nil {
		t.Fatal(err)
	}
	return req.URL.String()
}

func chimeAccountNames(t *testing.T, m *testMain) []string {
	t.Helper()
	out, err := devChime(t, m).ListAccounts(&chime.ListAccountsInput{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range out.Accounts {
		names = append(names, *a.Name)
	}
	return names
}

// TestBrowserCrossSite: a page on another loopback port cannot make Chromium create a
// Chime account with the dev key (the report's attack); allowed with --cors-origins, the
// same page can, and reads the answer.
func TestBrowserCrossSite(t *testing.T) {
	ctx := mustBrowser(t)
	const body = `{"Name":"FromAWebPage"}`

	page, setPage := attackPage(t)
	visit := func(what string) string {
		step(t, ctx, what, chromedp.Navigate(page), chromedp.Poll[chromedp.Void](`document.title != "pending"`))
		return eval[string](t, ctx, "document.title")
	}

	m := MustRunMain(t, t.TempDir())
	setPage(presignCreateAccount(t, m.URL, body), body)
	if title := visit("open the page"); title != "blocked" {
		t.Errorf("the page's request: %s, want it blocked (no CORS answer)", title)
	}
	if names := chimeAccountNames(t, m); len(names) != 0 {
		t.Fatalf("a web page of another site created Chime accounts %q", names)
	}
	if !strings.Contains(m.log.String(), "status=403") {
		t.Errorf("the request was not refused with 403:\n%s", m.log.String())
	}

	// Another origin allowed: still refused.
	m2 := MustRunMain(t, t.TempDir(), "--cors-origins", "http://localhost:3000")
	setPage(presignCreateAccount(t, m2.URL, body), body)
	if title := visit("open the page, another origin allowed"); title != "blocked" {
		t.Errorf("the page's request: %s, want it blocked", title)
	}
	if names := chimeAccountNames(t, m2); len(names) != 0 {
		t.Fatalf("a web page of an origin not allowed created Chime accounts %q", names)
	}

	// The page's origin allowed: the request goes through and the page reads the answer.
	m3 := MustRunMain(t, t.TempDir(), "--cors-origins", "http://localhost:3000,"+strings.TrimSuffix(page, "/"))
	setPage(presignCreateAccount(t, m3.URL, body), body)
	if title := visit("open the page, its origin allowed"); title != "status 201" {
		t.Errorf("the page's request: %s, want status 201", title)
	}
	if names := chimeAccountNames(t, m3); len(names) != 1 || names[0] != "FromAWebPage" {
		t.Fatalf("accounts %q, want the page's", names)
	}
}

// TestCrossSiteEveryFace: Amazon Business and its token endpoint refuse a browser's
// cross-site request too, in their own error shapes; nothing is created.
func TestCrossSiteEveryFace(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	create := `{"accountHolder":{"email":"web@example.com","givenName":"A","familyName":"B"},"region":"US"}`
	req := businessCreateRequest(m.URL, rollcall.DevAccessToken, create)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "http://127.0.0.1:1")
	if resp, body := mustDo(t, req); resp.StatusCode != 403 || !strings.Contains(body, "ACCESS_DENIED") {
		t.Errorf("Amazon Business: %d %s", resp.StatusCode, body)
	}
	req, _ = http.NewRequest("POST", m.URL+"/auth/o2/token", strings.NewReader("grant_type=client_credentials&client_id="+rollcall.DevClientID+"&client_secret="+rollcall.DevClientSecret))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-site")
	if resp, body := mustDo(t, req); resp.StatusCode != 403 || !strings.Contains(body, `"access_denied"`) {
		t.Errorf("token endpoint: %d %s", resp.StatusCode, body)
	}
	if n := businessUsers(t, m); n != 0 {
		t.Fatalf("%d users created", n)
	}
}

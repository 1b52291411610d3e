package main

import (
	"github.com/rollcall/rollcall/business"
	"github.com/rollcall/rollcall/internal/coretest"
	"github.com/rollcall/rollcall/internal/testdeps"
	"github.com/rollcall/rollcall/internal/testlog"
	"github.com/rollcall/rollcall/invite"

	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/mail/mailtest"
)

// chromiumPath is Debian's Chromium, which .ci/run installs.
const chromiumPath = "/usr/bin/chromium"

// mustBrowser starts headless Chromium with a fresh profile and returns a tab. Without
// Chromium the test is skipped, except under CI=true where that is a failure.
func mustBrowser(tb testing.TB) context.Context {
	tb.Helper()
	testdeps.RequireFile(tb, chromiumPath, "Chromium at "+chromiumPath+" (apt-get install chromium)")
	out := &testlog.Buffer{}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("password-store", "basic"),
		chromedp.UserDataDir(tb.TempDir()),
		chromedp.WindowSize(1280, 900),
		chromedp.CombinedOutput(out),
	)
	ctx, cancelCtx := chromedp.NewContext(actx)
	tb.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	// The first Run starts the browser; it must not carry a timeout (see chromedp.Run).
	if err := chromedp.Do(ctx); err != nil {
		tb.Fatalf("start %s: %v\n%s", chromiumPath, err, out.String())
	}
	return ctx
}

// step runs browser actions with a deadline, so a page that never shows fails the test
// instead of hanging it.
func step(tb testing.TB, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	tb.Helper()
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		tb.Fatalf("%s: %v", what, err)
	}
}

// focusOn waits until the element with the id has focus. Chromium applies autofocus when
// it next renders the page, which can be well after the page shows on a loaded machine,
// and keys typed before then go nowhere.
func focusOn(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Poll[chromedp.Void](`document.activeElement !== null && document.activeElement.id === ` + strconv.Quote(id))
}

func eval[T any](tb testing.TB, ctx context.Context, expr string) T {
	tb.Helper()
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(sctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// artifactsDir is where screenshots go: $ROLLCALL_TEST_ARTIFACTS, or a temporary
// directory that outlives the test so the logged paths can be opened.
func artifactsDir(tb testing.TB) string {
	tb.Helper()
	dir := os.Getenv("ROLLCALL_TEST_ARTIFACTS")
	if dir == "" {
		d, err := os.MkdirTemp("", "rollcall-test-artifacts-")
		if err != nil {
			tb.Fatal(err)
		}
		return d
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	return dir
}

func screenshot(tb testing.TB, ctx context.Context, dir, name string) {
	tb.Helper()
	sctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(sctx, chromedp.FullScreenshot(100))
	if err != nil {
		tb.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, png, 0o644); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("screenshot: %s", path)
}

// TestBrowserAcceptInvitation drives Debian's Chromium through the whole invitation:
// create an Amazon Business user through the API, take the invitation from a real SMTP
// server's inbox, follow its link, choose a password and submit it with the keyboard, see
// the confirmation, and see the account active in the console, through the admin API and
// in the store.
func TestBrowserAcceptInvitation(t *testing.T) {
	ctx := mustBrowser(t)
	artifacts := artifactsDir(t)
	relay := mailtest.Start(t, mailtest.Options{})
	m := MustRunMain(t, t.TempDir(), "--smtp-url", relay.URL())
	const email = "ada.lovelace@example.com"
	const pw = "analytical engine 1843 notes"

	if resp, got := mustDo(t, businessCreateRequest(m.URL, rollcall.DevAccessToken, holderBody(email))); resp.StatusCode != http.StatusCreated {
		t.Fatalf("createBusinessUserAccount: %d %s", resp.StatusCode, got)
	}
	// The invitation, as it arrived over SMTP.
	got := relay.Wait(t, 1, time.Minute)
	if len(got) != 1 || len(got[0].To) != 1 || got[0].To[0] != email {
		t.Fatalf("the relay received %+v, want one message to %s", got, email)
	}
	invitation, err := mailtest.Parse(got[0].Data)
	if err != nil {
		t.Fatalf("the invitation does not parse: %v\n%s", err, got[0].Data)
	}
	link := invitation.InvitationLink()
	if !strings.HasPrefix(link, m.URL+"/invitations/") || !strings.Contains(invitation.HTML, link) ||
		!strings.Contains(invitation.Text, "Ada Lovelace") || !strings.Contains(invitation.Subject, "rollcall dev business") {
		t.Fatalf("invitation: subject %q, link %q (rollcall at %s)\n%s", invitation.Subject, link, m.URL, invitation.Text)
	}
	token := link[strings.LastIndex(link, "/")+1:]

	// The invitation page, by keyboard only.
	step(t, ctx, "open the invitation", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.ID("password")))
	if title := eval[string](t, ctx, `document.title`); !strings.Contains(title, "Join rollcall dev business") {
		t.Errorf("title = %q", title)
	}
	if lang := eval[string](t, ctx, `document.documentElement.lang`); lang != "en" {
		t.Errorf("lang = %q", lang)
	}
	// The style sheet loads under the Content-Security-Policy: the button is styled.
	if bg := eval[string](t, ctx, `getComputedStyle(document.querySelector("button[type=submit]")).backgroundColor`); bg != "rgb(11, 87, 208)" {
		t.Errorf("submit button background = %q: style.css did not apply", bg)
	}
	// Labels name the inputs, and the rule describes the password.
	if label := eval[string](t, ctx, `document.getElementById("password").labels[0].textContent`); label != "Choose a password" {
		t.Errorf("password label = %q", label)
	}
	if rule := eval[string](t, ctx, `document.getElementById(document.getElementById("password").getAttribute("aria-describedby")).textContent`); rule != invite.PasswordRule {
		t.Errorf("password description = %q", rule)
	}
	screenshot(t, ctx, artifacts, "invitation.png")

	// Tab from the top of the page reaches the password field; a too-short password first.
	step(t, ctx, "tab to the password", chromedp.KeyEvent("\t"), chromedp.KeyEvent("\t"), chromedp.KeyEvent("\t"))
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "password" {
		t.Fatalf("three tabs focus %q, want the password (skip link, email, password)", id)
	}
	if outline := eval[string](t, ctx, `getComputedStyle(document.activeElement).outlineStyle`); outline != "solid" {
		t.Errorf("the focused field shows no outline (outline-style %q)", outline)
	}
	step(t, ctx, "submit a short password", chromedp.KeyEvent("short pw"), chromedp.KeyEvent("\t"), chromedp.KeyEvent("short pw"), chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.ID("password-error")), focusOn("password"))
	if msg := eval[string](t, ctx, `document.getElementById("password-error").textContent`); !strings.Contains(msg, "too short") {
		t.Errorf("error message = %q", msg)
	}
	if d := eval[string](t, ctx, `document.getElementById("password").getAttribute("aria-describedby")`); !strings.Contains(d, "password-error") {
		t.Errorf("the error is not tied to the field: aria-describedby=%q", d)
	}
	if id := eval[string](t, ctx, `document.activeElement.id`); id != "password" {
		t.Errorf("after the error, focus is on %q, want the password", id)
	}
	screenshot(t, ctx, artifacts, "invitation-error.png")

	// The error page kept focus on the password field: type, tab, type, Enter.
	step(t, ctx, "set the password", chromedp.KeyEvent(pw), chromedp.KeyEvent("\t"), chromedp.KeyEvent(pw), chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.CSS(`[role=status]`)))
	confirmation := eval[string](t, ctx, `document.querySelector("main").innerText`)
	if !strings.Contains(confirmation, "You have joined rollcall dev business") || !strings.Contains(confirmation, "Amazon Business account is active") {
		t.Fatalf("confirmation page: %s", confirmation)
	}
	screenshot(t, ctx, artifacts, "invitation-accepted.png")

	// The link is used up.
	step(t, ctx, "open the link again", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("h1")))
	if h1 := eval[string](t, ctx, `document.querySelector("h1").textContent`); h1 != "Invitation no longer valid" {
		t.Errorf("second visit: %q", h1)
	}

	// The console: sign in with the admin token, by keyboard, and find the user.
	step(t, ctx, "open the console", chromedp.Navigate(m.URL+"/_rollcall/console/users?q="+email), chromedp.WaitVisible(chromedp.ID("token")))
	step(t, ctx, "sign in", chromedp.SendKeys(chromedp.ID("token"), testAdminToken), chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(chromedp.CSS(`table tbody tr td`)))
	if cookie := eval[string](t, ctx, `document.cookie`); cookie != "" {
		t.Errorf("the session cookie is readable by scripts: %q", cookie)
	}
	row := eval[string](t, ctx, `document.querySelector("table tbody tr").innerText`)
	if !strings.Contains(row, email) || !strings.Contains(row, "ACTIVE") || !strings.Contains(row, "Amazon Business") {
		t.Errorf("console row for %s: %q", email, row)
	}
	screenshot(t, ctx, artifacts, "console-users.png")
	step(t, ctx, "open the tenant", chromedp.Navigate(m.URL+"/_rollcall/console/tenants/"+rollcall.DevBusinessID), chromedp.WaitVisible(chromedp.ID("timeline")))
	screenshot(t, ctx, artifacts, "console-tenant.png")
	// The dispatcher records the delivery after the relay has the message.
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if msgs := adminMessages(t, m); len(msgs) == 1 && msgs[0].Status == rollcall.MessageSent {
			break
		} else if time.Now().After(deadline) {
			t.Fatalf("the delivered invitation is not recorded as sent: %+v", msgs)
		}
	}
	step(t, ctx, "open the outbox", chromedp.Navigate(m.URL+"/_rollcall/console/messages"), chromedp.WaitVisible(chromedp.CSS(`table tbody tr td a`)))
	step(t, ctx, "open the message", chromedp.Click(chromedp.CSS(`table tbody tr td a`)), chromedp.WaitVisible(chromedp.CSS(`iframe.preview`)))
	if text := eval[string](t, ctx, `document.querySelector("pre").innerText`); strings.Contains(text, link) || !strings.Contains(text, rollcall.RedactedLink) {
		t.Errorf("the message page shows a live link, or no redacted one: %s", text)
	}
	if status := eval[string](t, ctx, `document.querySelector("dl.meta .status").textContent`); status != rollcall.MessageSent {
		t.Errorf("the console shows the message %q, want sent", status)
	}
	screenshot(t, ctx, artifacts, "console-message.png")

	// Through the API: the console answers the admin token, and the store agrees.
	req, _ := http.NewRequest("GET", m.URL+"/_rollcall/console/users?face=business&q="+email, nil)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	if resp, body := mustDo(t, req); resp.StatusCode != http.StatusOK || !strings.Contains(body, `status-ok">ACTIVE`) {
		t.Errorf("console over HTTP: %d, ACTIVE shown: %v", resp.StatusCode, strings.Contains(body, "ACTIVE"))
	}
	req, _ = http.NewRequest("GET", m.URL+"/_rollcall/directories/"+rollcall.DevBusinessID+"/users?email="+email, nil)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, body := mustDo(t, req)
	var listed struct {
		Users []struct {
			Email, Status string
			HasPassword   bool
		}
	}
	if err := json.Unmarshal([]byte(body), &listed); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("admin API users: %d %s %v", resp.StatusCode, body, err)
	}
	if len(listed.Users) != 1 || listed.Users[0].Status != business.Active || !listed.Users[0].HasPassword {
		t.Errorf("admin API users after acceptance: %s", body)
	}
	if msgs := adminMessages(t, m); len(msgs) != 1 || msgs[0].To != email {
		t.Errorf("admin messages: %+v", msgs)
	}
	var u *rollcall.User
	err = m.Store.View(context.Background(), func(tx rollcall.Tx) (err error) {
		u, err = tx.UserByKey(rollcall.DevBusinessID, email)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if u.Status != business.Active {
		t.Errorf("stored status = %s, want ACTIVE", u.Status)
	}
	coretest.WantPassword(t, u.PasswordHash, pw)
	if _, err := m.Invite.Invitation(context.Background(), token); rollcall.ErrorReason(err) != invite.ReasonInvitationUsed {
		t.Errorf("the invitation is not used: %v", err)
	}
	for _, secret := range []string{token, pw} {
		if strings.Contains(m.log.String(), secret) {
			t.Errorf("the log contains %q", secret)
		}
	}
}

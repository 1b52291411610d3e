package rollcall_test

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth/password"
	"github.com/rollcall/rollcall/store/sqlite"
)

// MustService returns a Service over a real SQLite store with the dev seed and a clock
// the test controls.
func MustService(tb testing.TB, now *time.Time) *rollcall.Service {
	tb.Helper()
	st, err := sqlite.Open(filepath.Join(tb.TempDir(), "db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	svc := &rollcall.Service{Store: st, Passwords: password.Argon2id{Time: 1, Memory: 1024, Threads: 1},
		Strength: password.Strength{}, Now: func() time.Time { return *now }, PublicURL: "http://rollcall.test"}
	if err := svc.Apply(context.Background(), rollcall.DevSeed()); err != nil {
		tb.Fatal(err)
	}
	return svc
}

var linkToken = regexp.MustCompile(`http://rollcall\.test/invitations/([A-Za-z0-9_-]+)`)

// mustInvite creates an Amazon Business user and returns the token from its invitation.
func mustInvite(tb testing.TB, svc *rollcall.Service, email string) (*rollcall.User, string) {
	tb.Helper()
	ctx := context.Background()
	c := rollcall.Caller{TenantID: rollcall.DevBusinessID, DirectoryID: rollcall.DevBusinessID}
	u, err := svc.CreateBusinessUser(ctx, c, rollcall.CreateBusinessUserInput{Email: email, GivenName: "Ada", FamilyName: "Lovelace", Region: "US"})
	if err != nil {
		tb.Fatal(err)
	}
	var ms []*rollcall.Message // as stored: the operator's views hide the link
	err = svc.Store.View(ctx, func(tx rollcall.Tx) (err error) { ms, err = tx.Messages(rollcall.MessageFilter{}); return err })
	if err != nil {
		tb.Fatal(err)
	}
	for _, m := range ms {
		if m.UserID == u.ID {
			return u, linkToken.FindStringSubmatch(m.TextBody)[1]
		}
	}
	tb.Fatal("no invitation queued")
	return nil, ""
}

func TestAcceptInvitation(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	svc := MustService(t, &now)
	ctx := context.Background()
	u, token := mustInvite(t, svc, "adalovelace@example.com")
	if u.Status != rollcall.BusinessInvited {
		t.Fatalf("new holder status %s", u.Status)
	}
	for pw, why := range map[string]string{"short": "too short", "ADALOVELACE@EXAMPLE.COM": "email", "my-adalovelace-pw": "name part",
		"Lövelace and Babbage 1843": "family name", "rollcall-dev-business-2026": "business name",
		"            ": "twelve spaces", "aaaaaaaaaaaa": "repeats", "password1234": "common password"} {
		if _, err := svc.AcceptInvitation(ctx, token, pw); !rollcall.IsKind(err, rollcall.Invalid) {
			t.Errorf("password %q (%s): err = %v, want Invalid", pw, why, err)
		}
	}
	if _, err := svc.Invitation(ctx, token); err != nil {
		t.Fatalf("a refused password used up the invitation: %v", err)
	}
	d, err := svc.AcceptInvitation(ctx, token, "correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if d.User.Status != rollcall.BusinessActive {
		t.Fatalf("after acceptance: %s", d.User.Status)
	}
	ok, err := password.Default.Verify("correct horse battery staple", d.User.PasswordHash)
	if err != nil || !ok {
		t.Fatalf("stored hash does not verify: %v %v", ok, err)
	}
	if _, err := svc.AcceptInvitation(ctx, token, "another long password"); rollcall.ErrorReason(err) != rollcall.ReasonInvitationUsed {
		t.Fatalf("second use: %v", err)
	}
	if _, err := svc.Invitation(ctx, "not-a-token"); !rollcall.IsKind(err, rollcall.NotFound) {
		t.Fatalf("unknown token: %v", err)
	}
	_, late := mustInvite(t, svc, "grace@example.com")
	now = now.Add(rollcall.DefaultInvitationTTL)
	if _, err := svc.AcceptInvitation(ctx, late, "correct horse battery staple"); rollcall.ErrorReason(err) != rollcall.ReasonInvitationExpired {
		t.Fatalf("expired: %v", err)
	}
}

// TestOperatorsSeeNoLiveLink: the admin API's and the console's views of the outbox never
// hold a live invitation link, though the queued message does (for the dispatcher).
func TestOperatorsSeeNoLiveLink(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	svc := MustService(t, &now)
	ctx := context.Background()
	_, token := mustInvite(t, svc, "ada@example.com")
	ms, err := svc.Messages(ctx, rollcall.MessageFilter{})
	if err != nil || len(ms) != 1 {
		t.Fatalf("Messages: %v %v", ms, err)
	}
	one, err := svc.ConsoleMessage(ctx, ms[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	for what, m := range map[string]*rollcall.Message{"Messages": ms[0], "ConsoleMessage": one} {
		if strings.Contains(m.TextBody+m.HTMLBody, token) || !strings.Contains(m.TextBody, "http://rollcall.test"+rollcall.RedactedLink) ||
			!strings.Contains(m.HTMLBody, rollcall.RedactedLink) {
			t.Errorf("%s shows:\n%s\n%s", what, m.TextBody, m.HTMLBody)
		}
	}
	if _, err := svc.Invitation(ctx, token); err != nil {
		t.Fatalf("the link itself: %v", err)
	}
}

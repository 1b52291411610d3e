package coretest

import (
	"context"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	"github.com/rollcall/rollcall/auth/password"
	"github.com/rollcall/rollcall/business"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/invite"
	"github.com/rollcall/rollcall/operator"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/workdocs"
)

// World is the core and everything built on it, as cmd/rollcall wires it.
type World struct {
	Core     *rollcall.Service
	Chime    *chime.Service
	WorkDocs *workdocs.Service
	Alexa    *alexa.Service
	Business *business.Service
	Invite   *invite.Service
	Operator *operator.Service
}

// New wires every package on core.
func New(core *rollcall.Service) *World {
	return &World{Core: core, Chime: chime.New(core), WorkDocs: workdocs.New(core), Alexa: alexa.New(core),
		Business: business.New(core), Operator: operator.New(core),
		Invite: invite.New(core, chime.Invitations, workdocs.Invitations, alexa.Invitations, business.Invitations)}
}

// Must returns a World over a real SQLite store with the dev seed, cheap argon2id
// hashes, the zxcvbn strength check, PublicURL http://rollcall.test and a clock the test
// controls through now.
func Must(tb testing.TB, now *time.Time) *World {
	tb.Helper()
	st, err := sqlite.Open(filepath.Join(tb.TempDir(), "db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	w := New(&rollcall.Service{Store: st, Passwords: password.Argon2id{Time: 1, Memory: 1024, Threads: 1},
		Strength: password.Strength{}, Now: func() time.Time { return *now }, PublicURL: "http://rollcall.test"})
	if err := w.Operator.Apply(context.Background(), operator.DevSeed()); err != nil {
		tb.Fatal(err)
	}
	return w
}

// MustAt is Must with a clock that stands at start until the test moves it through the
// pointer MustAt returns.
func MustAt(tb testing.TB, start time.Time) (*World, *time.Time) {
	tb.Helper()
	now := &start
	return Must(tb, now), now
}

// LinkToken finds the token in an invitation link of a World from Must.
var LinkToken = regexp.MustCompile(`http://rollcall\.test/invitations/([A-Za-z0-9_-]+)`)

// MustInvite creates an Amazon Business user Ada Lovelace and returns it with the token
// of its invitation link.
func MustInvite(tb testing.TB, w *World, email string) (*rollcall.User, string) {
	tb.Helper()
	return MustBusinessInvite(tb, w, email, "Ada", "Lovelace")
}

// MustBusinessInvite creates an Amazon Business user and returns it with the token of
// its invitation link.
func MustBusinessInvite(tb testing.TB, w *World, email, given, family string) (*rollcall.User, string) {
	tb.Helper()
	c := rollcall.Caller{TenantID: rollcall.DevBusinessID, DirectoryID: rollcall.DevBusinessID}
	u, err := w.Business.CreateUser(context.Background(), c, business.CreateUserInput{Email: email, GivenName: given, FamilyName: family, Region: "US"})
	if err != nil {
		tb.Fatal(err)
	}
	return u.User, MustLinkToken(tb, w, u.User)
}

// MustChimeInvite creates a Chime account of the dev tenant and invites email to it
// with InviteUsers; it returns the caller, the user and the token of its link.
func MustChimeInvite(tb testing.TB, w *World, email string) (rollcall.Caller, *rollcall.User, string) {
	tb.Helper()
	ctx := context.Background()
	c := rollcall.Caller{TenantID: rollcall.DevAccountID, Region: "us-east-1"}
	acct, err := w.Chime.CreateAccount(ctx, c, chime.CreateAccountInput{Name: "Acme Chime"})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := w.Chime.InviteUsers(ctx, c, acct.ID, []string{email}, ""); err != nil {
		tb.Fatal(err)
	}
	var u *rollcall.User
	err = w.Core.Store.View(ctx, func(tx rollcall.Tx) (err error) { u, err = tx.UserByKey(acct.ID, strings.ToLower(email)); return err })
	if err != nil {
		tb.Fatal(err)
	}
	return c, u, MustLinkToken(tb, w, u)
}

// WantPassword fails the test (and goes on) unless hash, as stored, verifies pw: the
// password a user chose is the one kept, as an argon2id hash (of any cost: its
// parameters are in the hash).
func WantPassword(tb testing.TB, hash, pw string) {
	tb.Helper()
	if ok, err := password.Default.Verify(pw, hash); err != nil || !ok {
		tb.Errorf("the stored hash does not verify the chosen password: %v %v", ok, err)
	}
}

// MustLinkToken returns the token of the link in u's queued invitation, as stored: the
// operator's views hide it.
func MustLinkToken(tb testing.TB, w *World, u *rollcall.User) string {
	tb.Helper()
	var ms []*rollcall.Message
	err := w.Core.Store.View(context.Background(), func(tx rollcall.Tx) (err error) { ms, err = tx.Messages(rollcall.MessageFilter{}); return err })
	if err != nil {
		tb.Fatal(err)
	}
	for _, m := range ms { // newest first
		if token := LinkToken.FindStringSubmatch(m.TextBody); m.UserID == u.ID && token != nil {
			return token[1]
		}
	}
	tb.Fatalf("no invitation queued for %s", u.Email)
	return ""
}

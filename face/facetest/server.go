package facetest

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth/password"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/internal/coretest"
	"github.com/rollcall/rollcall/internal/testlog"
	"github.com/rollcall/rollcall/operator"
	"github.com/rollcall/rollcall/store/sqlite"
)

// A second AWS account beside the dev one (000000000000, key test/test), for tenant
// isolation; Options.Seed adds it with OtherAccount.
const (
	OtherAccountID = "111111111111"
	OtherKeyID     = "AKIAOTHERACCOUNT0001"
	OtherSecret    = "other-account-secret"
)

// OtherAccount is the seed of the second AWS account, with its access key.
func OtherAccount() operator.SeedAccount {
	return operator.SeedAccount{ID: OtherAccountID, Name: "other", AccessKeys: []operator.SeedAccessKey{{ID: OtherKeyID, Secret: OtherSecret}}}
}

// Passwords keeps argon2id cheap in tests.
var Passwords = password.Argon2id{Time: 1, Memory: 1024, Threads: 1}

// PublicURL is the base of links in the mail a test service queues.
const PublicURL = "http://rollcall.test"

// Options say how to set a service up. The zero value is the dev seed, cheap password
// hashes, the real clock and the real store.
type Options struct {
	Seed      func(*operator.Seed)                // changes the dev seed before it is applied
	Store     func(rollcall.Store) rollcall.Store // wraps the store after the seed (to inject failures)
	Passwords rollcall.PasswordHasher             // default Passwords
	Strength  rollcall.PasswordStrength
	Now       func() time.Time
}

// Service is a real service over a SQLite store in a temporary directory, seeded.
type Service struct {
	*rollcall.Service
	// World is every product, invite and operator on the service, as cmd wires them
	// (Chime, WorkDocs, Alexa, Business, Invite, Operator).
	*coretest.World
	Store rollcall.Store // the real store, not wrapped by Options.Store
}

// MustService opens the store, applies the seed and returns the service; the store
// closes when tb ends.
func MustService(tb testing.TB, o Options) *Service {
	tb.Helper()
	st, err := sqlite.Open(filepath.Join(tb.TempDir(), "rollcall.db"))
	if err != nil {
		tb.Fatalf("open store: %v", err)
	}
	tb.Cleanup(func() { st.Close() })
	svc := &rollcall.Service{Store: st, Passwords: o.Passwords, Strength: o.Strength, Now: o.Now, PublicURL: PublicURL}
	if svc.Passwords == nil {
		svc.Passwords = Passwords
	}
	seed := operator.DevSeed()
	if o.Seed != nil {
		o.Seed(&seed)
	}
	if err := coretest.New(svc).Operator.Apply(context.Background(), seed); err != nil {
		tb.Fatalf("apply seed: %v", err)
	}
	if o.Store != nil {
		svc.Store = o.Store(st) // after the seed, so injected failures hit requests only
	}
	return &Service{Service: svc, World: coretest.New(svc), Store: st}
}

// Server serves faces over HTTP for a test.
type Server struct {
	*httptest.Server
	Log *testlog.Buffer // the request log, text format, debug level
}

// MustServe serves faces behind the request log (httpx.Middleware) and router until tb
// ends.
func MustServe(tb testing.TB, faces ...httpx.Face) *Server {
	tb.Helper()
	s := &Server{Log: &testlog.Buffer{}}
	log := slog.New(slog.NewTextHandler(s.Log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s.Server = httptest.NewServer(httpx.Middleware(log, httpx.Router(faces...)))
	tb.Cleanup(s.Close)
	return s
}

// MustUsers returns the users of a directory, as stored.
func (s *Service) MustUsers(tb testing.TB, directoryID string) []*rollcall.User {
	tb.Helper()
	var users []*rollcall.User
	err := s.Store.View(context.Background(), func(tx rollcall.Tx) (err error) {
		users, err = tx.Users(rollcall.UserQuery{DirectoryID: directoryID})
		return err
	})
	if err != nil {
		tb.Fatalf("users of %s: %v", directoryID, err)
	}
	return users
}

// MustUserByKey returns the stored user of a directory with this key (a username or an
// email, matched ignoring case).
func (s *Service) MustUserByKey(tb testing.TB, directoryID, key string) *rollcall.User {
	tb.Helper()
	var u *rollcall.User
	err := s.Store.View(context.Background(), func(tx rollcall.Tx) (err error) {
		u, err = tx.UserByKey(directoryID, strings.ToLower(key))
		return err
	})
	if err != nil {
		tb.Fatalf("user %s of %s: %v", key, directoryID, err)
	}
	return u
}

// MustInvitationToken returns the token of the invitation link in the first message to
// the user the store lists (the newest), as stored (the operator's views hide the link).
func (s *Service) MustInvitationToken(tb testing.TB, userID string) string {
	tb.Helper()
	for _, m := range s.MustMessages(tb) {
		if _, rest, ok := strings.Cut(m.TextBody, "/invitations/"); ok && m.UserID == userID {
			if token := strings.FieldsFunc(rest, func(r rune) bool { return !isTokenRune(r) }); len(token) > 0 {
				return token[0]
			}
		}
	}
	tb.Fatalf("no invitation link queued for user %s", userID)
	return ""
}

// isTokenRune reports whether r may stand in an invitation token (base64url).
func isTokenRune(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_'
}

// MustMessages returns the outbox as stored (with its links), newest first.
func (s *Service) MustMessages(tb testing.TB) []*rollcall.Message {
	tb.Helper()
	var ms []*rollcall.Message
	err := s.Store.View(context.Background(), func(tx rollcall.Tx) (err error) {
		ms, err = tx.Messages(rollcall.MessageFilter{})
		return err
	})
	if err != nil {
		tb.Fatalf("messages: %v", err)
	}
	return ms
}

// Decoded is u with its product's attributes, decoded by the product's reader (of:
// chime.UserOf, workdocs.UserOf, ...); tb fails when they do not decode.
func Decoded[T any](tb testing.TB, u *rollcall.User, of func(*rollcall.User) (T, error)) T {
	tb.Helper()
	v, err := of(u)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// AllDecoded is Decoded of each of users.
func AllDecoded[T any](tb testing.TB, users []*rollcall.User, of func(*rollcall.User) (T, error)) []T {
	tb.Helper()
	out := make([]T, len(users))
	for i, u := range users {
		out[i] = Decoded(tb, u, of)
	}
	return out
}

package token_test

import (
	"context"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth/token"
	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/operator"
)

// countingStore counts the write transactions a Service opens.
type countingStore struct {
	rollcall.Store
	updates atomic.Int64
}

func (s *countingStore) Update(ctx context.Context, fn func(rollcall.Tx) error) error {
	s.updates.Add(1)
	return s.Store.Update(ctx, fn)
}

// MustCountingService is a seeded service with its write transactions counted.
func MustCountingService(tb testing.TB, now *time.Time) (*rollcall.Service, *countingStore) {
	tb.Helper()
	var cs *countingStore
	svc := facetest.MustService(tb, facetest.Options{Now: func() time.Time { return *now },
		Store: func(st rollcall.Store) rollcall.Store { cs = &countingStore{Store: st}; return cs }})
	return svc.Service, cs
}

// TestIssueBusinessTokenRefusesBeforeWriting: a grant with an unknown client, a wrong
// secret or a bad refresh token is refused without opening a write transaction.
func TestIssueBusinessTokenRefusesBeforeWriting(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	svc, cs := MustCountingService(t, &now)
	ctx := context.Background()
	refused := map[string]token.Grant{
		"unknown client": {GrantType: "client_credentials", ClientID: "amzn1.application-oa2-client.nobody", ClientSecret: "x"},
		"wrong secret":   {GrantType: "client_credentials", ClientID: rollcall.DevClientID, ClientSecret: "wrong"},
		"unknown refresh token": {GrantType: "refresh_token", ClientID: rollcall.DevClientID, ClientSecret: rollcall.DevClientSecret,
			RefreshToken: "Atzr|nobody"},
	}
	for name, g := range refused {
		if _, err := token.New(svc, operator.TokenAttrs).IssueBusiness(ctx, g); err == nil {
			t.Errorf("%s: issued a token", name)
		}
	}
	if n := cs.updates.Load(); n != 0 {
		t.Fatalf("refused grants opened %d write transactions, want 0", n)
	}
	tok, err := token.New(svc, operator.TokenAttrs).IssueBusiness(ctx, token.Grant{GrantType: "client_credentials", ClientID: rollcall.DevClientID, ClientSecret: rollcall.DevClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	if n := cs.updates.Load(); n != 1 {
		t.Fatalf("a good grant opened %d write transactions, want 1", n)
	}
	if _, err := token.New(svc, operator.TokenAttrs).Business(ctx, tok.AccessToken); err != nil {
		t.Fatalf("the issued token does not work: %v", err)
	}
}

// TestBusinessTokenRefusedAtOnce: a token that worked (so a store may have cached it) is
// refused as soon as it expires, by the clock, and as soon as it is revoked.
func TestBusinessTokenRefusedAtOnce(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	svc := facetest.MustService(t, facetest.Options{Now: func() time.Time { return now }})
	tokens := token.New(svc.Service, operator.TokenAttrs)
	tokens.AccessTokenTTL = time.Minute
	ctx := context.Background()
	grant := token.Grant{GrantType: "client_credentials", ClientID: rollcall.DevClientID, ClientSecret: rollcall.DevClientSecret}
	works := func(tok string) {
		t.Helper()
		for range 2 {
			if _, err := tokens.Business(ctx, tok); err != nil {
				t.Fatalf("the token does not work: %v", err)
			}
		}
	}
	refused := func(tok, reason string) {
		t.Helper()
		_, err := tokens.Business(ctx, tok)
		if !rollcall.IsKind(err, rollcall.Forbidden) || rollcall.ErrorReason(err) != reason {
			t.Fatalf("Business = %v, want Forbidden (%s)", err, reason)
		}
	}

	expiring, err := tokens.IssueBusiness(ctx, grant)
	if err != nil {
		t.Fatal(err)
	}
	works(expiring.AccessToken)
	now = now.Add(time.Minute)
	refused(expiring.AccessToken, rollcall.ReasonExpiredToken)

	revoked, err := tokens.IssueBusiness(ctx, grant)
	if err != nil {
		t.Fatal(err)
	}
	works(revoked.AccessToken)
	if err := svc.Store.Update(ctx, func(tx rollcall.Tx) error {
		return tx.DeleteAccessToken(rollcall.HashToken(revoked.AccessToken))
	}); err != nil {
		t.Fatal(err)
	}
	refused(revoked.AccessToken, rollcall.ReasonInvalidToken)
}

// BusinessAuthenticator reads the token by the header's canonical key, which the
// request's map holds, so that finding it allocates nothing (http.Header.Get of the
// lower-case name made the canonical key anew, a string per Amazon Business request).
// Without a token Business answers before the store, so the two counts differ only by
// the header's reading.
func TestBusinessAuthenticatorReadsHeaderWithoutAllocating(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	svc, _ := MustCountingService(t, &now)
	tokens := token.New(svc, operator.TokenAttrs)
	r := httptest.NewRequest("POST", "/businessAccounts/2021-08-30/businessUserAccount", nil)
	r.Header.Set("Other", "x") // the token's header absent: Business refuses at once
	auth := token.BusinessAuthenticator{Tokens: tokens}
	if _, err := auth.Authenticate(r, nil); !rollcall.IsKind(err, rollcall.Forbidden) {
		t.Fatalf("Authenticate without a token: %v, want Forbidden", err)
	}
	ctx := r.Context()
	check := testing.AllocsPerRun(200, func() { tokens.Business(ctx, "") })
	whole := testing.AllocsPerRun(200, func() { auth.Authenticate(r, nil) })
	if whole > check {
		t.Errorf("Authenticate: %.0f allocations, Business alone %.0f: reading the header allocated", whole, check)
	}
}

// cacheStore is a store with a token cache (token.TokenCache) that holds rows.
type cacheStore struct {
	rollcall.Store
	rows map[string]rollcall.AccessToken
}

func (s *cacheStore) CachedAccessToken(hash string) (*rollcall.AccessToken, bool) {
	a, ok := s.rows[hash]
	return &a, ok
}

// TestBusinessTentative: a caller is named from the cache only for a row that gives
// one (an access token, not expired), and its confirmation inside an Update fails as
// Business would for a token that is gone, and Unavailable for a row that names
// another caller.
func TestBusinessTentative(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	cache := &cacheStore{}
	svc := facetest.MustService(t, facetest.Options{Now: func() time.Time { return now },
		Store: func(st rollcall.Store) rollcall.Store { cache.Store = st; return cache }}).Service
	tokens := token.New(svc, operator.TokenAttrs)
	live := rollcall.AccessToken{Hash: rollcall.HashToken(rollcall.DevAccessToken), DirectoryID: rollcall.DevBusinessID,
		TenantID: rollcall.DevBusinessID, Kind: rollcall.TokenAccess, CreatedAt: now}
	gone, expired, refresh, moved := live, live, live, live
	gone.Hash = rollcall.HashToken("Atza|gone")
	expired.Hash, expired.ExpiresAt = rollcall.HashToken("Atza|expired"), now.Add(-time.Second)
	refresh.Hash, refresh.Kind = rollcall.HashToken("Atza|refresh"), rollcall.TokenRefresh
	moved.DirectoryID = "another-business" // the dev token's row, as a stale cache might name it
	cache.rows = map[string]rollcall.AccessToken{live.Hash: live, gone.Hash: gone, expired.Hash: expired, refresh.Hash: refresh}
	confirm := func(tok string) error {
		t.Helper()
		c, check, ok := tokens.BusinessTentative(tok)
		if !ok {
			t.Fatalf("%s: no tentative caller", tok)
		}
		if c.DirectoryID != rollcall.DevBusinessID || c.Credential != rollcall.CredentialBusinessToken {
			t.Errorf("%s: caller %+v", tok, c)
		}
		return svc.Store.Update(context.Background(), check)
	}
	if err := confirm(rollcall.DevAccessToken); err != nil {
		t.Errorf("the dev token: %v", err)
	}
	if err := confirm("Atza|gone"); !rollcall.IsKind(err, rollcall.Forbidden) || rollcall.ErrorReason(err) != rollcall.ReasonInvalidToken {
		t.Errorf("a token gone from the store: %v, want Forbidden (invalid token)", err)
	}
	for _, tok := range []string{"Atza|expired", "Atza|refresh", "Atza|not-cached", ""} {
		if _, _, ok := tokens.BusinessTentative(tok); ok {
			t.Errorf("%q: a tentative caller, want none (Business answers it)", tok)
		}
	}
	cache.rows[live.Hash] = moved
	if _, check, ok := tokens.BusinessTentative(rollcall.DevAccessToken); !ok {
		t.Fatal("no tentative caller for the moved row")
	} else if err := svc.Store.Update(context.Background(), check); !rollcall.IsKind(err, rollcall.Unavailable) {
		t.Errorf("a row naming another caller than the cache: %v, want Unavailable", err)
	}
	if _, _, ok := token.New(&rollcall.Service{Store: cache.Store, Now: svc.Now}, operator.TokenAttrs).BusinessTentative(rollcall.DevAccessToken); ok {
		t.Error("a store without a token cache named a tentative caller")
	}
}

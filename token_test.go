package rollcall_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
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

// MustCountingService is MustService with its write transactions counted.
func MustCountingService(tb testing.TB, now *time.Time) (*rollcall.Service, *countingStore) {
	tb.Helper()
	svc := MustService(tb, now)
	cs := &countingStore{Store: svc.Store}
	svc.Store = cs
	return svc, cs
}

// TestIssueBusinessTokenRefusesBeforeWriting: a grant with an unknown client, a wrong
// secret or a bad refresh token is refused without opening a write transaction.
func TestIssueBusinessTokenRefusesBeforeWriting(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	svc, cs := MustCountingService(t, &now)
	ctx := context.Background()
	refused := map[string]rollcall.TokenGrant{
		"unknown client": {GrantType: "client_credentials", ClientID: "amzn1.application-oa2-client.nobody", ClientSecret: "x"},
		"wrong secret":   {GrantType: "client_credentials", ClientID: rollcall.DevClientID, ClientSecret: "wrong"},
		"unknown refresh token": {GrantType: "refresh_token", ClientID: rollcall.DevClientID, ClientSecret: rollcall.DevClientSecret,
			RefreshToken: "Atzr|nobody"},
	}
	for name, g := range refused {
		if _, err := svc.IssueBusinessToken(ctx, g); err == nil {
			t.Errorf("%s: issued a token", name)
		}
	}
	if n := cs.updates.Load(); n != 0 {
		t.Fatalf("refused grants opened %d write transactions, want 0", n)
	}
	tok, err := svc.IssueBusinessToken(ctx, rollcall.TokenGrant{GrantType: "client_credentials", ClientID: rollcall.DevClientID, ClientSecret: rollcall.DevClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	if n := cs.updates.Load(); n != 1 {
		t.Fatalf("a good grant opened %d write transactions, want 1", n)
	}
	if _, err := svc.BusinessCaller(ctx, tok.AccessToken); err != nil {
		t.Fatalf("the issued token does not work: %v", err)
	}
}

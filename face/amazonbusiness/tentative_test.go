package amazonbusiness_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/amazonbusiness"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/ratelimit"
)

// cachedTokens is a store with a token cache (auth/token.TokenCache), as a PostgreSQL
// replica has: it holds revokedToken's row, which another replica has since deleted
// (the store has no such token), and the dev token's. It counts Views: the token
// lookups (rollcall.ViewOne falls back to View).
type cachedTokens struct {
	rollcall.Store
	rows  map[string]rollcall.AccessToken
	views atomic.Int64
}

// revokedToken names the dev business in the cache, but is in no store.
const revokedToken = "Atza|revoked-on-another-replica"

func (s *cachedTokens) CachedAccessToken(hash string) (*rollcall.AccessToken, bool) {
	a, ok := s.rows[hash]
	return &a, ok
}

func (s *cachedTokens) View(ctx context.Context, fn func(rollcall.Tx) error) error {
	s.views.Add(1)
	return s.Store.View(ctx, fn)
}

// mustCachedTokens returns a harness whose store has a cachedTokens cache, and that.
func mustCachedTokens(t *testing.T, limits *ratelimit.Limiter) (*harness, *cachedTokens) {
	t.Helper()
	cache := &cachedTokens{}
	h := MustHarness(t, harnessOption{
		wrapStore: func(s rollcall.Store) rollcall.Store { cache.Store = s; return cache },
		face:      func(f *amazonbusiness.Face) { f.Limits = limits },
	})
	var dev *rollcall.AccessToken
	err := cache.Store.View(context.Background(), func(tx rollcall.Tx) (err error) {
		dev, err = tx.AccessToken(rollcall.HashToken(devToken))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	revoked := *dev
	revoked.Hash = rollcall.HashToken(revokedToken)
	cache.rows = map[string]rollcall.AccessToken{dev.Hash: *dev, revoked.Hash: revoked}
	return h, cache
}

const invalidToken = "Access denied: the access token is invalid."

// TestRevokedTokenFromCache: a token another replica revoked, still in this replica's
// cache, is answered exactly as a token the lookup does not find, whatever else is
// wrong with the request: the 403, no write, no tenant in the request log.
func TestRevokedTokenFromCache(t *testing.T) {
	h, _ := mustCachedTokens(t, nil)
	taken := uniqueEmail()
	h.create(t, validRequest(taken).String()).MustCreated(t)
	noHolder := validRequest(uniqueEmail())
	delete(noHolder, "accountHolder")
	noGroup := validRequest(uniqueEmail())
	noGroup["groupId"] = map[string]any{"idType": "GroupId", "id": "no-such-group"}
	for _, tc := range []struct {
		name  string
		body  []byte
		opts  []reqOption
		today int // what the dev token gets
	}{
		{"valid", []byte(validRequest(uniqueEmail()).String()), nil, 201},
		{"content type (415)", []byte(validRequest(uniqueEmail()).String()), []reqOption{withHeader("Content-Type", "text/plain")}, 415},
		{"body too large (413)", paddedBody(t, httpx.MaxBodyBytes+1), nil, 413},
		{"not JSON (400)", []byte(`{"accountHolder":`), nil, 400},
		{"a member missing (400)", []byte(noHolder.String()), nil, 400},
		{"no such group (404)", []byte(noGroup.String()), nil, 404},
		{"email taken (400)", []byte(validRequest(taken).String()), nil, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := h.snapshot(t)
			logged := h.log.Count(`op=createBusinessUserAccount tenant="" status=403`)
			res := h.doBytes(t, amazonbusiness.CreatePath, tc.body, append(tc.opts, withToken(revokedToken))...)
			res.MustError(t, http.StatusForbidden, "ACCESS_DENIED", invalidToken)
			h.MustUnchanged(t, before)
			if n := h.log.Count(`op=createBusinessUserAccount tenant="" status=403`); n != logged+1 {
				t.Errorf("the request log has %d lines of a 403 without a tenant, want %d:\n%s", n, logged+1, h.log)
			}
			// The same request with a live token gets what it always did.
			if tc.today != 201 { // the valid one would create a user
				if res := h.doBytes(t, amazonbusiness.CreatePath, tc.body, tc.opts...); res.status != tc.today {
					t.Errorf("with the dev token: status %d, want %d: %s", res.status, tc.today, res.body)
				}
			}
		})
	}
}

// TestRevokedTokenFromCacheRateLimit: a revoked token in the cache never spends its
// business's rate limit, and is refused 403, not 429, once the bucket is empty.
func TestRevokedTokenFromCacheRateLimit(t *testing.T) {
	limits := ratelimit.New(map[string]ratelimit.Limit{amazonbusiness.OpCreate: {PerSecond: 1, Burst: 1}})
	now := time.Now()
	limits.Now = func() time.Time { return now } // no refill
	h, _ := mustCachedTokens(t, limits)
	revoked := withToken(revokedToken)
	h.create(t, validRequest(uniqueEmail()).String(), revoked).MustError(t, http.StatusForbidden, "ACCESS_DENIED", invalidToken)
	h.create(t, validRequest(uniqueEmail()).String()).MustCreated(t) // the one token of the bucket, unspent
	h.create(t, validRequest(uniqueEmail()).String(), revoked).MustError(t, http.StatusForbidden, "ACCESS_DENIED", invalidToken)
	if res := h.create(t, validRequest(uniqueEmail()).String()); res.status != http.StatusTooManyRequests {
		t.Fatalf("the dev token, bucket empty: status %d, want 429", res.status)
	}
	if strings.Contains(h.log.String(), `tenant=`+devBusiness+` status=403`) {
		t.Errorf("a 403 logged with the business as its tenant:\n%s", h.log)
	}
}

// TestTokenFromCache: a token in the cache is not looked up for a create (the create's
// Update confirms it), but is before any other answer: an error answered for a token
// the cache names is answered for a token the lookup confirmed.
func TestTokenFromCache(t *testing.T) {
	h, cache := mustCachedTokens(t, nil)
	views := cache.views.Load()
	h.create(t, validRequest(uniqueEmail()).String()).MustCreated(t)
	if n := cache.views.Load() - views; n != 0 {
		t.Errorf("a create with a cached token made %d Views (lookups), want 0", n)
	}
	if !strings.Contains(h.log.String(), "op=createBusinessUserAccount tenant="+devBusiness+" status=201") {
		t.Errorf("the create is not logged with its tenant:\n%s", h.log)
	}
	views = cache.views.Load()
	res := h.create(t, validRequest(uniqueEmail()).String(), withHeader("Content-Type", "text/plain"))
	if res.status != http.StatusUnsupportedMediaType {
		t.Fatalf("status %d, want 415", res.status)
	}
	if n := cache.views.Load() - views; n != 1 {
		t.Errorf("an error for a cached token made %d lookups, want 1", n)
	}
}

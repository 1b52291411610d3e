package auth_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth"
	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/store/storetest"
)

// pausingStore holds the next View, once armed, after it has read: a request that read
// the store before a reset or restore and fills its cache after.
type pausingStore struct {
	rollcall.Store
	next atomic.Pointer[pause]
}

type pause struct{ read, release chan struct{} }

func (s *pausingStore) View(ctx context.Context, fn func(rollcall.Tx) error) error {
	err := s.Store.View(ctx, fn)
	if p := s.next.Swap(nil); p != nil {
		close(p.read)
		<-p.release
	}
	return err
}

// duringReplace runs lookup with its store read paused, and meanwhile change and then
// the service's StateReplaced, as a reset or a restore does.
func duringReplace(t *testing.T, svc *rollcall.Service, ps *pausingStore, lookup func(), change func()) {
	t.Helper()
	p := &pause{read: make(chan struct{}), release: make(chan struct{})}
	ps.next.Store(p)
	done := make(chan struct{})
	go func() { defer close(done); lookup() }()
	<-p.read
	change()
	svc.StateReplaced()
	close(p.release)
	<-done
}

func pausedService(t *testing.T, now func() time.Time) (*facetest.Service, *pausingStore) {
	ps := &pausingStore{}
	st := facetest.MustService(t, facetest.Options{Now: now, Store: func(s rollcall.Store) rollcall.Store {
		ps.Store = s
		return ps
	}})
	return st, ps
}

// TestKeyCacheAfterStateReplaced: an access key read before a reset or restore, by a
// request that puts it in the cache after the reset emptied it, is not kept: the next
// request sees the key as the new state has it. (Before, the old key was cached after
// the reset and served for KeyCacheTTL.)
func TestKeyCacheAfterStateReplaced(t *testing.T) {
	st, ps := pausedService(t, nil)
	a := auth.NewAWS(st.Service, "chime", nil)
	authenticate := func() error {
		_, err := a.Authenticate(signedRequest(t, rollcall.DevSecretKey), nil)
		return err
	}
	duringReplace(t, st.Service, ps, func() {
		if err := authenticate(); err != nil {
			t.Errorf("the request that read the key before the reset: %v", err)
		}
	}, func() { rotateSecret(t, st.Store) })
	if err := authenticate(); !rollcall.IsKind(err, rollcall.Forbidden) {
		t.Fatalf("the old secret after the reset: %v; want Forbidden (the key's secret is another now)", err)
	}
}

// TestPoliciesAfterStateReplaced: the same for IAM subjects: a subject read before a
// reset or restore is not cached after it.
func TestPoliciesAfterStateReplaced(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	st, ps := pausedService(t, clock)
	svc := st.Service
	svc.Policies = auth.PolicyParser{}
	p := auth.NewPolicies(svc, clock)
	caller := rollcall.Caller{TenantID: rollcall.DevAccountID, AccessKeyID: rollcall.DevAccessKeyID}
	ctx := context.Background()
	duringReplace(t, svc, ps, func() {
		if s, err := p.Subject(ctx, caller); err != nil || !s.Unrestricted {
			t.Errorf("the request that read the key before the reset: %+v, %v", s, err)
		}
	}, func() {
		if _, err := svc.PutPolicy(ctx, devUser, "chime", allowChime); err != nil {
			t.Fatal(err)
		}
		if err := svc.AttachKey(ctx, rollcall.DevAccessKeyID, devUser); err != nil {
			t.Fatal(err)
		}
	})
	if s, err := p.Subject(ctx, caller); err != nil || s.Unrestricted || s.Principal.ARN != devUser {
		t.Fatalf("after the reset, within PolicyTTL: %+v, %v; want the principal the key has now", s, err)
	}
}

// rotateSecret gives the development access key the secret "rotated".
func rotateSecret(t *testing.T, s rollcall.Store) {
	t.Helper()
	storetest.MustUpdate(t, s, func(tx rollcall.Tx) error {
		k, err := tx.AccessKey(rollcall.DevAccessKeyID)
		if err != nil {
			return err
		}
		k.Secret = "rotated"
		return tx.PutAccessKey(k)
	})
}

package auth_test

import (
	"bytes"
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws/credentials"
	"github.com/aws/aws-sdk-go/aws/signer/v4"
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth"
	"github.com/rollcall/rollcall/face/facetest"
)

// gatedStore counts Views, and holds each until the gate opens, so the test can line
// up many requests behind one read.
type gatedStore struct {
	rollcall.Store
	views atomic.Int64
	gate  chan struct{}
}

func (s *gatedStore) View(ctx context.Context, fn func(rollcall.Tx) error) error {
	s.views.Add(1)
	<-s.gate
	return s.Store.View(ctx, fn)
}

func gatedService(t *testing.T) (*facetest.Service, *gatedStore) {
	gs := &gatedStore{gate: make(chan struct{})}
	st := facetest.MustService(t, facetest.Options{Store: func(s rollcall.Store) rollcall.Store {
		gs.Store = s
		return gs
	}})
	close(gs.gate) // the service's own start reads freely
	gs.gate = make(chan struct{})
	gs.views.Store(0)
	return st, gs
}

func signedRequest(t *testing.T, secret string) *http.Request {
	t.Helper()
	r, _ := http.NewRequest(http.MethodPost, "http://127.0.0.1/accounts", bytes.NewReader(nil))
	signer := v4.NewSigner(credentials.NewStaticCredentials(rollcall.DevAccessKeyID, secret, ""))
	if _, err := signer.Sign(r, bytes.NewReader(nil), "chime", "us-east-1", time.Now()); err != nil {
		t.Fatal(err)
	}
	return r
}

// concurrently runs n calls of fn while the store's reads are held, until the first
// read has begun and the others have had time to pile up behind it, then lets them go.
func concurrently(t *testing.T, gs *gatedStore, n int, fn func() error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() { errs <- fn() })
	}
	for gs.views.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	close(gs.gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

// TestKeyReadOncePerMiss: requests signed with one key that all miss the key cache at
// once (it expires every second) read the key once, not once each (32 before).
func TestKeyReadOncePerMiss(t *testing.T) {
	st, gs := gatedService(t)
	a := auth.NewAWS(st.Service, "chime", nil)
	concurrently(t, gs, 32, func() error {
		_, err := a.Authenticate(signedRequest(t, rollcall.DevSecretKey), nil)
		return err
	})
	if n := gs.views.Load(); n != 1 {
		t.Fatalf("32 requests missing the cache at once read the key %d times; want 1", n)
	}
}

// TestSubjectReadOncePerMiss: the same for a key's IAM subject.
func TestSubjectReadOncePerMiss(t *testing.T) {
	st, gs := gatedService(t)
	st.Service.Policies = auth.PolicyParser{}
	p := auth.NewPolicies(st.Service, nil)
	caller := rollcall.Caller{TenantID: rollcall.DevAccountID, AccessKeyID: rollcall.DevAccessKeyID}
	concurrently(t, gs, 32, func() error {
		s, err := p.Subject(context.Background(), caller)
		if err == nil && !s.Unrestricted {
			t.Errorf("subject %+v; want the account's root", s)
		}
		return err
	})
	if n := gs.views.Load(); n != 1 {
		t.Fatalf("32 requests missing the cache at once read the subject %d times; want 1", n)
	}
}

// TestKeyReadAfterResetIsItsOwn: a request that begins after a reset or restore does
// not take the answer of a read of the key begun before it, which is still under way.
func TestKeyReadAfterResetIsItsOwn(t *testing.T) {
	st, ps := pausedService(t, nil)
	a := auth.NewAWS(st.Service, "chime", nil)
	p := &pause{read: make(chan struct{}), release: make(chan struct{})}
	ps.next.Store(p)
	before := make(chan error, 1)
	go func() {
		_, err := a.Authenticate(signedRequest(t, rollcall.DevSecretKey), nil)
		before <- err
	}()
	<-p.read
	rotateSecret(t, st.Store)
	st.Service.StateReplaced()
	after := make(chan error, 1)
	go func() {
		_, err := a.Authenticate(signedRequest(t, "rotated"), nil)
		after <- err
	}()
	select {
	case err := <-after:
		if err != nil {
			t.Errorf("the request after the reset, signed with the new secret: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Error("the request after the reset waited for the read begun before it")
	}
	close(p.release)
	if err := <-before; err != nil {
		t.Errorf("the request that read the key before the reset: %v", err)
	}
}

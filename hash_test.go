package rollcall_test

import (
	"context"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// blockingHasher holds every hash until release is closed, and says when one started.
type blockingHasher struct {
	started chan struct{}
	release chan struct{}
}

func (h blockingHasher) Hash(string) (string, error) {
	h.started <- struct{}{}
	<-h.release
	return "hash", nil
}

func (blockingHasher) Verify(string, string) (bool, error) { return false, nil }

// TestHashQueue: HashQueue counts the hashes running and those waiting for a slot, and
// both go back to zero once the hashes end.
func TestHashQueue(t *testing.T) {
	h := blockingHasher{started: make(chan struct{}, 4), release: make(chan struct{})}
	svc := &rollcall.Service{Passwords: h, HashSlots: 1, HashWait: time.Minute}
	done := make(chan error, 3)
	for range 3 {
		go func() { _, err := svc.HashPassword(context.Background(), "pw"); done <- err }()
	}
	<-h.started
	deadline := time.Now().Add(10 * time.Second)
	for {
		waiting, running := svc.HashQueue()
		if waiting == 2 && running == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("HashQueue() = %d waiting, %d running; want 2, 1", waiting, running)
		}
		time.Sleep(time.Millisecond)
	}
	close(h.release)
	for range 3 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if waiting, running := svc.HashQueue(); waiting != 0 || running != 0 {
		t.Fatalf("after the hashes: HashQueue() = %d, %d; want 0, 0", waiting, running)
	}
}

// TestHashToken: the hex SHA-256 of the token (FIPS 180-2's "abc").
func TestHashToken(t *testing.T) {
	const abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
	if got := rollcall.HashToken("abc"); got != abc {
		t.Fatalf("HashToken(abc) = %s, want %s", got, abc)
	}
}

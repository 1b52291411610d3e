package web_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/rollcall/rollcall"
)

// listingStore counts the outbox listings its transactions make.
type listingStore struct {
	rollcall.Store
	listings atomic.Int32
}

func (s *listingStore) View(ctx context.Context, fn func(rollcall.Tx) error) error {
	return s.Store.View(ctx, func(tx rollcall.Tx) error { return fn(&listingTx{Tx: tx, s: s}) })
}

type listingTx struct {
	rollcall.Tx
	s *listingStore
}

func (t *listingTx) Messages(f rollcall.MessageFilter) ([]*rollcall.Message, error) {
	t.s.listings.Add(1)
	return t.Tx.Messages(f)
}

// TestFrontPageCountsOutbox: the console's front page counts the outbox by status with
// count queries; it loads no message.
func TestFrontPageCountsOutbox(t *testing.T) {
	h := MustHarness(t)
	h.MustBusinessInvite(t, "ada@example.com", "Ada", "Lovelace")
	h.MustBusinessInvite(t, "grace@example.com", "Grace", "Hopper")
	c := h.MustLogin(t)
	st := &listingStore{Store: h.svc.Store}
	h.svc.Store = st
	home := h.get(t, "/_rollcall/console", c)
	if !strings.Contains(home.Body, "2 queued") || !strings.Contains(home.Body, "0 sent") {
		t.Fatalf("front page: %d %s", home.StatusCode, home.Body)
	}
	if n := st.listings.Load(); n != 0 {
		t.Fatalf("the front page listed the outbox %d times", n)
	}
}

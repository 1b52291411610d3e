package storetest

import (
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// LegacyUntracedMessages are messages a database holds from before messages kept the
// trace context of the request that queued them (migration 0220): a backend's test
// writes them, takes its schema back to before that migration, opens the store again,
// and checks WantLegacyMessagesUntraced.
func LegacyUntracedMessages() []any {
	queued := NewMessage("untraced-queued", TenantID, T0)
	sentAt := T0.Add(time.Second)
	sent := NewMessage("untraced-sent", TenantID, T0)
	sent.Status, sent.Attempts, sent.SentAt = rollcall.MessageSent, 1, &sentAt
	return []any{queued, sent}
}

// WantLegacyMessagesUntraced checks that LegacyUntracedMessages read back as written,
// with no trace context, that the queued one is claimed as before, and that a message
// queued now keeps its trace context.
func WantLegacyMessagesUntraced(t *testing.T, s rollcall.Store) {
	t.Helper()
	for _, v := range LegacyUntracedMessages() {
		want := v.(*rollcall.Message)
		got, err := get(t, s, rollcall.Tx.Message, want.ID)
		if err != nil {
			t.Fatal(err)
		}
		WantEqual(t, "message "+want.ID+" after the migration", got, want)
	}
	claimed := claim(t, s, T0, Lease, 10)
	if len(claimed) != 1 || claimed[0].ID != "untraced-queued" || claimed[0].TraceParent != "" {
		t.Fatalf("claimed %v, want untraced-queued without a trace context", claimed)
	}
	traced := NewMessage("traced", TenantID, T0)
	traced.TraceParent, traced.TraceState = TraceParent, "rojo=1"
	MustInsert(t, s, traced)
	got, err := get(t, s, rollcall.Tx.Message, traced.ID)
	if err != nil {
		t.Fatal(err)
	}
	WantEqual(t, "a message queued after the migration", got, traced)
}

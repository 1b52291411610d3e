package mail_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/mail"
	"path/filepath"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	rcmail "github.com/rollcall/rollcall/mail"
	"github.com/rollcall/rollcall/mail/mailtest"
	"github.com/rollcall/rollcall/store/sqlite"
)

// BenchmarkDispatch measures delivery of queued invitations from a SQLite outbox to an
// SMTP relay on loopback: claim, compose, send (one connection per batch), record.
func BenchmarkDispatch(b *testing.B) {
	for _, batch := range []int{1, 20} {
		b.Run(fmt.Sprintf("batch=%d", batch), func(b *testing.B) {
			st, err := sqlite.Open(filepath.Join(b.TempDir(), "rollcall.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer st.Close()
			relay := mailtest.Start(b, mailtest.Options{})
			s, err := rcmail.ParseURL(relay.URL())
			if err != nil {
				b.Fatal(err)
			}
			now := time.Now().UTC().Truncate(time.Millisecond)
			err = st.Update(context.Background(), func(tx rollcall.Tx) error {
				for i := range b.N {
					m := &rollcall.Message{ID: fmt.Sprintf("m%08d", i), TenantID: "t", DirectoryID: "d", UserID: "u",
						Kind: "invitation", To: fmt.Sprintf("user%d@example.com", i), ToName: "User", Subject: "You have been invited to Acme",
						TextBody: "Hello,\n\nopen https://rollcall.example.com/invitations/abc\n", HTMLBody: "<p>Hello</p>",
						Status: rollcall.MessageQueued, NextAttempt: now, CreatedAt: now}
					if err := tx.InsertMessage(m); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			d := &rcmail.Dispatcher{Store: st, Sender: s, Batch: batch, Log: slog.New(slog.DiscardHandler),
				Composer: &rcmail.Composer{From: mail.Address{Address: "noreply@example.com"}, Domain: "example.com"}}
			b.ResetTimer()
			for sent := 0; sent < b.N; {
				n, err := d.RunOnce(context.Background())
				if err != nil {
					b.Fatal(err)
				}
				sent += n
			}
			b.StopTimer()
			if got := len(relay.Received()); got != b.N {
				b.Fatalf("%d arrived, want %d", got, b.N)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
		})
	}
}

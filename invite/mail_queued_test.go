package rollcall_test

import (
	"context"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// TestMailQueued: the dispatcher is told after each commit that queued mail, and only
// then: not for a suppressed invitation, not for a create that failed.
func TestMailQueued(t *testing.T) {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	svc := MustService(t, &now)
	calls := 0
	svc.MailQueued = func() { calls++ }
	ctx := context.Background()
	biz := rollcall.Caller{TenantID: rollcall.DevBusinessID, DirectoryID: rollcall.DevBusinessID}
	in := rollcall.CreateBusinessUserInput{Email: "ada@example.com", GivenName: "Ada", FamilyName: "Lovelace", Region: "US"}
	if _, err := svc.CreateBusinessUser(ctx, biz, in); err != nil || calls != 1 {
		t.Fatalf("create: %v, %d calls", err, calls)
	}
	if _, err := svc.CreateBusinessUser(ctx, biz, in); err == nil || calls != 1 {
		t.Fatalf("duplicate create: %v, %d calls", err, calls)
	}
	in.Email, in.Suppress = "grace@example.com", []string{rollcall.SuppressEmail}
	if _, err := svc.CreateBusinessUser(ctx, biz, in); err != nil || calls != 1 {
		t.Fatalf("create with EMAIL suppressed: %v, %d calls", err, calls)
	}
	aws := rollcall.Caller{TenantID: rollcall.DevAccountID}
	acct, err := svc.CreateChimeAccount(ctx, aws, rollcall.CreateChimeAccountInput{Name: "Team"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.InviteChimeUsers(ctx, aws, acct.ID, []string{"x@example.com"}, ""); err != nil || calls != 2 {
		t.Fatalf("InviteChimeUsers: %v, %d calls", err, calls)
	}
}

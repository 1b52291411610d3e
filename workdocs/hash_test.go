package workdocs_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth/token"
	"github.com/rollcall/rollcall/internal/coretest"
	"github.com/rollcall/rollcall/operator"
	"github.com/rollcall/rollcall/workdocs"
)

// countingHasher counts hashes and how many ran at once; a hash of a password that
// starts with "hold" waits for gate to close.
type countingHasher struct {
	gate                chan struct{}
	hashes, now, atOnce atomic.Int64
}

func (h *countingHasher) Hash(pw string) (string, error) {
	h.hashes.Add(1)
	n := h.now.Add(1)
	defer h.now.Add(-1)
	for {
		m := h.atOnce.Load()
		if n <= m || h.atOnce.CompareAndSwap(m, n) {
			break
		}
	}
	if strings.HasPrefix(pw, "hold") {
		<-h.gate
	}
	return "hash:" + pw, nil
}

func (h *countingHasher) Verify(pw, hash string) (bool, error) { return hash == "hash:"+pw, nil }

func workDocsInput(username string) workdocs.CreateUserInput {
	return workdocs.CreateUserInput{OrganizationID: rollcall.DevOrganizationID, Username: username,
		GivenName: "Ada", Surname: "Lovelace", Password: "correct-horse-1"}
}

// mustWorkDocsCaller issues a token for username and authenticates with it.
func mustWorkDocsCaller(tb testing.TB, svc *coretest.World, username string) rollcall.Caller {
	tb.Helper()
	ctx := context.Background()
	tokens := token.New(svc.Core, operator.TokenAttrs)
	tok, _, err := tokens.IssueWorkDocs(ctx, rollcall.DevAccountID, rollcall.DevOrganizationID, username, 0)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := tokens.WorkDocs(ctx, tok)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// TestCreateWorkDocsUserRefusedNeverHashes: every request CreateUser refuses is refused
// before the password is hashed (argon2id costs tens of milliseconds and 19 MiB).
func TestCreateWorkDocsUserRefusedNeverHashes(t *testing.T) {
	svc, _ := coretest.MustAt(t, time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))
	h := &countingHasher{}
	svc.Core.Passwords = h
	ctx := context.Background()
	aws := rollcall.Caller{TenantID: rollcall.DevAccountID}
	admin := mustWorkDocsCaller(t, svc, rollcall.DevWorkDocsAdmin)
	if _, err := svc.WorkDocs.CreateUser(ctx, admin, workDocsInput("bob")); err != nil {
		t.Fatal(err)
	}
	bob := mustWorkDocsCaller(t, svc, "bob")
	// Two more admins: one deactivated, one deleted, each with a caller from before.
	var stale []rollcall.Caller
	for _, name := range []string{"dora", "erin"} {
		u, err := svc.WorkDocs.CreateUser(ctx, aws, workDocsInput(name))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.WorkDocs.UpdateUser(ctx, aws, workdocs.UpdateUserInput{UserID: u.ID, Type: workdocs.TypeAdmin}); err != nil {
			t.Fatal(err)
		}
		stale = append(stale, mustWorkDocsCaller(t, svc, name))
		if name == "dora" {
			err = svc.WorkDocs.DeactivateUser(ctx, aws, u.ID)
		} else {
			err = svc.WorkDocs.DeleteUser(ctx, aws, u.ID)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	other, err := svc.WorkDocs.CreateOrganization(ctx, aws, workdocs.CreateOrganizationInput{Name: "other"})
	if err != nil {
		t.Fatal(err)
	}
	otherInput := workDocsInput("zed")
	otherInput.OrganizationID = other.ID
	unknownOrg := workDocsInput("zed")
	unknownOrg.OrganizationID = "d-9999999999"
	h.hashes.Store(0)

	refused := []struct {
		name string
		c    rollcall.Caller
		in   workdocs.CreateUserInput
		kind rollcall.Kind
	}{
		{"an ordinary user's token", bob, workDocsInput("carol"), rollcall.Forbidden},
		{"a deactivated admin's token", stale[0], workDocsInput("carol"), rollcall.Forbidden},
		{"a deleted admin's token", stale[1], workDocsInput("carol"), rollcall.Forbidden},
		{"a token of another organization", admin, otherInput, rollcall.NotFound},
		{"another account's credentials", rollcall.Caller{TenantID: "111122223333"}, workDocsInput("carol"), rollcall.NotFound},
		{"an unknown organization", aws, unknownOrg, rollcall.NotFound},
		{"a taken username", aws, workDocsInput("BOB"), rollcall.Conflict},
		{"a taken username, by token", admin, workDocsInput("bob"), rollcall.Conflict},
	}
	for _, tc := range refused {
		if _, err := svc.WorkDocs.CreateUser(ctx, tc.c, tc.in); !rollcall.IsKind(err, tc.kind) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.kind)
		}
	}
	if n := h.hashes.Load(); n != 0 {
		t.Fatalf("refused requests hashed %d passwords, want 0", n)
	}
	if _, err := svc.WorkDocs.CreateUser(ctx, aws, workDocsInput("carol")); err != nil {
		t.Fatal(err)
	}
	if n := h.hashes.Load(); n != 1 {
		t.Fatalf("an accepted create hashed %d passwords, want 1", n)
	}
}

// TestHashSlots: no more than HashSlots hashes run at once, in CreateUser and in
// invitation acceptance alike; a request that waits longer than HashWait is Throttled
// and changes nothing.
func TestHashSlots(t *testing.T) {
	svc, _ := coretest.MustAt(t, time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC))
	h := &countingHasher{gate: make(chan struct{})}
	svc.Core.Passwords = h
	svc.Core.HashSlots, svc.Core.HashWait = 2, 100*time.Millisecond
	ctx := context.Background()
	_, invitation := coretest.MustInvite(t, svc, "grace@example.com")
	aws := rollcall.Caller{TenantID: rollcall.DevAccountID}

	// Two creates take both slots and block in the hasher.
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Go(func() {
			in := workDocsInput(fmt.Sprintf("held-%d", i))
			in.Password = "hold-correct-horse"
			if _, err := svc.WorkDocs.CreateUser(ctx, aws, in); err != nil {
				t.Error(err)
			}
		})
	}
	for h.now.Load() < 2 {
		time.Sleep(time.Millisecond)
	}
	// Everything else waits HashWait and is refused.
	for i := range 3 {
		if _, err := svc.WorkDocs.CreateUser(ctx, aws, workDocsInput(fmt.Sprintf("late-%d", i))); !rollcall.IsKind(err, rollcall.Throttled) {
			t.Errorf("create with both slots taken: err = %v, want Throttled", err)
		}
	}
	if _, err := svc.Invite.Accept(ctx, invitation, "a long and unusual passphrase"); !rollcall.IsKind(err, rollcall.Throttled) {
		t.Errorf("acceptance with both slots taken: err = %v, want Throttled", err)
	}
	close(h.gate)
	wg.Wait()
	if n := h.atOnce.Load(); n != 2 {
		t.Errorf("%d hashes ran at once, want 2", n)
	}
	// The throttled requests changed nothing: the names are free and the link works.
	if _, err := svc.WorkDocs.CreateUser(ctx, aws, workDocsInput("late-0")); err != nil {
		t.Errorf("create after the throttle: %v", err)
	}
	if _, err := svc.Invite.Accept(ctx, invitation, "a long and unusual passphrase"); err != nil {
		t.Errorf("acceptance after the throttle: %v", err)
	}
}

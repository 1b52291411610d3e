package rollcall_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// chimeInvite invites email to a new Chime account and returns the user and its link's token.
func chimeInvite(tb testing.TB, svc *rollcall.Service, email string) (rollcall.Caller, *rollcall.User, string) {
	tb.Helper()
	ctx := context.Background()
	c := rollcall.Caller{TenantID: rollcall.DevAccountID, Region: "us-east-1"}
	acct, err := svc.CreateChimeAccount(ctx, c, rollcall.CreateChimeAccountInput{Name: "Acme"})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := svc.InviteChimeUsers(ctx, c, acct.ID, []string{email}, ""); err != nil {
		tb.Fatal(err)
	}
	var u *rollcall.User
	var ms []*rollcall.Message
	err = svc.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		if u, err = tx.UserByKey(acct.ID, strings.ToLower(email)); err != nil {
			return err
		}
		ms, err = tx.Messages(rollcall.MessageFilter{}) // the stored body: what the dispatcher sends
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	for _, m := range ms {
		if m.UserID == u.ID {
			return c, u, linkToken.FindStringSubmatch(m.TextBody)[1]
		}
	}
	tb.Fatal("no invitation queued")
	return c, nil, ""
}

// TestSuspensionEndsChimeInvitation: a user suspended with a pending invitation cannot
// lift the suspension by accepting it, neither while suspended nor after unsuspension.
func TestSuspensionEndsChimeInvitation(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	svc := MustService(t, &now)
	ctx := context.Background()
	c, u, token := chimeInvite(t, svc, "grace@example.com")
	if failed, err := svc.SuspendChimeUsers(ctx, c, u.DirectoryID, []string{u.ID}, true); err != nil || len(failed) != 0 {
		t.Fatalf("suspend: %v %v", failed, err)
	}
	if _, err := svc.AcceptInvitation(ctx, token, ""); rollcall.ErrorReason(err) != rollcall.ReasonInvitationWithdrawn {
		t.Fatalf("accepting while suspended: %v, want %s", err, rollcall.ReasonInvitationWithdrawn)
	}
	got, err := svc.ChimeUser(ctx, c, u.DirectoryID, u.ID)
	if err != nil || got.Attrs.RegistrationStatus != rollcall.ChimeSuspended || got.Attrs.InvitationStatus == rollcall.ChimeInvAccepted {
		t.Fatalf("after a refused acceptance: %+v %v", got, err)
	}
	now = now.Add(time.Minute)
	if _, err := svc.SuspendChimeUsers(ctx, c, u.DirectoryID, []string{u.ID}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AcceptInvitation(ctx, token, ""); rollcall.ErrorReason(err) != rollcall.ReasonInvitationExpired {
		t.Fatalf("accepting the old invitation after unsuspension: %v, want %s", err, rollcall.ReasonInvitationExpired)
	}
	if got, _ := svc.ChimeUser(ctx, c, u.DirectoryID, u.ID); got.Attrs.RegistrationStatus != rollcall.ChimeUnregistered {
		t.Fatalf("registration after unsuspension: %s", got.Attrs.RegistrationStatus)
	}
	// A new invitation after unsuspension works.
	if _, err := svc.InviteChimeUsers(ctx, c, u.DirectoryID, []string{"grace@example.com"}, ""); err != nil {
		t.Fatal(err)
	}
}

// TestAcceptanceRechecksUserState: a user suspended by a path that did not end its
// invitations (a race, a future face) is still refused, in the accepting transaction.
func TestAcceptanceRechecksUserState(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	svc := MustService(t, &now)
	ctx := context.Background()
	c, u, token := chimeInvite(t, svc, "grace@example.com")
	if _, err := svc.Invitation(ctx, token); err != nil {
		t.Fatal(err)
	}
	err := svc.Store.Update(ctx, func(tx rollcall.Tx) error {
		cur, err := tx.User(u.DirectoryID, u.ID)
		if err != nil {
			return err
		}
		cur.Status, cur.Attrs.RegistrationStatus = rollcall.ChimeSuspended, rollcall.ChimeSuspended
		return tx.UpdateUser(cur)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AcceptInvitation(ctx, token, ""); rollcall.ErrorReason(err) != rollcall.ReasonInvitationWithdrawn {
		t.Fatalf("accepting for a suspended user: %v", err)
	}
	if got, _ := svc.ChimeUser(ctx, c, u.DirectoryID, u.ID); got.Attrs.RegistrationStatus != rollcall.ChimeSuspended {
		t.Fatalf("registration after a refused acceptance: %s", got.Attrs.RegistrationStatus)
	}
}

// TestEveryPathEndsInvitations: each way of deactivating or deleting a user, on every
// face and the admin API, ends the user's pending invitations.
func TestEveryPathEndsInvitations(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	svc := MustService(t, &now)
	ctx := context.Background()
	aws := rollcall.Caller{TenantID: rollcall.DevAccountID, Region: "us-east-1"}
	newWorkDocsUser := func(t *testing.T, name string) *rollcall.User {
		u, err := svc.CreateWorkDocsUser(ctx, aws, rollcall.CreateWorkDocsUserInput{OrganizationID: rollcall.DevOrganizationID,
			Username: name, GivenName: "Ada", Surname: "Lovelace", Password: "correct horse battery staple"})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	// invite gives u an invitation as any face would (Alexa for Business
	// enrollments, say): the rule must not depend on who created it.
	invite := func(t *testing.T, u *rollcall.User) string {
		token := "token-" + u.ID
		err := svc.Store.Update(ctx, func(tx rollcall.Tx) error {
			if err := tx.InsertInvitation(&rollcall.Invitation{ID: "inv-" + u.ID, TokenHash: rollcall.HashToken(token), TenantID: u.TenantID,
				DirectoryID: u.DirectoryID, UserID: u.ID, ExpiresAt: now.Add(time.Hour), CreatedAt: now}); err != nil {
				return err
			}
			if u.Kind != rollcall.DirAlexa {
				return nil
			}
			// An Alexa for Business link is live only while it is the user's current
			// enrollment, as SendInvitation leaves it.
			u.Attrs.EnrollmentStatus, u.Attrs.EnrollmentInvitation = rollcall.EnrollmentPending, "inv-"+u.ID
			return tx.UpdateUser(u)
		})
		if err != nil {
			t.Fatal(err)
		}
		return token
	}
	for _, c := range []struct {
		name string
		user func(t *testing.T) *rollcall.User
		end  func(u *rollcall.User) error
	}{
		{"WorkDocs DeactivateUser", func(t *testing.T) *rollcall.User { return newWorkDocsUser(t, "deactivated") },
			func(u *rollcall.User) error { return svc.DeactivateWorkDocsUser(ctx, aws, u.ID) }},
		{"WorkDocs DeleteUser", func(t *testing.T) *rollcall.User { return newWorkDocsUser(t, "deleted") },
			func(u *rollcall.User) error { return svc.DeleteWorkDocsUser(ctx, aws, u.ID) }},
		{"Alexa for Business DeleteUser", func(t *testing.T) *rollcall.User {
			arn, err := svc.CreateAlexaUser(ctx, aws, rollcall.CreateAlexaUserInput{UserID: "ada", Email: "ada@example.com"})
			if err != nil {
				t.Fatal(err)
			}
			u, err := svc.AdminUser(ctx, rollcall.AlexaDirectoryID(aws.TenantID), arn[strings.LastIndex(arn, "/")+1:])
			if err != nil {
				t.Fatal(err)
			}
			return u
		}, func(u *rollcall.User) error {
			return svc.DeleteAlexaUser(ctx, aws, u.Attrs.Arn, rollcall.AlexaEnrollmentID(u))
		}},
		{"admin delete", func(t *testing.T) *rollcall.User { u, _ := mustInvite(t, svc, "admin-deleted@example.com"); return u },
			func(u *rollcall.User) error { return svc.AdminDeleteUser(ctx, u.DirectoryID, u.ID) }},
		{"Chime DeleteAccount", func(t *testing.T) *rollcall.User { _, u, _ := chimeInvite(t, svc, "gone@example.com"); return u },
			func(u *rollcall.User) error {
				if _, err := svc.SuspendChimeUsers(ctx, aws, u.DirectoryID, []string{u.ID}, true); err != nil {
					return err
				}
				return svc.DeleteChimeAccount(ctx, aws, u.DirectoryID)
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			u := c.user(t)
			token := invite(t, u)
			if _, err := svc.Invitation(ctx, token); err != nil {
				t.Fatalf("the invitation before: %v", err)
			}
			if err := c.end(u); err != nil {
				t.Fatal(err)
			}
			var inv *rollcall.Invitation
			err := svc.Store.View(ctx, func(tx rollcall.Tx) (err error) {
				inv, err = tx.InvitationByTokenHash(rollcall.HashToken(token))
				return err
			})
			if err == nil && now.Before(inv.ExpiresAt) {
				t.Fatalf("the invitation is still pending: expires %v", inv.ExpiresAt)
			}
			if err != nil && !rollcall.IsKind(err, rollcall.NotFound) {
				t.Fatal(err)
			}
			// Even a user re-created with the same ID (a seeded one) finds it ended.
			if err := svc.Store.Update(ctx, func(tx rollcall.Tx) error {
				_, err := tx.User(u.DirectoryID, u.ID)
				if rollcall.IsKind(err, rollcall.NotFound) {
					return tx.InsertUser(u)
				}
				return err
			}); err != nil && !rollcall.IsKind(err, rollcall.Conflict) {
				t.Fatal(err)
			}
			if _, err := svc.AcceptInvitation(ctx, token, "correct horse battery staple"); err == nil {
				t.Fatal("the invitation was accepted")
			}
		})
	}
}

package invite_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/internal/coretest"
	"github.com/rollcall/rollcall/invite"
	"github.com/rollcall/rollcall/workdocs"
)

// TestSuspensionEndsChimeInvitation: a user suspended with a pending invitation cannot
// lift the suspension by accepting it, neither while suspended nor after unsuspension.
func TestSuspensionEndsChimeInvitation(t *testing.T) {
	svc, now := coretest.MustAt(t, sent)
	ctx := context.Background()
	c, u, token := coretest.MustChimeInvite(t, svc, "grace@example.com")
	if failed, err := svc.Chime.SuspendUsers(ctx, c, u.DirectoryID, []string{u.ID}, true); err != nil || len(failed) != 0 {
		t.Fatalf("suspend: %v %v", failed, err)
	}
	if _, err := svc.Invite.Accept(ctx, token, ""); rollcall.ErrorReason(err) != invite.ReasonInvitationWithdrawn {
		t.Fatalf("accepting while suspended: %v, want %s", err, invite.ReasonInvitationWithdrawn)
	}
	got, err := svc.Chime.User(ctx, c, u.DirectoryID, u.ID)
	if err != nil || got.Attrs.RegistrationStatus != chime.Suspended || got.Attrs.InvitationStatus == chime.InvitationAccepted {
		t.Fatalf("after a refused acceptance: %+v %v", got, err)
	}
	*now = now.Add(time.Minute)
	if _, err := svc.Chime.SuspendUsers(ctx, c, u.DirectoryID, []string{u.ID}, false); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Invite.Accept(ctx, token, ""); rollcall.ErrorReason(err) != invite.ReasonInvitationExpired {
		t.Fatalf("accepting the old invitation after unsuspension: %v, want %s", err, invite.ReasonInvitationExpired)
	}
	if got, _ := svc.Chime.User(ctx, c, u.DirectoryID, u.ID); got.Attrs.RegistrationStatus != chime.Unregistered {
		t.Fatalf("registration after unsuspension: %s", got.Attrs.RegistrationStatus)
	}
	// A new invitation after unsuspension works.
	if _, err := svc.Chime.InviteUsers(ctx, c, u.DirectoryID, []string{"grace@example.com"}, ""); err != nil {
		t.Fatal(err)
	}
}

// TestAcceptanceRechecksUserState: a user suspended by a path that did not end its
// invitations (a race, a future face) is still refused, in the accepting transaction.
func TestAcceptanceRechecksUserState(t *testing.T) {
	svc, _ := coretest.MustAt(t, sent)
	ctx := context.Background()
	c, u, token := coretest.MustChimeInvite(t, svc, "grace@example.com")
	if _, err := svc.Invite.Invitation(ctx, token); err != nil {
		t.Fatal(err)
	}
	err := svc.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
		cur, err := tx.User(u.DirectoryID, u.ID)
		if err != nil {
			return err
		}
		cu, err := chime.UserOf(cur)
		if err != nil {
			return err
		}
		cu.Status, cu.Attrs.RegistrationStatus = chime.Suspended, chime.Suspended
		return tx.UpdateUser(chime.NewUser(cur, cu.Attrs))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Invite.Accept(ctx, token, ""); rollcall.ErrorReason(err) != invite.ReasonInvitationWithdrawn {
		t.Fatalf("accepting for a suspended user: %v", err)
	}
	if got, _ := svc.Chime.User(ctx, c, u.DirectoryID, u.ID); got.Attrs.RegistrationStatus != chime.Suspended {
		t.Fatalf("registration after a refused acceptance: %s", got.Attrs.RegistrationStatus)
	}
}

// TestEveryPathEndsInvitations: each way of deactivating or deleting a user, on every
// face and the admin API, ends the user's pending invitations.
func TestEveryPathEndsInvitations(t *testing.T) {
	svc, now := coretest.MustAt(t, sent)
	ctx := context.Background()
	aws := rollcall.Caller{TenantID: rollcall.DevAccountID, Region: "us-east-1"}
	newWorkDocsUser := func(t *testing.T, name string) *rollcall.User {
		u, err := svc.WorkDocs.CreateUser(ctx, aws, workdocs.CreateUserInput{OrganizationID: rollcall.DevOrganizationID,
			Username: name, GivenName: "Ada", Surname: "Lovelace", Password: "correct horse battery staple"})
		if err != nil {
			t.Fatal(err)
		}
		return u.User
	}
	// invite gives u an invitation as any face would (Alexa for Business
	// enrollments, say): the rule must not depend on who created it.
	invite := func(t *testing.T, u *rollcall.User) string {
		token := "token-" + u.ID
		err := svc.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
			if err := tx.InsertInvitation(&rollcall.Invitation{ID: "inv-" + u.ID, TokenHash: rollcall.HashToken(token), TenantID: u.TenantID,
				DirectoryID: u.DirectoryID, UserID: u.ID, ExpiresAt: now.Add(time.Hour), CreatedAt: *now}); err != nil {
				return err
			}
			if u.Kind != rollcall.DirAlexa {
				return nil
			}
			// An Alexa for Business link is live only while it is the user's current
			// enrollment, as SendInvitation leaves it.
			return tx.UpdateUser(alexa.NewUser(u, alexa.UserAttrs{Arn: mustAlexa(t, u).Attrs.Arn,
				EnrollmentStatus: alexa.EnrollmentPending, EnrollmentInvitation: "inv-" + u.ID}))
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
			func(u *rollcall.User) error { return svc.WorkDocs.DeactivateUser(ctx, aws, u.ID) }},
		{"WorkDocs DeleteUser", func(t *testing.T) *rollcall.User { return newWorkDocsUser(t, "deleted") },
			func(u *rollcall.User) error { return svc.WorkDocs.DeleteUser(ctx, aws, u.ID) }},
		{"Alexa for Business DeleteUser", func(t *testing.T) *rollcall.User {
			arn, err := svc.Alexa.CreateUser(ctx, aws, alexa.CreateUserInput{UserID: "ada", Email: "ada@example.com"})
			if err != nil {
				t.Fatal(err)
			}
			u, err := svc.Operator.User(ctx, rollcall.AlexaDirectoryID(aws.TenantID), arn[strings.LastIndex(arn, "/")+1:])
			if err != nil {
				t.Fatal(err)
			}
			return u
		}, func(u *rollcall.User) error {
			au := mustAlexa(t, u)
			return svc.Alexa.DeleteUser(ctx, aws, au.Attrs.Arn, alexa.EnrollmentID(au))
		}},
		{"admin delete", func(t *testing.T) *rollcall.User {
			u, _ := coretest.MustInvite(t, svc, "admin-deleted@example.com")
			return u
		},
			func(u *rollcall.User) error { return svc.Operator.DeleteUser(ctx, u.DirectoryID, u.ID) }},
		{"Chime DeleteAccount", func(t *testing.T) *rollcall.User {
			_, u, _ := coretest.MustChimeInvite(t, svc, "gone@example.com")
			return u
		},
			func(u *rollcall.User) error {
				if _, err := svc.Chime.SuspendUsers(ctx, aws, u.DirectoryID, []string{u.ID}, true); err != nil {
					return err
				}
				return svc.Chime.DeleteAccount(ctx, aws, u.DirectoryID)
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			u := c.user(t)
			token := invite(t, u)
			if _, err := svc.Invite.Invitation(ctx, token); err != nil {
				t.Fatalf("the invitation before: %v", err)
			}
			if err := c.end(u); err != nil {
				t.Fatal(err)
			}
			var inv *rollcall.Invitation
			err := svc.Core.Store.View(ctx, func(tx rollcall.Tx) (err error) {
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
			if err := svc.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
				_, err := tx.User(u.DirectoryID, u.ID)
				if rollcall.IsKind(err, rollcall.NotFound) {
					return tx.InsertUser(u)
				}
				return err
			}); err != nil && !rollcall.IsKind(err, rollcall.Conflict) {
				t.Fatal(err)
			}
			if _, err := svc.Invite.Accept(ctx, token, "correct horse battery staple"); err == nil {
				t.Fatal("the invitation was accepted")
			}
		})
	}
}

func mustAlexa(t *testing.T, u *rollcall.User) *alexa.User {
	t.Helper()
	au, err := alexa.UserOf(u)
	if err != nil {
		t.Fatal(err)
	}
	return au
}

package chime

import (
	"context"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/invite"
)

// Invitations is what an invitation means for a Chime user: accepting is a button (the
// user signs in through Amazon), a suspended user may not accept, and accepting makes
// the invitation Accepted and the user Registered.
var Invitations = invite.Rules{
	Kind:       rollcall.DirChime,
	NoPassword: true,
	Refusal: func(u *rollcall.User, _ *rollcall.Invitation) error {
		if u.Status == Suspended || u.Attrs.RegistrationStatus == Suspended {
			return invite.Withdrawn("the account is suspended")
		}
		return nil
	},
	Accept: func(u *rollcall.User, now time.Time) {
		u.Attrs.InvitationStatus = InvitationAccepted
		u.Attrs.RegistrationStatus = Registered
		u.Attrs.RegisteredOn = &now
	},
}

// Invite is one invitation of InviteUsers (the model's Invite).
type Invite struct {
	InviteID string
	Email    string
	Status   string // Pending
}

// InviteUsers invites each email to an account: a user that does not exist yet is
// created (PrivateUser unless userType says otherwise) with invitation status Pending, and
// an invitation email is queued in the same transaction.
func (s *Service) InviteUsers(ctx context.Context, c rollcall.Caller, accountID string, emails []string, userType string) ([]Invite, error) {
	var invites []Invite
	err := s.inAccount(ctx, c, accountID, func(tx rollcall.Tx, d *rollcall.Directory, now time.Time) error {
		invites = invites[:0]
		for _, email := range emails {
			u, err := tx.UserByKey(accountID, strings.ToLower(email))
			isNew := rollcall.IsKind(err, rollcall.NotFound)
			switch {
			case isNew:
				u = s.newUser(c, CreateUserInput{AccountID: accountID, Email: email, UserType: userType}, now)
				u.Attrs.LicenseType = d.Attrs.DefaultLicense
			case err != nil:
				return err
			case userType != "":
				u.UserType = userType
			}
			u.UpdatedAt = now
			u.Attrs.InvitationStatus, u.Attrs.InvitedOn = InvitationPending, &now
			if isNew {
				err = tx.InsertUser(u)
			} else {
				err = tx.UpdateUser(u)
			}
			if err != nil {
				return err
			}
			inv, err := invite.Queue(ctx, s.Core, tx, d, u, now, invite.AccountLetter)
			if err != nil {
				return err
			}
			invites = append(invites, Invite{InviteID: inv.ID, Email: email, Status: InvitationPending})
		}
		return nil
	})
	if err != nil {
		return nil, rollcall.WithOp("InviteChimeUsers", err)
	}
	s.Core.NotifyMailQueued()
	return invites, nil
}

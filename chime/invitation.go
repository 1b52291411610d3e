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
	Refusal: func(ru *rollcall.User, _ *rollcall.Invitation) error {
		u, err := UserOf(ru)
		if err != nil {
			return err
		}
		if u.Status == Suspended || u.Attrs.RegistrationStatus == Suspended {
			return invite.Withdrawn("the account is suspended")
		}
		return nil
	},
	Accept: func(ru *rollcall.User, now time.Time) error {
		u, err := UserOf(ru)
		if err != nil {
			return err
		}
		u.Attrs.InvitationStatus = InvitationAccepted
		u.Attrs.RegistrationStatus = Registered
		u.Attrs.RegisteredOn = &now
		put(u)
		return nil
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
	err := s.inAccount(ctx, c, accountID, func(tx rollcall.Tx, d *Account, now time.Time) error {
		invites = invites[:0]
		for _, email := range emails {
			u, err := decoded(tx.UserByKey(accountID, strings.ToLower(email)))
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
				err = tx.InsertUser(put(u))
			} else {
				err = tx.UpdateUser(put(u))
			}
			if err != nil {
				return err
			}
			inv, err := invite.Queue(ctx, s.Core, tx, d.Directory, u.User, now, invite.AccountLetter)
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

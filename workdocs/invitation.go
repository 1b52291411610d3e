package workdocs

import (
	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/invite"
)

// Invitations is what an invitation means for a WorkDocs user: the invitee sets a
// password, and an INACTIVE user may not accept.
var Invitations = invite.Rules{
	Kind: rollcall.DirWorkDocs,
	Refusal: func(u *rollcall.User, _ *rollcall.Invitation) error {
		if u.Status == Inactive {
			return invite.Withdrawn("the account is deactivated")
		}
		return nil
	},
}

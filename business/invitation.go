package business

import (
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/invite"
)

// Invitations is what an invitation means for an Amazon Business account holder: the
// holder sets a password and becomes ACTIVE.
var Invitations = invite.Rules{
	Kind:   rollcall.DirBusiness,
	Accept: func(u *rollcall.User, _ time.Time) error { u.Status = Active; return nil },
}

package rollcall

import (
	"context"
	"strings"
	"unicode/utf8"
)

// Password rule for invitees, shown on the acceptance page: 12 to 128 characters, not
// the email address or its name part.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 128
	PasswordRule      = "Use 12 to 128 characters. Longer is stronger; a few unrelated words work well. It must not be your email address."
)

// InvitationDetails is what the acceptance page shows about an invitation.
type InvitationDetails struct {
	Invitation *Invitation
	User       *User
	Directory  *Directory
}

// Reasons an invitation cannot be used.
const (
	ReasonInvitationUsed    = "invitation-used"
	ReasonInvitationExpired = "invitation-expired"
	// The user's state no longer allows it (suspended, deactivated).
	ReasonInvitationWithdrawn = "invitation-withdrawn"
)

// Invitation finds the invitation a link's token belongs to. Unknown tokens are NotFound;
// used, withdrawn or expired ones are Invalid with ReasonInvitationUsed,
// ReasonInvitationWithdrawn or ReasonInvitationExpired.
func (s *Service) Invitation(ctx context.Context, token string) (*InvitationDetails, error) {
	var d *InvitationDetails
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		d, err = s.usableInvitation(tx, token)
		return err
	})
	return d, WithOp("GetInvitation", err)
}

func (s *Service) usableInvitation(tx Tx, token string) (*InvitationDetails, error) {
	inv, err := tx.InvitationByTokenHash(HashToken(token))
	if IsKind(err, NotFound) {
		return nil, &Error{Kind: NotFound, Message: "This invitation link is not valid. Check that you copied the whole link."}
	}
	if err != nil {
		return nil, err
	}
	if inv.UsedAt != nil {
		return nil, &Error{Kind: Invalid, Reason: ReasonInvitationUsed, Message: "This invitation has already been used. Sign in with the password you chose."}
	}
	u, err := tx.User(inv.DirectoryID, inv.UserID)
	if IsKind(err, NotFound) {
		return nil, &Error{Kind: NotFound, Message: "The account this invitation was for no longer exists."}
	}
	if err != nil {
		return nil, err
	}
	if why := invitationRefusal(u); why != "" {
		return nil, &Error{Kind: Invalid, Reason: ReasonInvitationWithdrawn, Message: why}
	}
	if !s.now().Before(inv.ExpiresAt) {
		return nil, &Error{Kind: Invalid, Reason: ReasonInvitationExpired, Message: "This invitation has expired. Ask your administrator to invite you again."}
	}
	d, err := tx.Directory(inv.DirectoryID)
	if err != nil {
		return nil, err
	}
	return &InvitationDetails{Invitation: inv, User: u, Directory: d}, nil
}

// CheckPassword applies PasswordRule.
func CheckPassword(password, email string) error {
	n := utf8.RuneCountInString(password)
	local, _, _ := strings.Cut(strings.ToLower(email), "@")
	switch {
	case n < MinPasswordLength:
		return &Error{Kind: Invalid, Field: "password", Message: "The password is too short: use at least 12 characters."}
	case n > MaxPasswordLength:
		return &Error{Kind: Invalid, Field: "password", Message: "The password is too long: use at most 128 characters."}
	case email != "" && (strings.EqualFold(password, email) || (len(local) >= 4 && strings.Contains(strings.ToLower(password), local))):
		return &Error{Kind: Invalid, Field: "password", Message: "The password must not contain your email address or its name part."}
	}
	return nil
}

// AcceptInvitation sets the invitee's password (argon2id) and marks the invitation used,
// once: an Amazon Business holder becomes ACTIVE; a Chime user's invitation Accepted and
// registration Registered (a Chime invitation takes no password).
func (s *Service) AcceptInvitation(ctx context.Context, token, password string) (*InvitationDetails, error) {
	const op = "AcceptInvitation"
	var d *InvitationDetails
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		d, err = s.usableInvitation(tx, token)
		return err
	})
	if err != nil {
		return nil, WithOp(op, err)
	}
	// A Chime user signs in through Amazon, not with a password of rollcall's: accepting
	// is a button, and any password sent along is ignored.
	var hash string
	if d.User.Kind != DirChime {
		if err := CheckPassword(password, d.User.Email); err != nil {
			return nil, WithOp(op, err)
		}
		if hash, err = s.Passwords.Hash(password); err != nil {
			return nil, WithOp(op, err)
		}
	}
	err = s.Store.Update(ctx, func(tx Tx) error {
		// Again inside the transaction: two submissions of one link must not both win,
		// and a user suspended since the page was shown must not be registered.
		cur, err := s.usableInvitation(tx, token)
		if err != nil {
			return err
		}
		now := s.now()
		u := cur.User
		if hash != "" {
			u.PasswordHash = hash
		}
		u.UpdatedAt = now
		switch u.Kind {
		case DirBusiness:
			u.Status = BusinessActive
		case DirChime:
			u.Attrs.InvitationStatus = "Accepted"
			u.Attrs.RegistrationStatus = "Registered"
			u.Attrs.RegisteredOn = &now
		}
		if err := tx.UpdateUser(u); err != nil {
			return err
		}
		cur.Invitation.UsedAt = &now
		d = cur
		return tx.UpdateInvitation(cur.Invitation)
	})
	return d, WithOp(op, err)
}

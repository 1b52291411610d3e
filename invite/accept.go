package rollcall

import (
	"context"
	"unicode/utf8"
)

// Password rule for invitees, shown on the acceptance page.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 128
	PasswordRule      = "Use 12 to 128 characters that are hard to guess: a few unrelated words work well. Common passwords, " +
		"keyboard patterns, repeated characters, and your email address, name or business name are refused."
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
	ReasonInvitationRevoked = "invitation-revoked" // Alexa for Business: replaced or revoked
	// The user's state no longer allows it (suspended, deactivated).
	ReasonInvitationWithdrawn = "invitation-withdrawn"
)

// InvitationTakesPassword reports whether accepting an invitation of this kind sets a
// password. Chime and Alexa for Business users sign in through Amazon: accepting is a
// button, and any password sent along is ignored.
func InvitationTakesPassword(k DirectoryKind) bool { return k != DirChime && k != DirAlexa }

// Invitation finds the invitation a link's token belongs to. Unknown tokens are NotFound;
// used, withdrawn, revoked or expired ones are Invalid with ReasonInvitationUsed,
// ReasonInvitationWithdrawn, ReasonInvitationRevoked or ReasonInvitationExpired.
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
		return nil, &Error{Kind: Invalid, Reason: ReasonInvitationUsed, Message: "This invitation has already been used, so it is no longer valid. If you set a password, sign in with it."}
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
	if u.Kind == DirAlexa && !alexaInvitationLive(u, inv) {
		return nil, &Error{Kind: Invalid, Reason: ReasonInvitationRevoked,
			Message: "This invitation is no longer valid: it was withdrawn or replaced by a newer one. Use the link in the most recent invitation, or ask your administrator to invite you again."}
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

// CheckInvitationPassword applies PasswordRule to the password the invitee of d chose:
// the length, none of the invitee's own words (see personalWords), and, when the Service
// has one, the Strength check.
func (s *Service) CheckInvitationPassword(d *InvitationDetails, password string) error {
	n := utf8.RuneCountInString(password)
	personal := personalWords(d)
	weak := func(msg string) error { return &Error{Kind: Invalid, Field: "password", Message: msg} }
	switch {
	case n < MinPasswordLength:
		return weak("The password is too short: use at least 12 characters.")
	case n > MaxPasswordLength:
		return weak("The password is too long: use at most 128 characters.")
	case containsPersonal(password, personal):
		return weak("The password must not contain your email address, your name or the name of " + d.Directory.Name + ".")
	}
	if s.Strength != nil {
		if why := s.Strength.Weak(password, personal); why != "" {
			return weak(why)
		}
	}
	return nil
}

// AcceptInvitation sets the invitee's password (argon2id) and marks the invitation used,
// once: an Amazon Business holder becomes ACTIVE; a Chime user's invitation Accepted and
// registration Registered; an Alexa for Business enrollment REGISTERED (the last two take
// no password).
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
	var hash string
	if InvitationTakesPassword(d.User.Kind) {
		if err := s.CheckInvitationPassword(d, password); err != nil {
			return nil, WithOp(op, err)
		}
		if hash, err = s.hashPassword(ctx, password); err != nil {
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
		case DirAlexa:
			u.Attrs.EnrollmentStatus, u.Attrs.EnrollmentInvitation = EnrollmentRegistered, ""
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

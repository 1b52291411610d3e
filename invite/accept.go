package invite

import (
	"context"
	"time"
	"unicode/utf8"

	"github.com/rollcall/rollcall"
)

// Password rule for invitees, shown on the acceptance page.
const (
	MinPasswordLength = 12
	MaxPasswordLength = 128
	PasswordRule      = "Use 12 to 128 characters that are hard to guess: a few unrelated words work well. Common passwords, " +
		"keyboard patterns, repeated characters, and your email address, name or business name are refused."
)

// Service finds and accepts invitations; what accepting means for a user of each kind of
// directory is the Rules its product registers.
type Service struct {
	Core  *rollcall.Service
	rules map[rollcall.DirectoryKind]Rules
	// Accepted, when set, is told how each Accept of a link ended (for metrics): "accepted",
	// "not-found", or the Reason it was refused with (ReasonInvitationUsed, ...). A
	// password refused, or a failure of the store, is none of these and is not told.
	Accepted func(result string)
}

// Rules say what an invitation means for the users of one kind of directory; each
// product package declares its own (chime.Invitations, alexa.Invitations, ...). A kind
// without Rules takes a password and changes nothing else on acceptance.
type Rules struct {
	Kind rollcall.DirectoryKind
	// NoPassword: accepting is a button; the invitee signs in elsewhere.
	NoPassword bool
	// Refusal, when set, returns an Invalid error with ReasonInvitationWithdrawn (the
	// user's state no longer allows it: suspended, deactivated) or
	// ReasonInvitationRevoked (replaced or revoked) when u may not accept inv now, else
	// nil. Acceptance asks it again in the accepting transaction.
	Refusal func(u *rollcall.User, inv *rollcall.Invitation) error
	// Accept, when set, applies to u what accepting does, at now: it changes u, its
	// attributes encoded (User.Attrs, ProductKeys), for Accept to write. An error (its
	// attributes do not decode) fails the acceptance.
	Accept func(u *rollcall.User, now time.Time) error
}

// New returns the invitations of core, with each product's Rules.
func New(core *rollcall.Service, rules ...Rules) *Service {
	s := &Service{Core: core, rules: make(map[rollcall.DirectoryKind]Rules, len(rules))}
	for _, r := range rules {
		s.rules[r.Kind] = r
	}
	return s
}

// Withdrawn is the Refusal error for a user whose state no longer allows an invitation.
func Withdrawn(why string) error {
	return &rollcall.Error{Kind: rollcall.Invalid, Reason: ReasonInvitationWithdrawn,
		Message: "This invitation was withdrawn: " + why + ". Ask your administrator."}
}

// Details is what the acceptance page shows about an invitation.
type Details struct {
	Invitation *rollcall.Invitation
	User       *rollcall.User
	Directory  *rollcall.Directory
}

// Reasons an invitation cannot be used.
const (
	ReasonInvitationUsed    = "invitation-used"
	ReasonInvitationExpired = "invitation-expired"
	ReasonInvitationRevoked = "invitation-revoked" // Alexa for Business: replaced or revoked
	// The user's state no longer allows it (suspended, deactivated).
	ReasonInvitationWithdrawn = "invitation-withdrawn"
)

// TakesPassword reports whether accepting an invitation of this kind sets a password:
// unless the kind's Rules say NoPassword (Chime and Alexa for Business users sign in
// through Amazon: accepting is a button, and any password sent along is ignored).
func (s *Service) TakesPassword(k rollcall.DirectoryKind) bool { return !s.rules[k].NoPassword }

// Invitation finds the invitation a link's token belongs to. Unknown tokens are NotFound;
// used, withdrawn, revoked or expired ones are Invalid with ReasonInvitationUsed,
// ReasonInvitationWithdrawn, ReasonInvitationRevoked or ReasonInvitationExpired.
func (s *Service) Invitation(ctx context.Context, token string) (*Details, error) {
	var d *Details
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		d, err = s.usableInvitation(tx, token)
		return err
	})
	return d, rollcall.WithOp("GetInvitation", err)
}

func (s *Service) usableInvitation(tx rollcall.Tx, token string) (*Details, error) {
	inv, err := tx.InvitationByTokenHash(rollcall.HashToken(token))
	if rollcall.IsKind(err, rollcall.NotFound) {
		return nil, &rollcall.Error{Kind: rollcall.NotFound, Message: "This invitation link is not valid. Check that you copied the whole link."}
	}
	if err != nil {
		return nil, err
	}
	if inv.UsedAt != nil {
		return nil, &rollcall.Error{Kind: rollcall.Invalid, Reason: ReasonInvitationUsed, Message: "This invitation has already been used, so it is no longer valid. If you set a password, sign in with it."}
	}
	u, err := tx.User(inv.DirectoryID, inv.UserID)
	if rollcall.IsKind(err, rollcall.NotFound) {
		return nil, &rollcall.Error{Kind: rollcall.NotFound, Message: "The account this invitation was for no longer exists."}
	}
	if err != nil {
		return nil, err
	}
	if r := s.rules[u.Kind]; r.Refusal != nil {
		if err := r.Refusal(u, inv); err != nil {
			return nil, err
		}
	}
	if !s.Core.Time().Before(inv.ExpiresAt) {
		return nil, &rollcall.Error{Kind: rollcall.Invalid, Reason: ReasonInvitationExpired, Message: "This invitation has expired. Ask your administrator to invite you again."}
	}
	d, err := tx.Directory(inv.DirectoryID)
	if err != nil {
		return nil, err
	}
	return &Details{Invitation: inv, User: u, Directory: d}, nil
}

// CheckPassword applies PasswordRule to the password the invitee of d chose:
// the length, none of the invitee's own words (see personalWords), and, when the Service
// has one, the Strength check.
func (s *Service) CheckPassword(d *Details, password string) error {
	n := utf8.RuneCountInString(password)
	personal := personalWords(d)
	weak := func(msg string) error {
		return &rollcall.Error{Kind: rollcall.Invalid, Field: "password", Message: msg}
	}
	switch {
	case n < MinPasswordLength:
		return weak("The password is too short: use at least 12 characters.")
	case n > MaxPasswordLength:
		return weak("The password is too long: use at most 128 characters.")
	case containsPersonal(password, personal):
		return weak("The password must not contain your email address, your name or the name of " + d.Directory.Name + ".")
	}
	if s.Core.Strength != nil {
		if why := s.Core.Strength.Weak(password, personal); why != "" {
			return weak(why)
		}
	}
	return nil
}

// Accept sets the invitee's password (argon2id, unless the kind takes none) and marks
// the invitation used, once, and applies what the kind's Rules say accepting does (an
// Amazon Business holder becomes ACTIVE; a Chime user's invitation Accepted and
// registration Registered; an Alexa for Business enrollment REGISTERED).
func (s *Service) Accept(ctx context.Context, token, password string) (d *Details, err error) {
	const op = "AcceptInvitation"
	if s.Accepted != nil {
		defer func() { s.report(err) }()
	}
	err = s.Core.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		d, err = s.usableInvitation(tx, token)
		return err
	})
	if err != nil {
		return nil, rollcall.WithOp(op, err)
	}
	var hash string
	if s.TakesPassword(d.User.Kind) {
		if err := s.CheckPassword(d, password); err != nil {
			return nil, rollcall.WithOp(op, err)
		}
		if hash, err = s.Core.HashPassword(ctx, password); err != nil {
			return nil, rollcall.WithOp(op, err)
		}
	}
	err = s.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
		// Again inside the transaction: two submissions of one link must not both win,
		// and a user suspended since the page was shown must not be registered.
		cur, err := s.usableInvitation(tx, token)
		if err != nil {
			return err
		}
		now := s.Core.Time()
		u := cur.User
		if hash != "" {
			u.PasswordHash = hash
		}
		u.UpdatedAt = now
		if r := s.rules[u.Kind]; r.Accept != nil {
			if err := r.Accept(u, now); err != nil {
				return err
			}
		}
		if err := tx.UpdateUser(u); err != nil {
			return err
		}
		cur.Invitation.UsedAt = &now
		d = cur
		return tx.UpdateInvitation(cur.Invitation)
	})
	return d, rollcall.WithOp(op, err)
}

// report tells Accepted how an Accept ended, when it ended in one of its results.
func (s *Service) report(err error) {
	switch reason := rollcall.ErrorReason(err); {
	case err == nil:
		s.Accepted("accepted")
	case rollcall.IsKind(err, rollcall.NotFound):
		s.Accepted("not-found")
	case reason == ReasonInvitationUsed, reason == ReasonInvitationExpired,
		reason == ReasonInvitationRevoked, reason == ReasonInvitationWithdrawn:
		s.Accepted(reason)
	}
}

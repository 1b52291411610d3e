package alexa

import (
	"context"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/invite"
)

// Alexa for Business enrollment: SendInvitation, RevokeInvitation and the invitation's
// template (Put/GetInvitationConfiguration), on the invitation machinery (outbox,
// acceptance page).
//
//	INITIALIZED --SendInvitation--> PENDING --accept link--> REGISTERED
//	PENDING --SendInvitation--> PENDING (a new link; the old one is dead)
//	PENDING --RevokeInvitation--> INITIALIZED (the link is dead)
//
// A link is accepted only while its user is PENDING with that very invitation (checked
// again in the accepting transaction), so a re-sent, revoked or deleted enrollment's
// link stops working at once.

// Alexa for Business enrollment states (the model's EnrollmentStatus).
const (
	EnrollmentPending    = "PENDING"
	EnrollmentRegistered = "REGISTERED"
)

// EnrollmentStatus is the EnrollmentStatus of an Alexa for Business user.
func EnrollmentStatus(u *User) string {
	if u.Attrs.EnrollmentStatus == "" {
		return EnrollmentInitialized
	}
	return u.Attrs.EnrollmentStatus
}

// alexaEnrolledUser finds the caller's user with the ARN and checks that enrollmentID is
// its enrollment; anything else is NotFound.
func alexaEnrolledUser(tx rollcall.Tx, c rollcall.Caller, userArn, enrollmentID string) (*User, error) {
	u, err := alexaUserByArn(tx, c, userArn)
	if err != nil {
		return nil, err
	}
	if EnrollmentID(u) != enrollmentID {
		return nil, &rollcall.Error{Kind: rollcall.NotFound, Field: "EnrollmentId", Values: map[string]string{"EnrollmentId": enrollmentID, "UserArn": userArn},
			Message: "no enrollment " + enrollmentID + " of user " + userArn}
	}
	return u, nil
}

// SendInvitation queues an enrollment email with a new link to the caller's user
// with the ARN and makes the enrollment PENDING, in one transaction. The link works for
// AlexaInvitationTTL or until the next SendInvitation. A user without an email, or one
// already REGISTERED, is Invalid with rollcall.ReasonWrongState.
func (s *Service) SendInvitation(ctx context.Context, c rollcall.Caller, userArn string) error {
	const op = "SendAlexaInvitation"
	err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
		u, err := alexaUserByArn(tx, c, userArn)
		if err != nil {
			return err
		}
		switch {
		case u.Email == "":
			return &rollcall.Error{Kind: rollcall.Invalid, Reason: rollcall.ReasonWrongState, Field: "UserArn",
				Values: map[string]string{"UserArn": userArn, "Email": ""}, Message: "user " + userArn + " has no email"}
		case EnrollmentStatus(u) == EnrollmentRegistered:
			return &rollcall.Error{Kind: rollcall.Invalid, Reason: rollcall.ReasonWrongState, Field: "UserArn",
				Values: map[string]string{"UserArn": userArn, "EnrollmentStatus": EnrollmentRegistered}, Message: "user " + userArn + " is REGISTERED"}
		}
		d, err := tx.Directory(u.DirectoryID)
		if err != nil {
			return err
		}
		da, err := DirectoryOf(d)
		if err != nil {
			return err
		}
		now := s.Core.Time()
		// The core rule: the replaced invitation ends in the store too, not only by
		// no longer being the user's current one.
		if err := rollcall.EndInvitations(tx, u.User, now); err != nil {
			return err
		}
		inv, err := invite.Queue(ctx, s.Core, tx, d, u.User, now, enrollmentLetter(da.Invitation))
		if err != nil {
			return err
		}
		u.Attrs.EnrollmentStatus, u.Attrs.EnrollmentInvitation = EnrollmentPending, inv.ID
		u.UpdatedAt = now
		return tx.UpdateUser(put(u))
	})
	if err != nil {
		return rollcall.WithOp(op, err)
	}
	s.Core.NotifyMailQueued()
	return nil
}

// RevokeInvitation ends the pending invitation of the caller's user with the ARN:
// its link stops working and the enrollment is INITIALIZED again. The service documents
// nothing else, so revoking where nothing is pending (INITIALIZED, or REGISTERED, which
// stays REGISTERED) changes nothing and succeeds, and a retried revoke is harmless.
func (s *Service) RevokeInvitation(ctx context.Context, c rollcall.Caller, userArn, enrollmentID string) error {
	const op = "RevokeAlexaInvitation"
	err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
		u, err := alexaEnrolledUser(tx, c, userArn, enrollmentID)
		if err != nil || EnrollmentStatus(u) != EnrollmentPending {
			return err
		}
		now := s.Core.Time()
		if err := rollcall.EndInvitations(tx, u.User, now); err != nil {
			return err
		}
		u.Attrs.EnrollmentStatus, u.Attrs.EnrollmentInvitation = "", ""
		u.UpdatedAt = now
		return tx.UpdateUser(put(u))
	})
	return rollcall.WithOp(op, err)
}

// PutInvitationConfig sets the caller's enrollment email template; the face has
// validated its shape.
func (s *Service) PutInvitationConfig(ctx context.Context, c rollcall.Caller, cfg InvitationConfig) error {
	const op = "PutAlexaInvitationConfig"
	err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
		now := s.Core.Time()
		if err := EnsureDirectory(tx, c.TenantID, now); err != nil {
			return err
		}
		d, err := tx.Directory(rollcall.AlexaDirectoryID(c.TenantID))
		if err != nil {
			return err
		}
		a, err := DirectoryOf(d)
		if err != nil {
			return err
		}
		a.Invitation = &cfg
		putDirectory(d, a)
		d.UpdatedAt = now
		return tx.UpdateDirectory(d)
	})
	return rollcall.WithOp(op, err)
}

// AlexaInvitationConfig returns the caller's enrollment email template; NotFound before
// the first PutInvitationConfig, as the model declares.
func (s *Service) AlexaInvitationConfig(ctx context.Context, c rollcall.Caller) (*InvitationConfig, error) {
	var cfg *InvitationConfig
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) error {
		d, err := tx.Directory(rollcall.AlexaDirectoryID(c.TenantID))
		if err != nil && !rollcall.IsKind(err, rollcall.NotFound) {
			return err
		}
		var a DirectoryAttrs
		if d != nil {
			if a, err = DirectoryOf(d); err != nil {
				return err
			}
		}
		if a.Invitation == nil {
			return &rollcall.Error{Kind: rollcall.NotFound, Field: "InvitationConfiguration", Message: "no invitation configuration"}
		}
		cfg = a.Invitation
		return nil
	})
	if err != nil {
		return nil, rollcall.WithOp("AlexaInvitationConfig", err)
	}
	return cfg, nil
}

// Invitations is what an enrollment invitation means: accepting is a button (the user
// signs in through Amazon), only the one invitation the user's PENDING enrollment waits
// for may be accepted (re-sent, revoked and completed enrollments kill their links), and
// accepting makes the enrollment REGISTERED.
var Invitations = invite.Rules{
	Kind:       rollcall.DirAlexa,
	NoPassword: true,
	Refusal: func(ru *rollcall.User, inv *rollcall.Invitation) error {
		u, err := UserOf(ru)
		if err != nil {
			return err
		}
		if EnrollmentStatus(u) == EnrollmentPending && u.Attrs.EnrollmentInvitation == inv.ID {
			return nil
		}
		return &rollcall.Error{Kind: rollcall.Invalid, Reason: invite.ReasonInvitationRevoked,
			Message: "This invitation is no longer valid: it was withdrawn or replaced by a newer one. Use the link in the most recent invitation, or ask your administrator to invite you again."}
	},
	Accept: func(ru *rollcall.User, _ time.Time) error {
		u, err := UserOf(ru)
		if err != nil {
			return err
		}
		u.Attrs.EnrollmentStatus, u.Attrs.EnrollmentInvitation = EnrollmentRegistered, ""
		put(u)
		return nil
	},
}

// enrollmentLetter is the enrollment mail as the account's configuration (nil: none)
// says.
func enrollmentLetter(cfg *InvitationConfig) invite.Letter {
	if cfg == nil {
		return invite.EnrollmentLetter("", "", nil)
	}
	return invite.EnrollmentLetter(cfg.OrganizationName, cfg.ContactEmail, cfg.PrivateSkillIDs)
}

// OrganizationName is the organization the enrollment mail of directory d named, "" when
// it has no invitation configuration, for the acceptance page (face/web).
func OrganizationName(d *rollcall.Directory) (string, error) {
	a, err := DirectoryOf(d)
	if err != nil || a.Invitation == nil {
		return "", err
	}
	return a.Invitation.OrganizationName, nil
}

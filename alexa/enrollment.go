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
func EnrollmentStatus(u *rollcall.User) string {
	if u.Attrs.EnrollmentStatus == "" {
		return EnrollmentInitialized
	}
	return u.Attrs.EnrollmentStatus
}

// alexaEnrolledUser finds the caller's user with the ARN and checks that enrollmentID is
// its enrollment; anything else is NotFound.
func alexaEnrolledUser(tx rollcall.Tx, c rollcall.Caller, userArn, enrollmentID string) (*rollcall.User, error) {
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
		now := s.Core.Time()
		// The core rule: the replaced invitation ends in the store too, not only by
		// no longer being the user's current one.
		if err := rollcall.EndInvitations(tx, u, now); err != nil {
			return err
		}
		inv, err := invite.Queue(ctx, s.Core, tx, d, u, now, invite.EnrollmentLetter)
		if err != nil {
			return err
		}
		u.Attrs.EnrollmentStatus, u.Attrs.EnrollmentInvitation = EnrollmentPending, inv.ID
		u.UpdatedAt = now
		return tx.UpdateUser(u)
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
		if err := rollcall.EndInvitations(tx, u, now); err != nil {
			return err
		}
		u.Attrs.EnrollmentStatus, u.Attrs.EnrollmentInvitation = "", ""
		u.UpdatedAt = now
		return tx.UpdateUser(u)
	})
	return rollcall.WithOp(op, err)
}

// PutInvitationConfig sets the caller's enrollment email template; the face has
// validated its shape.
func (s *Service) PutInvitationConfig(ctx context.Context, c rollcall.Caller, cfg rollcall.AlexaInvitationConfig) error {
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
		d.Attrs.Invitation = &cfg
		d.UpdatedAt = now
		return tx.UpdateDirectory(d)
	})
	return rollcall.WithOp(op, err)
}

// AlexaInvitationConfig returns the caller's enrollment email template; NotFound before
// the first PutInvitationConfig, as the model declares.
func (s *Service) AlexaInvitationConfig(ctx context.Context, c rollcall.Caller) (*rollcall.AlexaInvitationConfig, error) {
	var cfg *rollcall.AlexaInvitationConfig
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) error {
		d, err := tx.Directory(rollcall.AlexaDirectoryID(c.TenantID))
		if err != nil && !rollcall.IsKind(err, rollcall.NotFound) {
			return err
		}
		if d == nil || d.Attrs.Invitation == nil {
			return &rollcall.Error{Kind: rollcall.NotFound, Field: "InvitationConfiguration", Message: "no invitation configuration"}
		}
		cfg = d.Attrs.Invitation
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
	Refusal: func(u *rollcall.User, inv *rollcall.Invitation) error {
		if EnrollmentStatus(u) == EnrollmentPending && u.Attrs.EnrollmentInvitation == inv.ID {
			return nil
		}
		return &rollcall.Error{Kind: rollcall.Invalid, Reason: invite.ReasonInvitationRevoked,
			Message: "This invitation is no longer valid: it was withdrawn or replaced by a newer one. Use the link in the most recent invitation, or ask your administrator to invite you again."}
	},
	Accept: func(u *rollcall.User, _ time.Time) {
		u.Attrs.EnrollmentStatus, u.Attrs.EnrollmentInvitation = EnrollmentRegistered, ""
	},
}

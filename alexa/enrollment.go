package rollcall

import (
	"context"
	"html/template"
	texttemplate "text/template"
	"time"
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

// AlexaInvitationTTL is how long an enrollment link works: the service documents 30 days.
const AlexaInvitationTTL = 30 * 24 * time.Hour

// ReasonInvalidUserStatus labels an operation refused because of the user's enrollment
// state (the face's InvalidUserStatusException).
const ReasonInvalidUserStatus = "invalid-user-status"

// AlexaInvitationConfig is the template of the enrollment email, per AWS account.
// PrivateSkillIDs are stored and shown in the email only: rollcall has no skills.
type AlexaInvitationConfig struct {
	OrganizationName string   `json:"organizationName"`
	ContactEmail     string   `json:"contactEmail,omitempty"`
	PrivateSkillIDs  []string `json:"privateSkillIds,omitempty"`
}

// AlexaEnrollmentStatus is the EnrollmentStatus of an Alexa for Business user.
func AlexaEnrollmentStatus(u *User) string {
	if u.Attrs.EnrollmentStatus == "" {
		return EnrollmentInitialized
	}
	return u.Attrs.EnrollmentStatus
}

// alexaEnrolledUser finds the caller's user with the ARN and checks that enrollmentID is
// its enrollment; anything else is NotFound.
func alexaEnrolledUser(tx Tx, c Caller, userArn, enrollmentID string) (*User, error) {
	u, err := alexaUserByArn(tx, c, userArn)
	if err != nil {
		return nil, err
	}
	if AlexaEnrollmentID(u) != enrollmentID {
		return nil, &Error{Kind: NotFound, Field: "EnrollmentId", Message: "The enrollment " + enrollmentID + " of user " + userArn + " was not found."}
	}
	return u, nil
}

// SendAlexaInvitation queues an enrollment email with a new link to the caller's user
// with the ARN and makes the enrollment PENDING, in one transaction. The link works for
// AlexaInvitationTTL or until the next SendInvitation. A user without an email, or one
// already REGISTERED, is Invalid with ReasonInvalidUserStatus.
func (s *Service) SendAlexaInvitation(ctx context.Context, c Caller, userArn string) error {
	const op = "SendAlexaInvitation"
	err := s.Store.Update(ctx, func(tx Tx) error {
		u, err := alexaUserByArn(tx, c, userArn)
		if err != nil {
			return err
		}
		switch {
		case u.Email == "":
			return &Error{Kind: Invalid, Reason: ReasonInvalidUserStatus, Field: "UserArn",
				Message: "The user " + userArn + " has no email address to send an invitation to."}
		case AlexaEnrollmentStatus(u) == EnrollmentRegistered:
			return &Error{Kind: Invalid, Reason: ReasonInvalidUserStatus, Field: "UserArn",
				Message: "The user " + userArn + " is already REGISTERED."}
		}
		d, err := tx.Directory(u.DirectoryID)
		if err != nil {
			return err
		}
		now := s.now()
		// The core rule: the replaced invitation ends in the store too, not only by
		// no longer being the user's current one.
		if err := endInvitations(tx, u, now); err != nil {
			return err
		}
		inv, err := s.invite(tx, d, u, now)
		if err != nil {
			return err
		}
		u.Attrs.EnrollmentStatus, u.Attrs.EnrollmentInvitation = EnrollmentPending, inv.ID
		u.UpdatedAt = now
		return tx.UpdateUser(u)
	})
	if err != nil {
		return WithOp(op, err)
	}
	s.mailQueued()
	return nil
}

// RevokeAlexaInvitation ends the pending invitation of the caller's user with the ARN:
// its link stops working and the enrollment is INITIALIZED again. The service documents
// nothing else, so revoking where nothing is pending (INITIALIZED, or REGISTERED, which
// stays REGISTERED) changes nothing and succeeds, and a retried revoke is harmless.
func (s *Service) RevokeAlexaInvitation(ctx context.Context, c Caller, userArn, enrollmentID string) error {
	const op = "RevokeAlexaInvitation"
	err := s.Store.Update(ctx, func(tx Tx) error {
		u, err := alexaEnrolledUser(tx, c, userArn, enrollmentID)
		if err != nil || AlexaEnrollmentStatus(u) != EnrollmentPending {
			return err
		}
		now := s.now()
		if err := endInvitations(tx, u, now); err != nil {
			return err
		}
		u.Attrs.EnrollmentStatus, u.Attrs.EnrollmentInvitation = "", ""
		u.UpdatedAt = now
		return tx.UpdateUser(u)
	})
	return WithOp(op, err)
}

// PutAlexaInvitationConfig sets the caller's enrollment email template; the face has
// validated its shape.
func (s *Service) PutAlexaInvitationConfig(ctx context.Context, c Caller, cfg AlexaInvitationConfig) error {
	const op = "PutAlexaInvitationConfig"
	err := s.Store.Update(ctx, func(tx Tx) error {
		now := s.now()
		if err := ensureAlexaDirectory(tx, c.TenantID, now); err != nil {
			return err
		}
		d, err := tx.Directory(AlexaDirectoryID(c.TenantID))
		if err != nil {
			return err
		}
		d.Attrs.Invitation = &cfg
		d.UpdatedAt = now
		return tx.UpdateDirectory(d)
	})
	return WithOp(op, err)
}

// AlexaInvitationConfig returns the caller's enrollment email template; NotFound before
// the first PutAlexaInvitationConfig, as the model declares.
func (s *Service) AlexaInvitationConfig(ctx context.Context, c Caller) (*AlexaInvitationConfig, error) {
	var cfg *AlexaInvitationConfig
	err := s.Store.View(ctx, func(tx Tx) error {
		d, err := tx.Directory(AlexaDirectoryID(c.TenantID))
		if err != nil && !IsKind(err, NotFound) {
			return err
		}
		if d == nil || d.Attrs.Invitation == nil {
			return &Error{Kind: NotFound, Message: "No invitation configuration has been set for this account; call PutInvitationConfiguration first."}
		}
		cfg = d.Attrs.Invitation
		return nil
	})
	if err != nil {
		return nil, WithOp("AlexaInvitationConfig", err)
	}
	return cfg, nil
}

// alexaInvitationLive reports whether inv is the one invitation u's enrollment waits
// for: re-sent, revoked and completed enrollments kill their links.
func alexaInvitationLive(u *User, inv *Invitation) bool {
	return AlexaEnrollmentStatus(u) == EnrollmentPending && u.Attrs.EnrollmentInvitation == inv.ID
}

// alexaView is what the enrollment email shows from the account's configuration.
type alexaView struct {
	Organization, Contact string
	Skills                []string
}

func alexaInvitationView(d *Directory) *alexaView {
	v := &alexaView{Organization: "Your organization"}
	if cfg := d.Attrs.Invitation; cfg != nil {
		v.Organization, v.Contact, v.Skills = cfg.OrganizationName, cfg.ContactEmail, cfg.PrivateSkillIDs
	}
	return v
}

var alexaInvitationText = texttemplate.Must(texttemplate.New("text").Parse(`Hello {{.Name}},

{{.Alexa.Organization}} invites you to enroll in Alexa for Business, so you can use
its Alexa skills and devices at work. To enroll, open this link and accept:

{{.Link}}

The link works once and until {{.Expires}}.
{{- if .Alexa.Skills}}

Skills {{.Alexa.Organization}} recommends you enable:
{{- range .Alexa.Skills}}
  - {{.}}
{{- end}}
{{- end}}
{{- if .Alexa.Contact}}

Questions? Contact {{.Alexa.Contact}}.
{{- end}}

If you did not expect this invitation, you can ignore this message.
`))

var alexaInvitationHTML = template.Must(template.New("html").Parse(`<!doctype html>
<html lang="en"><body style="font-family:sans-serif;color:#1a1a1a">
<p>Hello {{.Name}},</p>
<p><strong>{{.Alexa.Organization}}</strong> invites you to enroll in Alexa for Business, so you can use its Alexa skills and devices at work.</p>
<p><a href="{{.Link}}" style="color:#0b57d0">Enroll</a></p>
<p>The link works once and until {{.Expires}}.</p>
{{- if .Alexa.Skills}}
<p>Skills {{.Alexa.Organization}} recommends you enable:</p>
<ul>{{range .Alexa.Skills}}<li>{{.}}</li>{{end}}</ul>
{{- end}}
{{- if .Alexa.Contact}}
<p>Questions? Contact <a href="mailto:{{.Alexa.Contact}}">{{.Alexa.Contact}}</a>.</p>
{{- end}}
<p>If you did not expect this invitation, you can ignore this message.</p>
</body></html>
`))

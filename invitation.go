package rollcall

import (
	"bytes"
	"html/template"
	"strings"
	texttemplate "text/template"
	"time"
)

// DefaultInvitationTTL is how long an invitation link works unless configured.
const DefaultInvitationTTL = 7 * 24 * time.Hour

// invite queues an invitation message for u and records the invitation, in tx. The link's
// token is random; only its hash is stored in the invitation. The message itself carries
// the link, as it must to be delivered.
func (s *Service) invite(tx Tx, d *Directory, u *User, now time.Time) (*Invitation, error) {
	ttl := s.InvitationTTL
	if ttl <= 0 {
		ttl = DefaultInvitationTTL
	}
	if u.Kind == DirAlexa {
		ttl = AlexaInvitationTTL
	}
	token, hash := s.newToken()
	inv := &Invitation{
		ID:          s.newUUID(),
		TokenHash:   hash,
		TenantID:    u.TenantID,
		DirectoryID: u.DirectoryID,
		UserID:      u.ID,
		ExpiresAt:   now.Add(ttl),
		CreatedAt:   now,
	}
	if err := tx.InsertInvitation(inv); err != nil {
		return nil, err
	}
	view := invitationView{
		Name:      u.DisplayName,
		Directory: d.Name,
		Link:      strings.TrimRight(s.PublicURL, "/") + "/invitations/" + token,
		Expires:   inv.ExpiresAt.Format("2 January 2006 15:04 MST"),
	}
	if view.Name == "" {
		view.Name = strings.TrimSpace(u.GivenName + " " + u.FamilyName)
	}
	if view.Name == "" {
		view.Name = u.Email
	}
	subject, textT, htmlT := "You have been invited to "+d.Name, invitationText, invitationHTML
	if u.Kind == DirAlexa {
		view.Alexa = alexaInvitationView(d)
		subject, textT, htmlT = view.Alexa.Organization+" invites you to enroll in Alexa for Business", alexaInvitationText, alexaInvitationHTML
	}
	m := &Message{
		ID:          s.newUUID(),
		TenantID:    u.TenantID,
		DirectoryID: u.DirectoryID,
		UserID:      u.ID,
		Kind:        "invitation",
		To:          u.Email,
		ToName:      view.Name,
		Subject:     subject,
		Status:      MessageQueued,
		NextAttempt: now,
		CreatedAt:   now,
	}
	var text, html bytes.Buffer
	if err := textT.Execute(&text, view); err != nil {
		return nil, err
	}
	if err := htmlT.Execute(&html, view); err != nil {
		return nil, err
	}
	m.TextBody, m.HTMLBody = text.String(), html.String()
	return inv, tx.InsertMessage(m)
}

type invitationView struct {
	Name, Directory, Link, Expires string
	Alexa                          *alexaView
}

var invitationText = texttemplate.Must(texttemplate.New("text").Parse(`Hello {{.Name}},

An account has been created for you in {{.Directory}}.
To choose your password and start using it, open this link:

{{.Link}}

The link works once and until {{.Expires}}.
If you did not expect this invitation, you can ignore this message.
`))

var invitationHTML = template.Must(template.New("html").Parse(`<!doctype html>
<html lang="en"><body style="font-family:sans-serif;color:#1a1a1a">
<p>Hello {{.Name}},</p>
<p>An account has been created for you in <strong>{{.Directory}}</strong>.</p>
<p><a href="{{.Link}}" style="color:#0b57d0">Choose your password</a></p>
<p>The link works once and until {{.Expires}}. If you did not expect this invitation, you can ignore this message.</p>
</body></html>
`))

package invite

import (
	"bytes"
	"context"
	"html/template"
	"strings"
	texttemplate "text/template"
	"time"

	"github.com/rollcall/rollcall"
)

// DefaultTTL is how long an invitation link works unless configured.
const DefaultTTL = 7 * 24 * time.Hour

// A Letter is one kind of invitation mail: how long its link works and what it says.
// The product that invites picks it; the words are this package's.
type Letter struct {
	ttl     time.Duration                                         // 0: the core's InvitationTTL (DefaultTTL when unset)
	compose func(d *rollcall.Directory, v *invitationView) string // fills the view's own parts; returns the subject
	text    *texttemplate.Template
	html    *template.Template
	plain   *plainLetter // the same bodies written without the templates; nil: none
}

// AccountLetter invites a person to an account (a Chime account, an Amazon Business
// account) and, where the account takes one, to choose a password.
var AccountLetter = Letter{
	compose: func(d *rollcall.Directory, _ *invitationView) string { return "You have been invited to " + d.Name },
	text:    invitationText,
	html:    invitationHTML,
	plain:   mustPlainLetter(accountText, accountHTML, invitationText, invitationHTML),
}

// Queue queues an invitation message for u, as letter l says, and records the
// invitation, in tx, with the core's clock, IDs and PublicURL. The link's token is
// random; only its hash is stored in the invitation. The message itself carries the
// link, as it must to be delivered, and the trace context of ctx (the request's), so
// that its sending is traced in the request's trace. Call core.NotifyMailQueued after
// the commit.
func Queue(ctx context.Context, core *rollcall.Service, tx rollcall.Tx, d *rollcall.Directory, u *rollcall.User, now time.Time, l Letter) (*rollcall.Invitation, error) {
	ttl := l.ttl
	if ttl <= 0 {
		ttl = core.InvitationTTL
	}
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	token, hash := core.NewToken()
	inv := &rollcall.Invitation{
		ID:          core.NewUUID(),
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
		Link:      strings.TrimRight(core.PublicURL, "/") + "/invitations/" + token,
		Expires:   inv.ExpiresAt.Format("2 January 2006 15:04 MST"),
	}
	if view.Name == "" {
		view.Name = strings.TrimSpace(u.GivenName + " " + u.FamilyName)
	}
	if view.Name == "" {
		view.Name = u.Email
	}
	m := &rollcall.Message{
		ID:          core.NewUUID(),
		TenantID:    u.TenantID,
		DirectoryID: u.DirectoryID,
		UserID:      u.ID,
		Kind:        "invitation",
		To:          u.Email,
		ToName:      view.Name,
		Subject:     l.compose(d, &view),
		Status:      rollcall.MessageQueued,
		NextAttempt: now,
		CreatedAt:   now,
	}
	m.TraceParent, m.TraceState = core.TraceOf(ctx)
	var err error
	if m.TextBody, m.HTMLBody, err = l.bodies(&view); err != nil {
		return nil, err
	}
	return inv, tx.InsertMessage(m)
}

// bodies writes the letter's text and HTML bodies for v.
func (l Letter) bodies(v *invitationView) (text, html string, err error) {
	if l.plain != nil && l.plain.fits(v) {
		return l.plain.text.write(v), l.plain.html.write(v), nil
	}
	var tb, hb bytes.Buffer
	if err := l.text.Execute(&tb, v); err != nil {
		return "", "", err
	}
	if err := l.html.Execute(&hb, v); err != nil {
		return "", "", err
	}
	return tb.String(), hb.String(), nil
}

type invitationView struct {
	Name, Directory, Link, Expires string
	Alexa                          *alexaView
}

var invitationText = texttemplate.Must(texttemplate.New("text").Parse(accountText))

var invitationHTML = template.Must(template.New("html").Parse(accountHTML))

// The account letter's templates.
const accountText = `Hello {{.Name}},

An account has been created for you in {{.Directory}}.
To choose your password and start using it, open this link:

{{.Link}}

The link works once and until {{.Expires}}.
If you did not expect this invitation, you can ignore this message.
`

const accountHTML = `<!doctype html>
<html lang="en"><body style="font-family:sans-serif;color:#1a1a1a">
<p>Hello {{.Name}},</p>
<p>An account has been created for you in <strong>{{.Directory}}</strong>.</p>
<p><a href="{{.Link}}" style="color:#0b57d0">Choose your password</a></p>
<p>The link works once and until {{.Expires}}. If you did not expect this invitation, you can ignore this message.</p>
</body></html>
`

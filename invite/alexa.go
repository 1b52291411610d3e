package invite

import (
	"html/template"
	texttemplate "text/template"
	"time"

	"github.com/rollcall/rollcall"
)

// AlexaTTL is how long an enrollment link works: the service documents 30 days.
const AlexaTTL = 30 * 24 * time.Hour

// EnrollmentLetter invites an Alexa for Business user to enroll, as the account's
// invitation configuration says (PutInvitationConfiguration; package alexa keeps it):
// organization ("" when not configured), contact email and recommended skills.
func EnrollmentLetter(organization, contact string, skills []string) Letter {
	v := &alexaView{Organization: organization, Contact: contact, Skills: skills}
	if v.Organization == "" {
		v.Organization = "Your organization"
	}
	return Letter{
		ttl: AlexaTTL,
		compose: func(_ *rollcall.Directory, iv *invitationView) string {
			iv.Alexa = v
			return v.Organization + " invites you to enroll in Alexa for Business"
		},
		text: alexaInvitationText,
		html: alexaInvitationHTML,
	}
}

// alexaView is what the enrollment email shows from the account's configuration.
type alexaView struct {
	Organization, Contact string
	Skills                []string
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

package invite

import (
	"html/template"
	"strings"
	texttemplate "text/template"
	"unicode/utf8"
)

// plainLetter writes a letter's bodies without its templates, for the views whose values
// no escaper changes (fits): the text between the templates' actions, and each action's
// value as it is. Executing html/template's escaped template was most of what queuing an
// invitation cost, inside the writer's transaction; written this way it is a copy.
type plainLetter struct{ text, html plainBody }

// plainBody is a template's source cut at its actions, each one {{.Name}},
// {{.Directory}}, {{.Link}} or {{.Expires}}: lits has one more piece than fields.
type plainBody struct {
	lits   []string
	fields []func(*invitationView) string
}

// viewFields are the actions a plainBody may hold.
var viewFields = map[string]func(*invitationView) string{
	"Name":      func(v *invitationView) string { return v.Name },
	"Directory": func(v *invitationView) string { return v.Directory },
	"Link":      func(v *invitationView) string { return v.Link },
	"Expires":   func(v *invitationView) string { return v.Expires },
}

// mustPlainLetter cuts the sources of text and html, and checks that the cut bodies
// write what the templates write (a value placed where html/template would escape it
// otherwise than in text, in a script or a URL, say, would differ); it panics if not.
func mustPlainLetter(textSrc, htmlSrc string, text *texttemplate.Template, html *template.Template) *plainLetter {
	p := &plainLetter{text: mustPlainBody(textSrc), html: mustPlainBody(htmlSrc)}
	v := &invitationView{Name: "Ada Lovelace", Directory: "Analytical Engines", Link: "https://rollcall.test/invitations/abc-DEF_123",
		Expires: "8 January 2027 10:00 UTC"}
	var tb, hb strings.Builder
	if text.Execute(&tb, v) != nil || html.Execute(&hb, v) != nil || tb.String() != p.text.write(v) || hb.String() != p.html.write(v) {
		panic("invite: a letter's plain bodies do not write what its templates write")
	}
	return p
}

func mustPlainBody(src string) plainBody {
	var b plainBody
	for {
		i := strings.Index(src, "{{")
		if i < 0 {
			b.lits = append(b.lits, src)
			return b
		}
		j := strings.Index(src[i:], "}}")
		name, ok := strings.CutPrefix(src[i+2:i+max(j, 2)], ".")
		f := viewFields[name]
		if j < 0 || !ok || f == nil {
			panic("invite: a plain letter's action is not one of the view's values: " + src[i:])
		}
		b.lits, b.fields = append(b.lits, src[:i]), append(b.fields, f)
		src = src[i+j+2:]
	}
}

// write writes the body for v.
func (b *plainBody) write(v *invitationView) string {
	n := 0
	for i, f := range b.fields {
		n += len(b.lits[i]) + len(f(v))
	}
	var s strings.Builder
	s.Grow(n + len(b.lits[len(b.fields)]))
	for i, f := range b.fields {
		s.WriteString(b.lits[i])
		s.WriteString(f(v))
	}
	s.WriteString(b.lits[len(b.fields)])
	return s.String()
}

// fits reports whether the templates would write v's values as they are: the link an
// http(s) URL of characters that neither URL normalizing nor HTML escaping change, the
// other values valid UTF-8 without a character that HTML escapes in text and quoted
// attributes (NUL " & ' + < >).
func (p *plainLetter) fits(v *invitationView) bool {
	return plainURL(v.Link) && plainText(v.Name) && plainText(v.Directory) && plainText(v.Expires)
}

func plainURL(s string) bool {
	rest, ok := strings.CutPrefix(s, "https://")
	if !ok {
		rest, ok = strings.CutPrefix(s, "http://")
	}
	if !ok {
		return false
	}
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', strings.IndexByte("-._~:/", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func plainText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsAny(s, "\x00\"&'+<>")
}

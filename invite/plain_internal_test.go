package invite

import (
	"bytes"
	"testing"
)

// viewCases are the values of invitation views: the usual ones, and ones the templates
// escape (which the account letter leaves to them).
var viewCases = []invitationView{
	{Name: "Ada Lovelace", Directory: "Analytical Engines", Link: "http://127.0.0.1:4566/invitations/q2Ls-_x9", Expires: "8 January 2027 10:00 UTC"},
	{Name: "Zoë Ünal 日本", Directory: "Ça va, Inc. (EU)", Link: "https://rollcall.example.com/base/invitations/AbC", Expires: "1 March 2027 00:00 CET"},
	{Name: "ada@example.com", Directory: "d", Link: "https://x.test/invitations/t", Expires: "e"},
	{Name: "O'Brien", Directory: "A & B", Link: "http://x.test/invitations/t", Expires: "e"},
	{Name: "<b>x</b>", Directory: `"quoted"`, Link: "http://x.test/invitations/t", Expires: "1+1"},
	{Name: "nul\x00", Directory: "bad \xff utf-8", Link: "http://x.test/invitations/t", Expires: "e"},
	{Name: "a", Directory: "d", Link: "javascript:alert(1)//invitations/t", Expires: "e"},
	{Name: "a", Directory: "d", Link: "http://x.test/a b?c=d&e=%41+f'g/invitations/t", Expires: "e"},
	{Name: "a", Directory: "d", Link: "HTTP://X.test/invitations/t", Expires: "e"},
	{Name: "a", Directory: "d", Link: "http://[::1]:8080/invitations/t", Expires: "e"},
}

// The account letter's bodies are the templates' bodies, whether it writes them itself
// or leaves them to the templates.
func TestPlainBodies(t *testing.T) {
	l := AccountLetter
	for i, v := range viewCases {
		text, html, err := l.bodies(&v)
		var tb, hb bytes.Buffer
		if err != nil || l.text.Execute(&tb, &v) != nil || l.html.Execute(&hb, &v) != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if text != tb.String() || html != hb.String() {
			t.Errorf("case %d (%q): plain %v\n%s\n%s\ntemplates:\n%s\n%s", i, v.Name, l.plain.fits(&v), text, html, tb.String(), hb.String())
		}
	}
	for i, want := range []bool{true, true, true, false, false, false, false, false, false, false} {
		if got := l.plain.fits(&viewCases[i]); got != want {
			t.Errorf("case %d: fits = %v, want %v", i, got, want)
		}
	}
}

// An account invitation's bodies cost an allocation each (they were written by the
// templates: html/template's escapers, reflection, dozens of allocations).
func TestPlainBodiesAllocs(t *testing.T) {
	v := viewCases[0]
	if n := testing.AllocsPerRun(100, func() { AccountLetter.bodies(&v) }); n > 2 {
		t.Errorf("%v allocations, want 2", n)
	}
}

package iam_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/iam"
)

// TestDenialMessage checks the wording against the examples of "Troubleshoot access denied
// error messages" (IAM User Guide, troubleshoot_access-denied.html).
func TestDenialMessage(t *testing.T) {
	const user = "arn:aws:iam::111122223333:user/dev"
	allowChime := mustParse(t, stmt("Allow", `"Action":"chime:*","Resource":"*"`))
	denyChime := mustParse(t, stmt("Deny", `"Action":"chime:CreateUser","Resource":"*"`))
	allowA4B := mustParse(t, stmt("Allow", `"Action":"a4b:*","Resource":"*"`))
	userRes := "arn:aws:a4b:us-east-1:111122223333:user/u-1"
	cases := []struct {
		name     string
		action   string
		resource string
		identity []*iam.Policy
		session  *iam.Policy
		want     string
	}{
		{"implicit, identity", "chime:CreateUser", "*", nil, nil,
			user + " is not authorized to perform: chime:CreateUser on resource: * because no identity-based policy allows the chime:CreateUser action"},
		{"explicit, identity", "chime:CreateUser", "*", []*iam.Policy{allowChime, denyChime}, nil,
			user + " is not authorized to perform: chime:CreateUser on resource: * with an explicit deny in an identity-based policy"},
		{"implicit, session", "a4b:DeleteUser", userRes, []*iam.Policy{allowA4B}, allowChime,
			user + " is not authorized to perform: a4b:DeleteUser on resource: " + userRes + " because no session policy allows the a4b:DeleteUser action"},
		{"explicit, session", "chime:CreateUser", "*", []*iam.Policy{allowChime}, denyChime,
			user + " is not authorized to perform: chime:CreateUser on resource: * with an explicit deny in a session policy"},
		{"no resource", "chime:CreateUser", "", nil, nil,
			user + " is not authorized to perform: chime:CreateUser because no identity-based policy allows the chime:CreateUser action"},
		{"allowed", "chime:CreateUser", "*", []*iam.Policy{allowChime}, nil, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := iam.Evaluate(&iam.Request{Action: tc.action, Resource: tc.resource}, tc.identity, tc.session)
			want := tc.want
			if want != "" {
				want = "User: " + want
			}
			if got := iam.DenialMessage(user, &d); got != want {
				t.Errorf("DenialMessage =\n%q\nwant\n%q", got, want)
			}
		})
	}
}

func TestReason(t *testing.T) {
	p := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Sid":"Ok","Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"NoDelete","Effect":"Deny","Action":"chime:Delete*","Resource":"*"}]}`)
	p.Name = "admins"
	d := iam.Evaluate(&iam.Request{Action: "chime:DeleteAccount", Resource: "*"}, []*iam.Policy{p}, nil)
	want := `chime:DeleteAccount on * is explicitly denied by identity-based policy admins, statement 1 (Sid "NoDelete")`
	if d.Reason() != want {
		t.Errorf("Reason = %q, want %q", d.Reason(), want)
	}
	d = iam.Evaluate(&iam.Request{Action: "chime:GetAccount", Resource: "*"}, []*iam.Policy{p}, nil)
	want = `chime:GetAccount on * is allowed by identity-based policy admins, statement 0 (Sid "Ok"), and no statement denies it`
	if d.Reason() != want {
		t.Errorf("Reason = %q, want %q", d.Reason(), want)
	}
}

func TestDecisionJSON(t *testing.T) {
	p := mustParse(t, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Sid":"NoChime","Effect":"Deny","Action":"chime:*","Resource":"*"}]}`)
	p.Name = "admins"
	d := iam.Evaluate(&iam.Request{Action: "chime:CreateUser", Resource: "*"}, []*iam.Policy{p}, nil)
	got, err := json.Marshal(&d)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"decision":"explicitDeny","policyType":"identity-based","action":"chime:CreateUser","resource":"*",` +
		`"statements":[{"policy":"admins","policyIndex":0,"statement":1,"sid":"NoChime","effect":"Deny","policyType":"identity-based"}],` +
		`"reason":"chime:CreateUser on * is explicitly denied by identity-based policy admins, statement 1 (Sid \"NoChime\")"}`
	if string(got) != want {
		t.Errorf("JSON\n%s\nwant\n%s", got, want)
	}
	d = iam.Evaluate(&iam.Request{Action: "workdocs:CreateUser", Resource: "*"}, nil, nil)
	got, _ = json.Marshal(&d)
	if !strings.Contains(string(got), `"decision":"implicitDeny"`) || !strings.Contains(string(got), `"statements":[]`) {
		t.Errorf("implicit deny JSON %s", got)
	}
}

package iam_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/iam"
)

// TestParseMalformed: every document IAM refuses with MalformedPolicyDocument is refused,
// with a message naming the problem (IAM's wording where it has one:
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html and the
// errors of PutUserPolicy).
func TestParseMalformed(t *testing.T) {
	ok := `"Effect":"Allow","Action":"chime:*","Resource":"*"`
	cases := []struct {
		name, doc, want string
		stmt            int
	}{
		{"not JSON", `{"Version":`, "Syntax errors in policy.", -1},
		{"not an object", `["Statement"]`, "Syntax errors in policy.", -1},
		{"trailing data", `{"Statement":{` + ok + `}} {}`, "Syntax errors in policy.", -1},
		{"empty", ``, "Syntax errors in policy.", -1},
		{"null", `null`, "Syntax errors in policy.", -1},
		{"unknown top-level element", `{"Version":"2012-10-17","Statment":{` + ok + `}}`, `unknown element "Statment"`, -1},
		{"lower-case element", `{"version":"2012-10-17","Statement":{` + ok + `}}`, `unknown element "version"`, -1},
		{"bad version", `{"Version":"2012-10-18","Statement":{` + ok + `}}`, "The policy failed legacy parsing", -1},
		{"version not a string", `{"Version":2012,"Statement":{` + ok + `}}`, "The policy failed legacy parsing", -1},
		{"no statement", `{"Version":"2012-10-17"}`, "Missing required field Statement", -1},
		{"empty statement list", `{"Version":"2012-10-17","Statement":[]}`, "Statement must not be empty", -1},
		{"statement a string", `{"Statement":"Allow"}`, "Statement must be an object or an array", -1},
		{"statement element unknown", `{"Statement":{` + ok + `,"Effects":"Allow"}}`, `unknown element "Effects"`, 0},
		{"missing effect", `{"Statement":{"Action":"chime:*","Resource":"*"}}`, "Missing required field Effect", 0},
		{"bad effect", `{"Statement":{"Effect":"allow","Action":"chime:*","Resource":"*"}}`, "Invalid effect", 0},
		{"effect not a string", `{"Statement":{"Effect":true,"Action":"chime:*","Resource":"*"}}`, "Invalid effect", 0},
		{"both Action and NotAction", `{"Statement":{` + ok + `,"NotAction":"chime:Get*"}}`, "cannot have both Action and NotAction", 0},
		{"neither Action nor NotAction", `{"Statement":{"Effect":"Allow","Resource":"*"}}`, "Missing required field Action", 0},
		{"both Resource and NotResource", `{"Statement":{` + ok + `,"NotResource":"*"}}`, "cannot have both Resource and NotResource", 0},
		{"no Resource", `{"Statement":{"Effect":"Allow","Action":"chime:*"}}`, "Missing required field Resource", 0},
		{"Principal in an identity policy", `{"Statement":{` + ok + `,"Principal":"*"}}`, "Has prohibited field Principal", 0},
		{"NotPrincipal", `{"Statement":{` + ok + `,"NotPrincipal":{"AWS":"*"}}}`, "Has prohibited field NotPrincipal", 0},
		{"action without vendor", `{"Statement":{"Effect":"Allow","Action":"CreateUser","Resource":"*"}}`, "must be prefaced by a vendor", 0},
		{"action with empty name", `{"Statement":{"Effect":"Allow","Action":"chime:","Resource":"*"}}`, "must be prefaced by a vendor", 0},
		{"empty action list", `{"Statement":{"Effect":"Allow","Action":[],"Resource":"*"}}`, "Action must not be empty", 0},
		{"empty action", `{"Statement":{"Effect":"Allow","Action":"","Resource":"*"}}`, "Action must not be empty", 0},
		{"action a number", `{"Statement":{"Effect":"Allow","Action":7,"Resource":"*"}}`, "Action must be a string or an array of strings", 0},
		{"action list with a number", `{"Statement":{"Effect":"Allow","Action":["chime:*",7],"Resource":"*"}}`, "Action must be a string or an array of strings", 0},
		{"resource not an ARN", `{"Statement":{"Effect":"Allow","Action":"chime:*","Resource":"user/dev"}}`, `Resource user/dev must be in ARN format or "*".`, 0},
		{"second statement bad", `{"Statement":[{` + ok + `},{"Effect":"Deny","Action":"chime:*"}]}`, "Missing required field Resource", 1},
		{"duplicate sid", `{"Statement":[{"Sid":"A",` + ok + `},{"Sid":"A",` + ok + `}]}`, "must be unique", 1},
		{"sid not alphanumeric", `{"Statement":{"Sid":"my sid",` + ok + `}}`, "must be alpha-numeric", 0},
		{"unknown operator", `{"Statement":{` + ok + `,"Condition":{"StringEqualz":{"aws:username":"dev"}}}}`, "Invalid Condition type : StringEqualz", 0},
		{"unknown set qualifier", `{"Statement":{` + ok + `,"Condition":{"ForSomeValues:StringEquals":{"aws:TagKeys":"a"}}}}`, "Invalid Condition type : ForSomeValues:StringEquals", 0},
		{"NullIfExists", `{"Statement":{` + ok + `,"Condition":{"NullIfExists":{"aws:TagKeys":"true"}}}}`, "Invalid Condition type : NullIfExists", 0},
		{"condition not an object", `{"Statement":{` + ok + `,"Condition":"StringEquals"}}`, "Condition must be an object", 0},
		{"operator not an object", `{"Statement":{` + ok + `,"Condition":{"StringEquals":"aws:username"}}}`, "must be an object of condition keys", 0},
		{"operator without keys", `{"Statement":{` + ok + `,"Condition":{"StringEquals":{}}}}`, "has no condition key", 0},
		{"condition key without vendor", `{"Statement":{` + ok + `,"Condition":{"StringEquals":{"username":"dev"}}}}`, "must be prefaced by a vendor", 0},
		{"condition value an object", `{"Statement":{` + ok + `,"Condition":{"StringEquals":{"aws:username":{"a":1}}}}}`, "a condition value must be", 0},
		{"condition value null", `{"Statement":{` + ok + `,"Condition":{"StringEquals":{"aws:username":null}}}}`, "a condition value must be", 0},
		{"condition values empty", `{"Statement":{` + ok + `,"Condition":{"StringEquals":{"aws:username":[]}}}}`, "at least one value", 0},
		{"numeric value", `{"Statement":{` + ok + `,"Condition":{"NumericLessThan":{"aws:MultiFactorAuthAge":"an hour"}}}}`, "Invalid numeric value", 0},
		{"date value", `{"Statement":{` + ok + `,"Condition":{"DateLessThan":{"aws:CurrentTime":"tomorrow"}}}}`, "Invalid date value", 0},
		{"bool value", `{"Statement":{` + ok + `,"Condition":{"Bool":{"aws:SecureTransport":"yes"}}}}`, "Invalid boolean value", 0},
		{"null value", `{"Statement":{` + ok + `,"Condition":{"Null":{"aws:TagKeys":"maybe"}}}}`, "Invalid boolean value", 0},
		{"cidr value", `{"Statement":{` + ok + `,"Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}}}}`, "Invalid IP address or CIDR", 0},
		{"binary value", `{"Statement":{` + ok + `,"Condition":{"BinaryEquals":{"rollcall:Blob":"not base64!"}}}}`, "Invalid base64 value", 0},
		{"too large", `{"Statement":{` + ok + `},"Id":"` + strings.Repeat("x", iam.MaxPolicySize) + `"}`, "Cannot exceed quota for PolicySize", -1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := iam.Parse([]byte(tc.doc))
			var m *iam.MalformedPolicyError
			if !errors.As(err, &m) {
				t.Fatalf("Parse = %v, %v; want a MalformedPolicyError", p, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if m.Statement != tc.stmt {
				t.Errorf("statement %d, want %d", m.Statement, tc.stmt)
			}
		})
	}
}

func TestParseAccepts(t *testing.T) {
	doc := `{
		"Version": "2012-10-17",
		"Id": "rollcall-admins",
		"Statement": [
			{"Sid": "Users", "Effect": "Allow", "Action": ["chime:*User*", "workdocs:*"], "Resource": "*"},
			{"Effect": "Deny", "NotAction": "a4b:Get*", "NotResource": ["arn:aws:a4b:*:111122223333:user/*"],
			 "Condition": {"ForAnyValue:StringLike": {"aws:TagKeys": ["adm*", 7, true]},
			               "NumericLessThanEqualsIfExists": {"aws:MultiFactorAuthAge": 3600.5},
			               "DateGreaterThan": {"aws:CurrentTime": ["2026-01-01", "2026-01-01T00:00:00Z", "1700000000"]},
			               "IpAddress": {"aws:SourceIp": ["10.0.0.1", "2001:db8::/32"]},
			               "Null": {"aws:RequestTag/team": false}}}
		]
	}`
	p, err := iam.Parse([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	if p.Version != iam.Version2012 || p.ID != "rollcall-admins" || len(p.Statements) != 2 {
		t.Fatalf("parsed %+v", p)
	}
	s0, s1 := p.Statements[0], p.Statements[1]
	if s0.Sid != "Users" || s0.Effect != iam.Allow || len(s0.Action) != 2 || s0.Resource[0] != "*" {
		t.Errorf("statement 0: %+v", s0)
	}
	if s1.Effect != iam.Deny || s1.NotAction[0] != "a4b:Get*" || s1.Action != nil || s1.NotResource == nil {
		t.Errorf("statement 1: %+v", s1)
	}
	// A single statement object, and no Version (read as 2008-10-17).
	p, err = iam.Parse([]byte(`{"Statement":{"Effect":"Deny","Action":"*","Resource":"*"}}`))
	if err != nil || p.Version != iam.Version2008 || len(p.Statements) != 1 {
		t.Fatalf("Parse = %+v, %v", p, err)
	}
}

// FuzzParse: the parser never panics, and what it accepts evaluates without panicking.
func FuzzParse(f *testing.F) {
	for _, tc := range evalCases() {
		for _, d := range tc.identity {
			f.Add(d)
		}
	}
	f.Add(`{"Statement":{"Effect":"Allow","Action":"a:${","Resource":"arn:${aws:username, 'x'}:${*}${?}${$}"}}`)
	f.Add(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"arn:::::::","Condition":{"ArnLike":{"a:b":"arn:*:${a:b}:*"}}}]}`)
	req := &iam.Request{Action: "chime:CreateUser", Resource: "arn:aws:a4b:us-east-1:111122223333:user/u-1"}
	req.Context.Set("aws:username", "dev")
	req.Context.Set("aws:TagKeys", "a", "b")
	req.Context.Set("aws:SourceIp", "10.1.2.3")
	req.Context.Set("aws:CurrentTime", "2026-11-30T12:00:00Z")
	f.Fuzz(func(t *testing.T, doc string) {
		p, err := iam.Parse([]byte(doc))
		if err != nil {
			var m *iam.MalformedPolicyError
			if !errors.As(err, &m) || m.Message == "" {
				t.Fatalf("error %v is not a MalformedPolicyError with a message", err)
			}
			return
		}
		d := iam.Evaluate(req, []*iam.Policy{p}, p)
		_ = d.Reason()
		_ = iam.DenialMessage("arn:aws:iam::111122223333:user/dev", &d)
	})
}

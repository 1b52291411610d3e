package iam_test

import (
	"testing"

	"github.com/rollcall/rollcall/iam"
)

// tenStatements is a realistic 10-statement policy: wildcards, NotAction, NotResource,
// conditions of several operators and a policy variable. The request below matches its
// last Allow, so every statement is examined (the Deny ones twice: deny pass and allow pass
// skip them by effect).
const tenStatements = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "DenyHTTP", "Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    {"Sid": "DenyOutside", "Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"NotIpAddress": {"aws:SourceIp": ["192.0.2.0/24", "2001:db8::/32"]}}},
    {"Sid": "DenyAdminTag", "Effect": "Deny", "Action": ["a4b:TagResource", "a4b:CreateUser"], "Resource": "*", "Condition": {"ForAnyValue:StringEquals": {"aws:TagKeys": ["admin", "root"]}}},
    {"Sid": "DenyOthers", "Effect": "Deny", "Action": "a4b:*", "NotResource": "arn:aws:a4b:*:111122223333:user/*"},
    {"Sid": "DenyLate", "Effect": "Deny", "Action": "chime:Delete*", "Resource": "*", "Condition": {"DateGreaterThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}},
    {"Sid": "WorkDocsRead", "Effect": "Allow", "Action": ["workdocs:Describe*", "workdocs:Get*"], "Resource": "*"},
    {"Sid": "ChimeUsers", "Effect": "Allow", "Action": ["chime:*User*", "chime:InviteUsers"], "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalAccount": "111122223333"}}},
    {"Sid": "NotIAM", "Effect": "Allow", "NotAction": ["iam:*", "sts:*"], "Resource": "arn:aws:s3:::reports/${aws:username}/*"},
    {"Sid": "OwnUser", "Effect": "Allow", "Action": "a4b:SendInvitation", "Resource": "arn:aws:a4b:*:111122223333:user/${aws:username}"},
    {"Sid": "A4BTeam", "Effect": "Allow", "Action": ["a4b:CreateUser", "a4b:TagResource"], "Resource": "arn:aws:a4b:*:111122223333:user/*",
     "Condition": {"StringEquals": {"aws:RequestTag/team": ["blue", "green"]}, "ForAllValues:StringLike": {"aws:TagKeys": ["team", "cost*"]}, "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::111122223333:user/*"}}}
  ]
}`

func benchRequest(tb testing.TB) *iam.Request {
	req := &iam.Request{Action: "a4b:CreateUser", Resource: "arn:aws:a4b:us-east-1:111122223333:user/u-1"}
	req.Context = iam.NewContext(iam.Principal{ARN: "arn:aws:iam::111122223333:user/dev", Account: "111122223333", UserID: "AIDAEXAMPLE"},
		iam.RequestInfo{Time: mustTime(tb, "2026-11-30T12:00:00Z"), SourceIP: mustAddr(tb, "192.0.2.10"), SecureTransport: true})
	req.Context.SetTags(map[string]string{"team": "blue", "costcenter": "7"})
	return req
}

func TestBenchPolicyAllows(t *testing.T) {
	p := mustParse(t, tenStatements)
	d := iam.Evaluate(benchRequest(t), []*iam.Policy{p}, nil)
	if !d.Allowed() || d.By()[0].Sid != "A4BTeam" {
		t.Fatalf("decision %v: %s", d.Outcome, d.Reason())
	}
	// The same request from outside the office is denied by DenyOutside.
	req := benchRequest(t)
	req.Context.Set("aws:SourceIp", "198.51.100.1")
	if d := iam.Evaluate(req, []*iam.Policy{p}, nil); d.Outcome != iam.ExplicitDeny || d.By()[0].Sid != "DenyOutside" {
		t.Fatalf("decision %v: %s", d.Outcome, d.Reason())
	}
}

// BenchmarkEvaluate: one request against a 10-statement policy parsed once, alone and
// with a session policy (temporary credentials).
func BenchmarkEvaluate(b *testing.B) {
	p := mustParse(b, tenStatements)
	session := mustParse(b, stmt("Allow", `"Action":["a4b:*","chime:*"],"Resource":"*"`))
	for _, bc := range []struct {
		name    string
		session *iam.Policy
	}{{"identity", nil}, {"withSession", session}} {
		b.Run(bc.name, func(b *testing.B) {
			policies := []*iam.Policy{p}
			req := benchRequest(b)
			b.ReportAllocs()
			for b.Loop() {
				if d := iam.Evaluate(req, policies, bc.session); !d.Allowed() {
					b.Fatal(d.Reason())
				}
			}
		})
	}
}

// BenchmarkParse: the cost of compiling the policy (paid once per policy change).
func BenchmarkParse(b *testing.B) {
	doc := []byte(tenStatements)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := iam.Parse(doc); err != nil {
			b.Fatal(err)
		}
	}
}

// TestEvaluateConcurrent: one parsed policy serves concurrent evaluations (run with -race).
func TestEvaluateConcurrent(t *testing.T) {
	p := mustParse(t, tenStatements)
	done := make(chan iam.Outcome)
	for i := 0; i < 4; i++ {
		go func() {
			req := benchRequest(t)
			var last iam.Outcome
			for j := 0; j < 200; j++ {
				last = iam.Evaluate(req, []*iam.Policy{p}, p).Outcome
			}
			done <- last
		}()
	}
	for i := 0; i < 4; i++ {
		if o := <-done; o != iam.Allowed {
			t.Errorf("outcome %v", o)
		}
	}
}

package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth"
	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/iam"
)

const (
	allowChime = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"chime:*","Resource":"*"}]}`
	allowA4B   = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a4b:*","Resource":"*"}]}`
	devUser    = "arn:aws:iam::" + rollcall.DevAccountID + ":user/dev"
)

func decide(tb testing.TB, s *iam.Subject, action string) iam.Outcome {
	tb.Helper()
	req := &iam.Request{Action: action, Resource: "*", Context: iam.NewContext(s.Principal, iam.RequestInfo{Time: time.Now()})}
	d := iam.Evaluate(req, s.Identity, s.Session)
	return d.Outcome
}

// TestPoliciesCache: a replica sees a change made elsewhere within PolicyTTL, parses the
// policies again only when the principal's version changed, and at once after Invalidate.
func TestPoliciesCache(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	svc := facetest.MustService(t, facetest.Options{Now: clock}).Service
	svc.Policies = auth.PolicyParser{}
	ctx := context.Background()
	caller := rollcall.Caller{TenantID: rollcall.DevAccountID, AccessKeyID: rollcall.DevAccessKeyID}
	a, b := auth.NewPolicies(svc, clock), auth.NewPolicies(svc, clock) // two replicas

	s, err := a.Subject(ctx, caller)
	if err != nil || !s.Unrestricted || s.Principal.ARN != "arn:aws:iam::"+rollcall.DevAccountID+":root" {
		t.Fatalf("a key without a principal: %+v, %v", s, err)
	}
	if _, err := svc.PutPolicy(ctx, devUser, "chime", allowChime); err != nil {
		t.Fatal(err)
	}
	if err := svc.AttachKey(ctx, rollcall.DevAccessKeyID, devUser); err != nil {
		t.Fatal(err)
	}
	if s, _ := a.Subject(ctx, caller); !s.Unrestricted {
		t.Fatal("within PolicyTTL, the cached subject should still serve")
	}
	now = now.Add(auth.PolicyTTL)
	s, err = a.Subject(ctx, caller)
	if err != nil || s.Unrestricted || s.Principal.ARN != devUser || decide(t, s, "chime:CreateUser") != iam.Allowed ||
		decide(t, s, "a4b:CreateUser") != iam.ImplicitDeny {
		t.Fatalf("after PolicyTTL: %+v, %v", s, err)
	}
	first := s.Identity[0]
	// Another key of the same principal shares its parsed policies.
	temp, err := auth.IssueSessionCredentials(ctx, svc, auth.SessionRequest{AccountID: rollcall.DevAccountID, Duration: time.Hour, Principal: devUser})
	if err != nil {
		t.Fatal(err)
	}
	if s2, err := a.Subject(ctx, rollcall.Caller{TenantID: rollcall.DevAccountID, AccessKeyID: temp.AccessKeyID}); err != nil || s2.Identity[0] != first {
		t.Fatalf("a second key of the principal parsed its policies again: %v", err)
	}

	// Nothing changed: read again after the TTL, but not parsed again.
	now = now.Add(auth.PolicyTTL)
	if s, _ := a.Subject(ctx, caller); s.Identity[0] != first {
		t.Fatal("the policies were parsed again although the version did not change")
	}
	// Changed through the other replica, which applies it at once after Invalidate.
	if _, err := svc.PutPolicy(ctx, devUser, "chime", allowA4B); err != nil {
		t.Fatal(err)
	}
	b.Invalidate()
	if s, _ := b.Subject(ctx, caller); decide(t, s, "a4b:CreateUser") != iam.Allowed || decide(t, s, "chime:CreateUser") != iam.ImplicitDeny {
		t.Fatalf("replica b after Invalidate: %+v", s)
	}
	now = now.Add(auth.PolicyTTL)
	if s, _ := a.Subject(ctx, caller); decide(t, s, "a4b:CreateUser") != iam.Allowed || s.Identity[0] == first {
		t.Fatalf("replica a after PolicyTTL: %+v", s)
	}

	// A deleted principal: its keys act for no one.
	if err := svc.DeletePrincipal(ctx, devUser); err != nil {
		t.Fatal(err)
	}
	now = now.Add(auth.PolicyTTL)
	if s, _ := a.Subject(ctx, caller); s.Unrestricted || decide(t, s, "chime:ListAccounts") != iam.ImplicitDeny {
		t.Fatalf("deleted principal: %+v", s)
	}
	// A principal without policies: full access.
	if _, err := svc.PutPrincipal(ctx, devUser); err != nil {
		t.Fatal(err)
	}
	now = now.Add(auth.PolicyTTL)
	if s, _ := a.Subject(ctx, caller); !s.Unrestricted {
		t.Fatalf("principal without policies: %+v", s)
	}
}

// TestSessionCredentials: a role session needs a name; the session policy is kept and
// narrows; a malformed one is refused with the parser's message.
func TestSessionCredentials(t *testing.T) {
	svc := facetest.MustService(t, facetest.Options{}).Service
	svc.Policies = auth.PolicyParser{}
	ctx := context.Background()
	role := "arn:aws:iam::" + rollcall.DevAccountID + ":role/ci"
	if _, err := svc.PutPolicy(ctx, role, "chime", allowChime); err != nil {
		t.Fatal(err)
	}
	req := auth.SessionRequest{AccountID: rollcall.DevAccountID, Duration: time.Hour, Principal: role}
	if _, err := auth.IssueSessionCredentials(ctx, svc, req); !rollcall.IsKind(err, rollcall.Invalid) {
		t.Fatalf("a role session without a name: %v", err)
	}
	req.SessionName, req.Policy = "run-1", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"chime:List*","Resource":"*"}]}`
	c, err := auth.IssueSessionCredentials(ctx, svc, req)
	if err != nil {
		t.Fatal(err)
	}
	s, err := auth.NewPolicies(svc, nil).Subject(ctx, rollcall.Caller{TenantID: rollcall.DevAccountID, AccessKeyID: c.AccessKeyID})
	if err != nil || s.Principal.ARN != "arn:aws:sts::"+rollcall.DevAccountID+":assumed-role/ci/run-1" || s.Session == nil ||
		decide(t, s, "chime:ListUsers") != iam.Allowed || decide(t, s, "chime:CreateUser") != iam.ImplicitDeny {
		t.Fatalf("session subject: %+v, %v", s, err)
	}
	req.Policy = `{"Statement":[{"Effect":"Allow","Action":"chime:*"}]}`
	_, perr := iam.Parse([]byte(req.Policy))
	if _, err := auth.IssueSessionCredentials(ctx, svc, req); !rollcall.IsKind(err, rollcall.Invalid) || rollcall.ErrorMessage(err) != "Session policy: "+perr.Error() {
		t.Fatalf("malformed session policy: %v (parser: %v)", err, perr)
	}
}

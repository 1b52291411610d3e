package awsx

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/iam"
)

// Subjects resolves an authenticated caller to its IAM subject (auth.Policies).
type Subjects interface {
	Subject(ctx context.Context, c rollcall.Caller) (*iam.Subject, error)
}

// Target is what an operation's request names for IAM: the identifiers its resource ARN
// is built from, the tags it sets (aws:RequestTag/*, aws:TagKeys) and, for an operation on
// an existing resource, a lookup of that resource's tags (aws:ResourceTag/*), called only
// when the operation supports the key.
type Target struct {
	IDs          iam.Identifiers
	RequestTags  map[string]string
	ResourceTags func() (map[string]string, error)
}

// TargetFunc reads op's Target from a request. It must not fail on a malformed body (the
// handler words that): it returns what it could read.
type TargetFunc func(r *http.Request, c rollcall.Caller, op string, body []byte) Target

// authorize evaluates the caller's IAM policies for op: nothing for a caller no policy
// restricts (or one without an access key: a WorkDocs Authentication token); else the
// operation's action on its resource, with the request's context keys. A denial is a
// Failure in the face's denial shape (iam.Services) with AWS's message.
func (p *Pipeline) authorize(r *http.Request, c rollcall.Caller, op string, body []byte) error {
	if p.IAM == nil || c.AccessKeyID == "" {
		return nil
	}
	s, err := p.IAM.Subject(r.Context(), c)
	if err != nil || s.Unrestricted {
		return err
	}
	o, ok := iam.Lookup(p.Name, op)
	if !ok {
		return &rollcall.Error{Kind: rollcall.Internal, Op: "Authorize", Message: "no IAM action for " + p.Name + "." + op}
	}
	var t Target
	if p.Target != nil {
		t = p.Target(r, c, op, body)
	}
	ids := t.IDs
	if ids.Region == "" {
		ids.Region = c.Region
	}
	if ids.Account == "" {
		ids.Account = c.TenantID
	}
	req := iam.Request{}
	req.Action, req.Resource = o.Authorize(ids)
	now := time.Now
	if p.Now != nil {
		now = p.Now
	}
	req.Context = iam.NewContext(s.Principal, iam.RequestInfo{Time: now(), SourceIP: sourceIP(r), SecureTransport: r.TLS != nil})
	if supports(o, "aws:RequestTag/") {
		req.Context.SetTags(t.RequestTags)
	}
	if supports(o, "aws:ResourceTag/") && t.ResourceTags != nil {
		tags, err := t.ResourceTags()
		if err != nil && !rollcall.IsKind(err, rollcall.NotFound) {
			return err
		}
		req.Context.SetResourceTags(tags)
	}
	d := iam.Evaluate(&req, s.Identity, s.Session)
	if d.Allowed() {
		return nil
	}
	deny := iam.Services[p.Name].Denial
	return &Failure{Status: deny.Status, Shape: deny.Shape, Message: iam.DenialMessage(s.Principal.ARN, &d), Cause: errors.New(d.Reason())}
}

func supports(o *iam.Operation, prefix string) bool {
	for _, k := range o.ConditionKeys {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// sourceIP is the address the request came from (aws:SourceIp).
func sourceIP(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a
}

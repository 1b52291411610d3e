package auth

import (
	"context"
	"sync"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/iam"
)

// PolicyParser checks policy documents with iam.Parse: the core's PolicyChecker.
type PolicyParser struct{}

// CheckPolicy returns the parser's *iam.MalformedPolicyError for a malformed document.
func (PolicyParser) CheckPolicy(doc []byte) error {
	_, err := iam.Parse(doc)
	return err
}

// PolicyTTL is how long a replica uses an access key's principal and policies without
// reading them again: a change made through another replica (or the store) takes effect
// within it. On reading, the principal's Version tells whether the parsed policies are
// still current, so they are parsed again only after a change. Changes made through this
// replica's admin API take effect at once (Invalidate).
const PolicyTTL = time.Second

// Policies resolves access keys to IAM subjects (the principal and its parsed
// policies), for the AWS pipeline (face/awsx), with a cache per key; a principal's parsed
// policies are shared by its keys (by principal and version).
type Policies struct {
	svc *rollcall.Service
	now func() time.Time

	mu      sync.Mutex
	keys    map[string]*subjectEntry
	parsed  map[string]parsedPolicies // by principal ARN
	reading flight[*subjectEntry]
}

type parsedPolicies struct {
	version  int64
	identity []*iam.Policy
}

type subjectEntry struct {
	subject  *iam.Subject
	arn      string // the principal whose policies these are ("" for none)
	version  int64
	session  string // the session policy's text
	loadedAt time.Time
}

// NewPolicies returns the resolver; now may be nil.
func NewPolicies(svc *rollcall.Service, now func() time.Time) *Policies {
	if now == nil {
		now = time.Now
	}
	p := &Policies{svc: svc, now: now, keys: map[string]*subjectEntry{}, parsed: map[string]parsedPolicies{}}
	svc.OnStateReplaced(p.Invalidate) // a reset or a restore: versions may repeat with other policies
	return p
}

// Invalidate forgets every cached subject: the next request of each key reads its
// principal again.
func (p *Policies) Invalidate() {
	p.mu.Lock()
	p.keys, p.parsed = map[string]*subjectEntry{}, map[string]parsedPolicies{}
	p.mu.Unlock()
}

// allowAll stands for the identity policies of a principal declared without any: full
// access to its own account (the pipeline keeps every caller to its own account).
var allowAll = func() *iam.Policy {
	pol, err := iam.Parse([]byte(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}`))
	if err != nil {
		panic(err)
	}
	pol.Name = "(no policy declared: full access)"
	return pol
}()

// Subject returns the caller's subject: its principal (the account's root when the key
// belongs to none), the principal's parsed policies and the key's session policy.
func (p *Policies) Subject(ctx context.Context, c rollcall.Caller) (*iam.Subject, error) {
	now := p.now()
	gen := p.svc.StateGeneration() // what was read before a reset or restore is not kept after it
	p.mu.Lock()
	e := p.keys[c.AccessKeyID]
	p.mu.Unlock()
	if e != nil && now.Sub(e.loadedAt) < PolicyTTL {
		return e.subject, nil
	}
	e, err := p.reading.do(ctx, flightKey{c.AccessKeyID, gen}, func() (*subjectEntry, error) { return p.load(ctx, c, e, gen, now) })
	if err != nil {
		return nil, err
	}
	return e.subject, nil
}

// load reads c's key and principal, makes its subject (or keeps old's, when neither
// changed) and caches it, unless the store's state was replaced since gen.
func (p *Policies) load(ctx context.Context, c rollcall.Caller, old *subjectEntry, gen uint64, now time.Time) (*subjectEntry, error) {
	e := old
	var key *rollcall.AccessKey
	var principal *rollcall.Principal
	err := p.svc.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		if key, err = tx.AccessKey(c.AccessKeyID); err != nil || key.PrincipalARN == "" {
			return err
		}
		principal, err = tx.Principal(key.PrincipalARN)
		if rollcall.IsKind(err, rollcall.NotFound) {
			return nil // deleted: the key acts for no one
		}
		return err
	})
	if err != nil {
		return nil, rollcall.WithOp("IAMSubject", err)
	}
	var version int64
	if principal != nil {
		version = principal.Version
	}
	if e != nil && e.arn == key.PrincipalARN && e.version == version && e.session == key.SessionPolicy {
		e = &subjectEntry{subject: e.subject, arn: e.arn, version: e.version, session: e.session, loadedAt: now}
	} else {
		s, err := subject(key, principal, func(pr *rollcall.Principal) ([]*iam.Policy, error) { return p.identity(pr, gen) })
		if err != nil {
			return nil, err
		}
		e = &subjectEntry{subject: s, arn: key.PrincipalARN, version: version, session: key.SessionPolicy, loadedAt: now}
	}
	p.mu.Lock()
	if len(p.keys) >= keyCacheMax {
		p.keys = map[string]*subjectEntry{}
	}
	if p.svc.StateGeneration() == gen {
		p.keys[c.AccessKeyID] = e
	}
	p.mu.Unlock()
	return e, nil
}

// subject parses the principal's policies and the key's session policy.
func subject(key *rollcall.AccessKey, principal *rollcall.Principal, identity func(*rollcall.Principal) ([]*iam.Policy, error)) (*iam.Subject, error) {
	s := &iam.Subject{Principal: iam.Principal{ARN: "arn:aws:iam::" + key.TenantID + ":root", Account: key.TenantID, UserID: key.TenantID}}
	if key.PrincipalARN != "" {
		s.Principal.ARN, s.Principal.UserID = key.PrincipalARN, key.ID
		if key.SessionName != "" {
			s.Principal.ARN = rollcall.SessionARN(key.PrincipalARN, key.SessionName)
		}
	}
	switch {
	case key.PrincipalARN == "" || principal != nil && len(principal.Policies) == 0:
		s.Identity = []*iam.Policy{allowAll}
	case principal == nil: // the key's principal was deleted: nothing allows it
		s.Identity = []*iam.Policy{}
	default:
		var err error
		if s.Identity, err = identity(principal); err != nil {
			return nil, err
		}
	}
	if key.SessionPolicy != "" {
		pol, err := iam.Parse([]byte(key.SessionPolicy))
		if err != nil {
			return nil, &rollcall.Error{Kind: rollcall.Internal, Op: "IAMSubject", Message: "session policy of " + key.ID + ": " + err.Error(), Err: err}
		}
		pol.Name = "session"
		s.Session = pol
	}
	s.Unrestricted = s.Session == nil && len(s.Identity) == 1 && s.Identity[0] == allowAll
	return s, nil
}

// identity returns the principal's parsed policies: those of another key of the same
// principal and version, else parsed now, and kept unless the state was replaced since
// generation gen.
func (p *Policies) identity(principal *rollcall.Principal, gen uint64) ([]*iam.Policy, error) {
	p.mu.Lock()
	c, ok := p.parsed[principal.ARN]
	p.mu.Unlock()
	if ok && c.version == principal.Version {
		return c.identity, nil
	}
	out := make([]*iam.Policy, 0, len(principal.Policies))
	for _, doc := range principal.Policies {
		pol, err := iam.Parse([]byte(doc.Document))
		if err != nil { // refused when put; a document changed behind rollcall's back
			return nil, &rollcall.Error{Kind: rollcall.Internal, Op: "IAMSubject", Message: "policy " + doc.Name + " of " + principal.ARN + ": " + err.Error(), Err: err}
		}
		pol.Name = doc.Name
		out = append(out, pol)
	}
	p.mu.Lock()
	if len(p.parsed) >= keyCacheMax {
		p.parsed = map[string]parsedPolicies{}
	}
	if p.svc.StateGeneration() == gen {
		p.parsed[principal.ARN] = parsedPolicies{version: principal.Version, identity: out}
	}
	p.mu.Unlock()
	return out, nil
}

// FullAccess is what a principal declared without policies is evaluated with (for the
// simulator): full access to its own account.
func FullAccess() []*iam.Policy { return []*iam.Policy{allowAll} }

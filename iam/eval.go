package iam

import (
	"fmt"
	"strings"
)

// Request is what a policy is evaluated against.
type Request struct {
	Action   string // service:Operation, e.g. chime:CreateUser
	Resource string // the resource's ARN, or "*" for an action without resource types
	Context  Context
}

// Outcome is the result of an evaluation.
type Outcome uint8

const (
	// ImplicitDeny: no statement allows the request (the default).
	ImplicitDeny Outcome = iota
	// ExplicitDeny: a Deny statement matches; nothing can override it.
	ExplicitDeny
	// Allowed: an Allow statement matches and no Deny does.
	Allowed
)

func (o Outcome) String() string {
	switch o {
	case Allowed:
		return "allowed"
	case ExplicitDeny:
		return "explicitDeny"
	}
	return "implicitDeny"
}

// PolicyType says which kind of policy decided.
type PolicyType uint8

const (
	IdentityPolicy PolicyType = iota
	SessionPolicy
)

// String is the policy type as AWS's denial messages name it.
func (t PolicyType) String() string { return policyTypeNames[t] }

var policyTypeNames = [...]string{IdentityPolicy: "identity-based", SessionPolicy: "session"}

// StatementRef names one statement of one policy.
type StatementRef struct {
	Type      PolicyType
	Policy    string // Policy.Name
	PolicyIdx int    // index among the identity policies (0 for the session policy)
	Index     int    // statement index in the policy
	Sid       string
	Effect    Effect
}

func (r StatementRef) String() string {
	name := r.Policy
	if name == "" {
		name = fmt.Sprintf("#%d", r.PolicyIdx)
	}
	sid := ""
	if r.Sid != "" {
		sid = fmt.Sprintf(" (Sid %q)", r.Sid)
	}
	return fmt.Sprintf("%s policy %s, statement %d%s", r.Type, name, r.Index, sid)
}

// Decision is the result of Evaluate, with what decided it.
type Decision struct {
	Outcome Outcome
	// Type is the kind of policy that decided: for an implicit deny, the kind that had no
	// Allow (identity-based first); for an explicit deny, the kind holding the Deny.
	Type PolicyType
	by   [2]StatementRef // kept in the value: Evaluate does not allocate
	nby  int
	// Action and Resource are the request's, for Reason and DenialMessage.
	Action, Resource string
}

// By are the statements that decided: the Deny for an explicit deny; the identity
// Allow (and the session Allow, when a session policy applies) for an allow; none for an
// implicit deny.
func (d *Decision) By() []StatementRef { return d.by[:d.nby] }

// Allowed reports whether the request is allowed.
func (d Decision) Allowed() bool { return d.Outcome == Allowed }

// Reason explains the decision in a sentence, for the simulator and the log.
func (d *Decision) Reason() string {
	switch d.Outcome {
	case Allowed:
		parts := make([]string, d.nby)
		for i, r := range d.By() {
			parts[i] = r.String()
		}
		return fmt.Sprintf("%s on %s is allowed by %s, and no statement denies it", d.Action, d.Resource, strings.Join(parts, " and "))
	case ExplicitDeny:
		return fmt.Sprintf("%s on %s is explicitly denied by %s", d.Action, d.Resource, d.by[0])
	}
	if d.Type == SessionPolicy {
		return fmt.Sprintf("%s on %s is implicitly denied: an identity-based policy allows it, but no statement of the session policy does", d.Action, d.Resource)
	}
	return fmt.Sprintf("%s on %s is implicitly denied: no statement of any identity-based policy allows it", d.Action, d.Resource)
}

// Evaluate decides a request against the principal's identity-based policies and, for
// temporary credentials, its session policy (nil when there is none), following "Policy
// evaluation logic" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html):
// an explicit Deny in any of them denies; otherwise the identity policies must allow and,
// when a session policy is given, so must it; otherwise the request is implicitly denied.
// Policies are read only, so one parsed policy may serve concurrent evaluations.
func Evaluate(req *Request, identity []*Policy, session *Policy) Decision {
	d := Decision{Action: req.Action, Resource: req.Resource}
	for pi, p := range identity {
		if ref, ok := find(req, p, pi, IdentityPolicy, Deny); ok {
			d.Outcome, d.Type, d.by[0], d.nby = ExplicitDeny, IdentityPolicy, ref, 1
			return d
		}
	}
	if session != nil {
		if ref, ok := find(req, session, 0, SessionPolicy, Deny); ok {
			d.Outcome, d.Type, d.by[0], d.nby = ExplicitDeny, SessionPolicy, ref, 1
			return d
		}
	}
	var allow StatementRef
	found := false
	for pi, p := range identity {
		if allow, found = find(req, p, pi, IdentityPolicy, Allow); found {
			break
		}
	}
	if !found {
		d.Outcome, d.Type = ImplicitDeny, IdentityPolicy
		return d
	}
	if session == nil {
		d.Outcome, d.by[0], d.nby = Allowed, allow, 1
		return d
	}
	sAllow, ok := find(req, session, 0, SessionPolicy, Allow)
	if !ok {
		d.Outcome, d.Type = ImplicitDeny, SessionPolicy
		return d
	}
	d.Outcome, d.by, d.nby = Allowed, [2]StatementRef{allow, sAllow}, 2
	return d
}

// find returns the first statement of p with effect e that applies to req.
func find(req *Request, p *Policy, pi int, t PolicyType, e Effect) (StatementRef, bool) {
	for i := range p.Statements {
		s := &p.Statements[i]
		if s.Effect == e && s.applies(req) {
			return StatementRef{Type: t, Policy: p.Name, PolicyIdx: pi, Index: i, Sid: s.Sid, Effect: e}, true
		}
	}
	return StatementRef{}, false
}

// applies reports whether the statement's action, resource and conditions all match.
func (s *Statement) applies(req *Request) bool {
	hit := false
	for i := range s.actions {
		if s.actions[i].match(req.Action) {
			hit = true
			break
		}
	}
	if hit == s.notAction {
		return false
	}
	hit = false
	for i := range s.resources {
		if s.resources[i].match(req.Resource, &req.Context) {
			hit = true
			break
		}
	}
	if hit == s.notRes {
		return false
	}
	for i := range s.conditions {
		if !s.conditions[i].eval(&req.Context) {
			return false
		}
	}
	return true
}

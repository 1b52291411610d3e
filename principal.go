package rollcall

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Principal is an IAM identity of an AWS account: a user (arn:aws:iam::ACCOUNT:user/NAME)
// or a role (arn:aws:iam::ACCOUNT:role/NAME), whose temporary credentials act as a role
// session (arn:aws:sts::ACCOUNT:assumed-role/NAME/SESSION). Access keys name the principal
// they belong to (AccessKey.PrincipalARN); the AWS faces evaluate its identity-based
// policies on every request. A principal without policies has full access to its own
// account (today's behaviour).
type Principal struct {
	ARN      string
	TenantID string   // the account: the ARN's account ID
	Policies []Policy // by Name
	// Version goes up by one at every change of the principal's policies, so that a
	// replica holding parsed policies can tell cheaply whether they are still current.
	Version   int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Policy is a named identity-based policy document (JSON, IAM's grammar), kept as given.
type Policy struct {
	Name     string `json:"name"`
	Document string `json:"document"`
}

// PolicyChecker parses a policy document and returns the parser's error for a malformed
// one (package iam; injected by cmd, as the core imports the standard library only).
type PolicyChecker interface {
	CheckPolicy(doc []byte) error
}

var (
	principalARNPattern = regexp.MustCompile(`^arn:aws:iam::([0-9]{12}):(user|role)/([\w+=,.@-]+/)*[\w+=,.@-]{1,64}$`)
	policyNamePattern   = regexp.MustCompile(`^[\w+=,.@-]{1,128}$`)
)

// ParsePrincipalARN returns the account of a user or role ARN, and whether it is a role.
func ParsePrincipalARN(arn string) (account string, role bool, err error) {
	m := principalARNPattern.FindStringSubmatch(arn)
	if m == nil {
		return "", false, &Error{Kind: Invalid, Field: "arn", Message: "The principal " + quote(arn) +
			" is not an IAM user or role ARN (arn:aws:iam::ACCOUNT:user/NAME or arn:aws:iam::ACCOUNT:role/NAME)."}
	}
	return m[1], m[2] == "role", nil
}

// SessionARN is the ARN a role's temporary credentials act as:
// arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION (the role's name without its path).
func SessionARN(roleARN, session string) string {
	account, _, _ := ParsePrincipalARN(roleARN)
	name := roleARN[strings.LastIndexByte(roleARN, '/')+1:]
	return "arn:aws:sts::" + account + ":assumed-role/" + name + "/" + session
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }

// CheckPolicy refuses a bad policy name, or a malformed document with the parser's
// message, as Invalid.
func (s *Service) CheckPolicy(name, doc string) error {
	if !policyNamePattern.MatchString(name) {
		return &Error{Kind: Invalid, Field: "policyName", Message: "The policy name " + quote(name) + " must be 1 to 128 letters, digits or +=,.@_-."}
	}
	if s.Policies == nil {
		return &Error{Kind: Internal, Message: "no policy parser is configured"}
	}
	if err := s.Policies.CheckPolicy([]byte(doc)); err != nil {
		return &Error{Kind: Invalid, Field: "policyDocument", Message: "Policy " + name + ": " + err.Error(), Err: err}
	}
	return nil
}

// Principals lists an account's principals, by ARN.
func (s *Service) Principals(ctx context.Context, accountID string) ([]*Principal, error) {
	return inTx(ctx, s.Store.View, "ListPrincipals", func(tx Tx) ([]*Principal, error) { return tx.Principals(accountID) })
}

// Principal returns one principal; NotFound when there is none.
func (s *Service) Principal(ctx context.Context, arn string) (*Principal, error) {
	return inTx(ctx, s.Store.View, "GetPrincipal", func(tx Tx) (*Principal, error) { return tx.Principal(arn) })
}

// PutPrincipal creates the principal when it is missing (its account must exist).
func (s *Service) PutPrincipal(ctx context.Context, arn string) (*Principal, error) {
	return inTx(ctx, s.Store.Update, "PutPrincipal", func(tx Tx) (*Principal, error) { return ensurePrincipal(tx, arn, s.now()) })
}

// inTx runs fn in a transaction of run (Store.View or Store.Update) and returns what it
// returned, its error named op.
func inTx[T any](ctx context.Context, run func(context.Context, func(Tx) error) error, op string, fn func(Tx) (T, error)) (T, error) {
	var out T
	err := run(ctx, func(tx Tx) (err error) {
		out, err = fn(tx)
		return err
	})
	return out, WithOp(op, err)
}

// DeletePrincipal deletes a principal and its policies; NotFound when there is none.
// Keys still attached to it act for no one: every request they sign is denied until
// they are attached to another principal or detached.
func (s *Service) DeletePrincipal(ctx context.Context, arn string) error {
	return WithOp("DeletePrincipal", s.Store.Update(ctx, func(tx Tx) error { return tx.DeletePrincipal(arn) }))
}

// PutPolicy adds the named policy to a principal (creating the principal when missing), or
// replaces the document of the policy with that name. A malformed document is Invalid,
// with the parser's message, and changes nothing.
func (s *Service) PutPolicy(ctx context.Context, arn, name, doc string) (*Principal, error) {
	if err := s.CheckPolicy(name, doc); err != nil {
		return nil, WithOp("PutPolicy", err)
	}
	return inTx(ctx, s.Store.Update, "PutPolicy", func(tx Tx) (*Principal, error) {
		return PutPolicies(tx, arn, []Policy{{Name: name, Document: doc}}, s.now())
	})
}

// DeletePolicy removes a principal's named policy; NotFound when it has none by that name.
func (s *Service) DeletePolicy(ctx context.Context, arn, name string) (*Principal, error) {
	return inTx(ctx, s.Store.Update, "DeletePolicy", func(tx Tx) (*Principal, error) {
		p, err := tx.Principal(arn)
		if err != nil {
			return nil, err
		}
		i := slices.IndexFunc(p.Policies, func(q Policy) bool { return q.Name == name })
		if i < 0 {
			return nil, &Error{Kind: NotFound, Message: "The principal " + arn + " has no policy " + quote(name) + "."}
		}
		p.Policies = slices.Delete(p.Policies, i, i+1)
		p.Version++
		p.UpdatedAt = s.now()
		return p, tx.PutPrincipal(p)
	})
}

// AttachKey makes a long-term access key belong to a principal of the key's own account;
// an empty arn detaches it (the key then acts as its account, with full access).
func (s *Service) AttachKey(ctx context.Context, keyID, arn string) error {
	return WithOp("AttachKey", s.Store.Update(ctx, func(tx Tx) error {
		k, err := tx.AccessKey(keyID)
		if err != nil {
			return err
		}
		if arn != "" {
			p, err := tx.Principal(arn)
			if err != nil {
				return err
			}
			if p.TenantID != k.TenantID {
				return &Error{Kind: Invalid, Field: "principal", Message: "The access key " + keyID + " belongs to another account than " + arn + "."}
			}
		}
		k.PrincipalARN = arn
		return tx.PutAccessKey(k)
	}))
}

// ensurePrincipal returns the principal, creating it (without policies) when missing.
func ensurePrincipal(tx Tx, arn string, now time.Time) (*Principal, error) {
	account, _, err := ParsePrincipalARN(arn)
	if err != nil {
		return nil, err
	}
	p, err := tx.Principal(arn)
	if err == nil || !IsKind(err, NotFound) {
		return p, err
	}
	t, err := tx.Tenant(account)
	if IsKind(err, NotFound) || (err == nil && t.Kind != TenantAWS) {
		return nil, &Error{Kind: NotFound, Field: "arn", Message: "No AWS account " + account + "."}
	} else if err != nil {
		return nil, err
	}
	p = &Principal{ARN: arn, TenantID: account, Version: 1, CreatedAt: now, UpdatedAt: now}
	return p, tx.PutPrincipal(p)
}

// PutPolicies sets the given policies (by name) on the principal, creating it when
// missing; the version goes up only when something changed.
func PutPolicies(tx Tx, arn string, policies []Policy, now time.Time) (*Principal, error) {
	p, err := ensurePrincipal(tx, arn, now)
	if err != nil {
		return nil, err
	}
	changed := false
	for _, q := range policies {
		i := slices.IndexFunc(p.Policies, func(o Policy) bool { return o.Name == q.Name })
		switch {
		case i < 0:
			p.Policies = append(p.Policies, q)
		case p.Policies[i].Document != q.Document:
			p.Policies[i] = q
		default:
			continue
		}
		changed = true
	}
	if !changed {
		return p, nil
	}
	slices.SortFunc(p.Policies, func(a, b Policy) int { return strings.Compare(a.Name, b.Name) })
	p.Version++
	p.UpdatedAt = now
	return p, tx.PutPrincipal(p)
}

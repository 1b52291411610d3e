package operator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rollcall/rollcall"
)

// SeedPrincipal is an IAM user or role of the account with its identity-based policies.
// Applying the seed adds or replaces the policies it names; it removes none.
type SeedPrincipal struct {
	ARN      string       `json:"arn"`
	Policies []SeedPolicy `json:"policies,omitempty"`
}

// SeedPolicy is a named policy; Document is the policy as JSON, or a string holding it.
type SeedPolicy struct {
	Name     string          `json:"name"`
	Document json.RawMessage `json:"document"`
}

// text returns the document as stored: a JSON string's content, or the JSON itself.
func (p SeedPolicy) text() string {
	var s string
	if json.Unmarshal(p.Document, &s) == nil {
		return s
	}
	var b bytes.Buffer
	if json.Compact(&b, p.Document) != nil {
		return string(p.Document)
	}
	return b.String()
}

// checkSeedPolicies refuses principals of another account and malformed policies, with
// the parser's message, before anything is written.
func (s *Service) checkSeedPolicies(sd Seed) error {
	for _, a := range sd.Accounts {
		for _, p := range a.Principals {
			account, _, err := rollcall.ParsePrincipalARN(p.ARN)
			if err != nil {
				return fmt.Errorf("account %s: %s", a.ID, rollcall.ErrorMessage(err))
			}
			if account != a.ID {
				return fmt.Errorf("account %s: principal %s is of account %s", a.ID, p.ARN, account)
			}
			for _, q := range p.Policies {
				if err := s.Core.CheckPolicy(q.Name, q.text()); err != nil {
					return fmt.Errorf("principal %s: %s", p.ARN, rollcall.ErrorMessage(err))
				}
			}
		}
	}
	return nil
}

// applyPrincipals puts the account's principals and their policies.
func applyPrincipals(tx rollcall.Tx, a SeedAccount, now time.Time) error {
	for _, p := range a.Principals {
		policies := make([]rollcall.Policy, 0, len(p.Policies))
		for _, q := range p.Policies {
			policies = append(policies, rollcall.Policy{Name: q.Name, Document: q.text()})
		}
		if _, err := rollcall.PutPolicies(tx, p.ARN, policies, now); err != nil {
			return err
		}
	}
	return nil
}

// seedKeyPrincipal is the principal a seeded key is put with: the one the seed names,
// else the one the key has (attached through the admin API), so a restart keeps it.
func seedKeyPrincipal(tx rollcall.Tx, accountID string, k SeedAccessKey) (string, error) {
	if k.Principal != "" {
		p, err := tx.Principal(k.Principal)
		if rollcall.IsKind(err, rollcall.NotFound) || (err == nil && p.TenantID != accountID) {
			return "", rollcall.Errorf(rollcall.Invalid, "access key %s: principal %s is not declared in account %s", k.ID, k.Principal, accountID)
		}
		return k.Principal, err
	}
	old, err := tx.AccessKey(k.ID)
	if rollcall.IsKind(err, rollcall.NotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return old.PrincipalARN, nil
}

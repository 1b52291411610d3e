package operator

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/chime"
)

// Seed declares tenants and what they own. Apply creates what is missing and updates
// what differs, so the same seed can be applied at every start.
type Seed struct {
	Accounts   []SeedAccount  `json:"accounts,omitempty"`
	Businesses []SeedBusiness `json:"businesses,omitempty"`
}

// SeedAccount is an AWS account with its access keys, Chime accounts and WorkDocs
// organizations.
type SeedAccount struct {
	ID                    string             `json:"id"`
	Name                  string             `json:"name,omitempty"`
	AccessKeys            []SeedAccessKey    `json:"accessKeys,omitempty"`
	ChimeAccounts         []SeedChimeAccount `json:"chimeAccounts,omitempty"`
	WorkDocsOrganizations []SeedOrganization `json:"workDocsOrganizations,omitempty"`
	Principals            []SeedPrincipal    `json:"principals,omitempty"` // IAM users and roles (principal_seed.go)
}

// SeedAccessKey is a long-term AWS access key.
type SeedAccessKey struct {
	ID        string `json:"id"`
	Secret    string `json:"secret"`
	Principal string `json:"principal,omitempty"` // the ARN of one of the account's principals
}

// SeedChimeAccount is a Chime account. Type is one of chime.AccountTypes (Team when
// empty, what CreateAccount makes); Status is Active (when empty) or Suspended.
type SeedChimeAccount struct {
	ID             string `json:"id"`
	Name           string `json:"name"`
	DefaultLicense string `json:"defaultLicense,omitempty"`
	Type           string `json:"type,omitempty"`
	Status         string `json:"status,omitempty"`
}

// SeedOrganization is a WorkDocs organization with the users it starts with (typically
// its administrators, for whom the admin API issues Authentication tokens).
type SeedOrganization struct {
	ID    string             `json:"id"`
	Name  string             `json:"name,omitempty"`
	Users []SeedWorkDocsUser `json:"users,omitempty"`
}

// SeedWorkDocsUser is a WorkDocs user; created once, never overwritten. It has no
// password: it acts through Authentication tokens.
type SeedWorkDocsUser struct {
	Username  string `json:"username"`
	GivenName string `json:"givenName,omitempty"`
	Surname   string `json:"surname,omitempty"`
	Email     string `json:"email,omitempty"`
	Admin     bool   `json:"admin,omitempty"`
}

// SeedBusiness is an Amazon Business account with its groups, defaults, login client and
// long-lived access tokens.
type SeedBusiness struct {
	ID            string      `json:"id"`
	Name          string      `json:"name,omitempty"`
	Groups        []SeedGroup `json:"groups,omitempty"`
	DefaultGroup  string      `json:"defaultGroup,omitempty"` // a group's ID
	DefaultRole   string      `json:"defaultRole,omitempty"`
	ClientID      string      `json:"clientId,omitempty"`
	ClientSecret  string      `json:"clientSecret,omitempty"`  // stored as SHA-256 only
	AccessTokens  []string    `json:"accessTokens,omitempty"`  // stored as SHA-256 only; never expire
	RefreshTokens []string    `json:"refreshTokens,omitempty"` // for the refresh_token grant; SHA-256 only
}

// SeedGroup is a business group.
type SeedGroup struct {
	ID   string `json:"id"`
	Tag  string `json:"tag,omitempty"`
	Name string `json:"name,omitempty"`
}

// DevSeed is the out-of-the-box configuration: one AWS account with the access key
// test/test and a WorkDocs organization, and one business with one group, default role
// Requisitioner and a fixed access token.
func DevSeed() Seed {
	return Seed{
		Accounts: []SeedAccount{{
			ID:         rollcall.DevAccountID,
			Name:       "rollcall dev account",
			AccessKeys: []SeedAccessKey{{ID: rollcall.DevAccessKeyID, Secret: rollcall.DevSecretKey}},
			WorkDocsOrganizations: []SeedOrganization{{ID: rollcall.DevOrganizationID, Name: "rollcall dev organization",
				Users: []SeedWorkDocsUser{{Username: rollcall.DevWorkDocsAdmin, GivenName: "Dev", Surname: "Admin", Admin: true}}}},
		}},
		Businesses: []SeedBusiness{{
			ID:            rollcall.DevBusinessID,
			Name:          "rollcall dev business",
			Groups:        []SeedGroup{{ID: rollcall.DevGroupID, Tag: "default", Name: "Default group"}},
			DefaultGroup:  rollcall.DevGroupID,
			DefaultRole:   "Requisitioner",
			ClientID:      rollcall.DevClientID,
			ClientSecret:  rollcall.DevClientSecret,
			AccessTokens:  []string{rollcall.DevAccessToken},
			RefreshTokens: []string{rollcall.DevRefreshToken},
		}},
	}
}

var (
	accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)
	businessRoles    = map[string]bool{"Requisitioner": true, "PunchoutUser": true, "Administrator": true, "Finance": true, "Tech": true}
)

// Validate reports the first thing wrong with the seed.
func (sd Seed) Validate() error {
	for _, a := range sd.Accounts {
		if !accountIDPattern.MatchString(a.ID) {
			return fmt.Errorf("account %q: an AWS account ID is 12 digits", a.ID)
		}
		for _, k := range a.AccessKeys {
			if k.ID == "" || k.Secret == "" {
				return fmt.Errorf("account %s: an access key needs an id and a secret", a.ID)
			}
		}
		for _, c := range a.ChimeAccounts {
			if c.ID == "" || c.Name == "" {
				return fmt.Errorf("account %s: a Chime account needs an id and a name", a.ID)
			}
			if c.Type != "" && !slices.Contains(chime.AccountTypes, c.Type) {
				return fmt.Errorf("Chime account %s: type %q is not one of %s", c.ID, c.Type, strings.Join(chime.AccountTypes, ", "))
			}
			if c.Status != "" && c.Status != chime.Active && c.Status != chime.Suspended {
				return fmt.Errorf("Chime account %s: status %q is not Active or Suspended", c.ID, c.Status)
			}
		}
		for _, o := range a.WorkDocsOrganizations {
			if o.ID == "" {
				return fmt.Errorf("account %s: a WorkDocs organization needs an id", a.ID)
			}
			for _, u := range o.Users {
				if u.Username == "" {
					return fmt.Errorf("organization %s: a user needs a username", o.ID)
				}
			}
		}
	}
	for _, b := range sd.Businesses {
		if b.ID == "" {
			return fmt.Errorf("a business needs an id")
		}
		if b.DefaultRole != "" && !businessRoles[b.DefaultRole] {
			return fmt.Errorf("business %s: defaultRole %q is not one of Requisitioner, PunchoutUser, Administrator, Finance, Tech", b.ID, b.DefaultRole)
		}
		found := b.DefaultGroup == ""
		for _, g := range b.Groups {
			if g.ID == "" {
				return fmt.Errorf("business %s: a group needs an id", b.ID)
			}
			found = found || g.ID == b.DefaultGroup
		}
		if !found {
			return fmt.Errorf("business %s: defaultGroup %q is not one of its groups", b.ID, b.DefaultGroup)
		}
		if (b.ClientID == "") != (b.ClientSecret == "") {
			return fmt.Errorf("business %s: clientId and clientSecret go together", b.ID)
		}
	}
	return nil
}

// Apply creates or updates everything the seed declares, in one transaction.
func (s *Service) Apply(ctx context.Context, sd Seed) error {
	if err := sd.Validate(); err != nil {
		return &rollcall.Error{Kind: rollcall.Invalid, Op: "ApplySeed", Message: err.Error()}
	}
	if err := s.checkSeedPolicies(sd); err != nil {
		return &rollcall.Error{Kind: rollcall.Invalid, Op: "ApplySeed", Message: err.Error()}
	}
	now := s.Core.Time()
	err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) error { return s.apply(tx, sd, "", now) })
	return rollcall.WithOp("ApplySeed", err)
}

// apply applies what sd declares, or, with tenant set, what it declares of that tenant.
func (s *Service) apply(tx rollcall.Tx, sd Seed, tenant string, now time.Time) error {
	for _, a := range sd.Accounts {
		if tenant == "" || a.ID == tenant {
			if err := applyAccount(tx, a, now, s.Core.NewUUID); err != nil {
				return err
			}
		}
	}
	for _, b := range sd.Businesses {
		if tenant == "" || b.ID == tenant {
			if err := applyBusiness(tx, b, now); err != nil {
				return err
			}
		}
	}
	return nil
}

package chime

import (
	"context"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
)

// Chime account values.
const (
	Active    = "Active"    // an account's or a user's status (AccountStatus; a user not Suspended)
	Basic     = "Basic"     // a license
	Pro       = "Pro"       // a license, the default of the accounts CreateAccount makes
	Suspended = "Suspended" // an account's or a user's status, and a user's RegistrationStatus
)

// Licenses are the licenses of the accounts rollcall makes (CreateAccount, the seed).
var Licenses = []string{Basic, Pro}

// Chime account types (the model's AccountType). CreateAccount makes Team accounts; the
// seed may declare the others.
const (
	Team                = "Team"
	EnterpriseDirectory = "EnterpriseDirectory"
	EnterpriseLWA       = "EnterpriseLWA"
	EnterpriseOIDC      = "EnterpriseOIDC"
)

// AccountTypes lists the model's AccountType values.
var AccountTypes = []string{Team, EnterpriseDirectory, EnterpriseLWA, EnterpriseOIDC}

// CreateAccountInput is what CreateAccount takes.
type CreateAccountInput struct {
	Name string
}

// CreateAccount creates a Team account with the Pro license as its default, as
// Amazon Chime does.
func (s *Service) CreateAccount(ctx context.Context, c rollcall.Caller, in CreateAccountInput) (*Account, error) {
	now := s.Core.Time()
	d := &Account{Directory: &rollcall.Directory{
		ID:        s.Core.NewUUID(),
		TenantID:  c.TenantID,
		Kind:      rollcall.DirChime,
		Name:      in.Name,
		CreatedAt: now,
		UpdatedAt: now,
	}, Attrs: AccountAttrs{
		AccountType:       Team,
		AccountStatus:     Active,
		DefaultLicense:    Pro,
		SupportedLicenses: []string{"Basic", Pro},
	}}
	err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) error { return tx.InsertDirectory(d.put()) })
	return d, rollcall.WithOp("CreateChimeAccount", err)
}

// inAccount runs fn in a write transaction on one of the caller's accounts, with the
// time of the change.
func (s *Service) inAccount(ctx context.Context, c rollcall.Caller, accountID string, fn func(rollcall.Tx, *Account, time.Time) error) error {
	return s.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
		d, err := account(tx, c, accountID)
		if err != nil {
			return err
		}
		return fn(tx, d, s.Core.Time())
	})
}

// account loads one of the caller's Chime accounts, with its settings.
func account(tx rollcall.Tx, c rollcall.Caller, id string) (*Account, error) {
	d, err := rollcall.DirectoryOf(tx, c, id, rollcall.DirChime, accountNotFound)
	if err != nil {
		return nil, err
	}
	return AccountOf(d)
}

// Account returns one of the caller's Chime accounts.
func (s *Service) Account(ctx context.Context, c rollcall.Caller, id string) (*Account, error) {
	var d *Account
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		d, err = account(tx, c, id)
		return err
	})
	return d, rollcall.WithOp("GetChimeAccount", err)
}

// ListAccountsInput filters and pages ListAccounts.
type ListAccountsInput struct {
	Name      string // account name prefix, when set
	UserEmail string // accounts that have a user with this email, when set
	After     string // account ID the previous page ended with
	Limit     int
}

// ListAccounts returns a page of the caller's Chime accounts, ordered by ID, and
// whether more follow.
func (s *Service) ListAccounts(ctx context.Context, c rollcall.Caller, in ListAccountsInput) ([]*Account, bool, error) {
	var out []*Account
	more := false
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) error {
		after := in.After
		for {
			batch, err := accountsPage(tx, c.TenantID, in.Name, after)
			if err != nil {
				return err
			}
			for _, d := range batch {
				ok, err := chimeAccountMatches(tx, d, in)
				if err != nil {
					return err
				}
				if !ok {
					continue
				}
				if in.Limit > 0 && len(out) == in.Limit {
					more = true
					return nil
				}
				a, err := AccountOf(d)
				if err != nil {
					return err
				}
				out = append(out, a)
			}
			if len(batch) < 100 {
				return nil
			}
			after = batch[len(batch)-1].ID
		}
	})
	return out, more, rollcall.WithOp("ListChimeAccounts", err)
}

// accountsPage reads the next 100 of the tenant's Chime accounts by ID; with a Name,
// only those whose name begins with it, from the store's name index.
func accountsPage(tx rollcall.Tx, tenantID, name, after string) ([]*rollcall.Directory, error) {
	if name != "" {
		return tx.DirectoriesNamed(tenantID, rollcall.DirChime, name, after, 100)
	}
	return tx.Directories(tenantID, rollcall.DirChime, after, 100)
}

func chimeAccountMatches(tx rollcall.Tx, d *rollcall.Directory, in ListAccountsInput) (bool, error) {
	if in.UserEmail != "" {
		_, err := tx.UserByKey(d.ID, strings.ToLower(in.UserEmail))
		if rollcall.IsKind(err, rollcall.NotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
	return true, nil
}

// DeleteAccount deletes one of the caller's Chime accounts and its users. A Team
// account must have no user left that is not suspended (Conflict,
// rollcall.ReasonNotEmpty), and then nothing is deleted.
func (s *Service) DeleteAccount(ctx context.Context, c rollcall.Caller, id string) error {
	err := s.inAccount(ctx, c, id, func(tx rollcall.Tx, d *Account, _ time.Time) error {
		if d.Attrs.AccountType == Team {
			active, err := tx.Users(rollcall.UserQuery{DirectoryID: id, Kind: rollcall.DirChime, Statuses: []string{Active}, Limit: 1})
			if err != nil {
				return err
			}
			if len(active) > 0 {
				return usersNotSuspended(id, active[0].ID)
			}
		}
		return rollcall.DeleteDirectory(tx, id)
	})
	return rollcall.WithOp("DeleteChimeAccount", err)
}

// UpdateAccount renames an account or changes its default license; nil leaves a
// member as it is.
func (s *Service) UpdateAccount(ctx context.Context, c rollcall.Caller, accountID string, name, defaultLicense *string) (*Account, error) {
	var d *Account
	err := s.inAccount(ctx, c, accountID, func(tx rollcall.Tx, got *Account, now time.Time) error {
		if name != nil {
			got.Name = *name
		}
		if l := defaultLicense; l != nil {
			if err := checkLicense(got, "DefaultLicense", *l); err != nil {
				return err
			}
			got.Attrs.DefaultLicense = *l
		}
		got.UpdatedAt = now
		d = got
		return tx.UpdateDirectory(got.put())
	})
	if err != nil {
		return nil, rollcall.WithOp("UpdateChimeAccount", err)
	}
	return d, nil
}

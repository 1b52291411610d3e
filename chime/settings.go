package chime

import (
	"context"
	"slices"
	"time"

	"github.com/rollcall/rollcall"
)

// Chime user and account settings, and sign-in delegate groups.

// UserTelephony is u's telephony settings, the defaults when never set.
func UserTelephony(u *User) Telephony {
	if u.Attrs.Telephony == nil {
		return Telephony{InboundCalling: true, OutboundCalling: true, SMS: true}
	}
	return *u.Attrs.Telephony
}

// AccountSettings is an account's AccountSettings.
type AccountSettings struct {
	DisableRemoteControl bool
	EnableDialOut        bool
}

// SettingsOf is d's settings; unset ones are the Chime defaults of the policies
// page: remote control allowed, dial-out enabled.
func SettingsOf(d *Account) AccountSettings {
	s := AccountSettings{EnableDialOut: true}
	if d.Attrs.DisableRemoteControl != nil {
		s.DisableRemoteControl = *d.Attrs.DisableRemoteControl
	}
	if d.Attrs.EnableDialOut != nil {
		s.EnableDialOut = *d.Attrs.EnableDialOut
	}
	return s
}

// UpdateUserSettings replaces a user's telephony settings.
func (s *Service) UpdateUserSettings(ctx context.Context, c rollcall.Caller, accountID, userID string, t Telephony) error {
	_, err := s.changeUser(ctx, c, accountID, userID, func(_ *Account, u *User) error {
		u.Attrs.Telephony = &t
		return nil
	})
	return rollcall.WithOp("UpdateChimeUserSettings", err)
}

// UpdateAccountSettings changes the members that are not nil. A suspended account
// is Conflict (the model's ConflictException).
func (s *Service) UpdateAccountSettings(ctx context.Context, c rollcall.Caller, accountID string, disableRemoteControl, enableDialOut *bool) error {
	err := s.inAccount(ctx, c, accountID, func(tx rollcall.Tx, d *Account, now time.Time) error {
		if d.Attrs.AccountStatus == Suspended {
			return accountSuspended(accountID)
		}
		if disableRemoteControl != nil {
			d.Attrs.DisableRemoteControl = disableRemoteControl
		}
		if enableDialOut != nil {
			d.Attrs.EnableDialOut = enableDialOut
		}
		d.UpdatedAt = now
		return tx.UpdateDirectory(d.put())
	})
	return rollcall.WithOp("UpdateChimeAccountSettings", err)
}

// signinDelegateAccount loads an account that may have sign-in delegate groups: those
// are directory groups, which only EnterpriseLWA and EnterpriseDirectory (AD) accounts
// have. Others are Forbidden: the service answers Enterprise-only operations on a Team
// account with ForbiddenException (aws/aws-sdk-ruby#2201; face/chime words it).
func signinDelegateAccount(tx rollcall.Tx, c rollcall.Caller, accountID string) (*Account, error) {
	d, err := account(tx, c, accountID)
	if err != nil {
		return nil, err
	}
	switch d.Attrs.AccountType {
	case EnterpriseLWA, EnterpriseDirectory:
		return d, nil
	}
	return nil, notEnterprise(c, d)
}

// AssociateSigninDelegateGroups adds groups to an account's sign-in delegate
// groups; ones it has already are kept once.
func (s *Service) AssociateSigninDelegateGroups(ctx context.Context, c rollcall.Caller, accountID string, groups []string) error {
	err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
		d, err := signinDelegateAccount(tx, c, accountID)
		if err != nil {
			return err
		}
		for _, g := range groups {
			if !slices.Contains(d.Attrs.SigninDelegateGroups, g) {
				d.Attrs.SigninDelegateGroups = append(d.Attrs.SigninDelegateGroups, g)
			}
		}
		d.UpdatedAt = s.Core.Time()
		return tx.UpdateDirectory(d.put())
	})
	return rollcall.WithOp("AssociateChimeSigninDelegateGroups", err)
}

// DisassociateSigninDelegateGroups removes groups from an account's sign-in
// delegate groups; names it does not have are ignored, so a retry is harmless.
func (s *Service) DisassociateSigninDelegateGroups(ctx context.Context, c rollcall.Caller, accountID string, groups []string) error {
	err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
		d, err := signinDelegateAccount(tx, c, accountID)
		if err != nil {
			return err
		}
		d.Attrs.SigninDelegateGroups = slices.DeleteFunc(d.Attrs.SigninDelegateGroups, func(g string) bool { return slices.Contains(groups, g) })
		d.UpdatedAt = s.Core.Time()
		return tx.UpdateDirectory(d.put())
	})
	return rollcall.WithOp("DisassociateChimeSigninDelegateGroups", err)
}

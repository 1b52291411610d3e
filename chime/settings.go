package rollcall

import (
	"context"
	"slices"
)

// Chime user and account settings, and sign-in delegate groups.

// Chime account types (the model's AccountType). CreateAccount makes Team accounts; the
// seed may declare the others.
const (
	ChimeTeam                = "Team"
	ChimeEnterpriseDirectory = "EnterpriseDirectory"
	ChimeEnterpriseLWA       = "EnterpriseLWA"
	ChimeEnterpriseOIDC      = "EnterpriseOIDC"
)

// ChimeAccountTypes lists the model's AccountType values.
var ChimeAccountTypes = []string{ChimeTeam, ChimeEnterpriseDirectory, ChimeEnterpriseLWA, ChimeEnterpriseOIDC}

// ChimeTelephony is a user's TelephonySettings. The service documents no defaults, so a
// user that was never updated has all three allowed.
type ChimeTelephony struct {
	InboundCalling  bool `json:"inboundCalling"`
	OutboundCalling bool `json:"outboundCalling"`
	SMS             bool `json:"sms"`
}

// ChimeUserTelephony is u's telephony settings, the defaults when never set.
func ChimeUserTelephony(u *User) ChimeTelephony {
	if u.Attrs.Telephony == nil {
		return ChimeTelephony{InboundCalling: true, OutboundCalling: true, SMS: true}
	}
	return *u.Attrs.Telephony
}

// ChimeAccountSettings is an account's AccountSettings.
type ChimeAccountSettings struct {
	DisableRemoteControl bool
	EnableDialOut        bool
}

// ChimeSettingsOf is d's settings; unset ones are the Chime defaults of the policies
// page: remote control allowed, dial-out enabled.
func ChimeSettingsOf(d *Directory) ChimeAccountSettings {
	s := ChimeAccountSettings{EnableDialOut: true}
	if d.Attrs.DisableRemoteControl != nil {
		s.DisableRemoteControl = *d.Attrs.DisableRemoteControl
	}
	if d.Attrs.EnableDialOut != nil {
		s.EnableDialOut = *d.Attrs.EnableDialOut
	}
	return s
}

// UpdateChimeUserSettings replaces a user's telephony settings.
func (s *Service) UpdateChimeUserSettings(ctx context.Context, c Caller, accountID, userID string, t ChimeTelephony) error {
	err := s.Store.Update(ctx, func(tx Tx) error {
		_, u, err := chimeUser(tx, c, accountID, userID)
		if err != nil {
			return err
		}
		u.Attrs.Telephony = &t
		u.UpdatedAt = s.now()
		return tx.UpdateUser(u)
	})
	return WithOp("UpdateChimeUserSettings", err)
}

// UpdateChimeAccountSettings changes the members that are not nil. A suspended account
// is Conflict (the model's ConflictException).
func (s *Service) UpdateChimeAccountSettings(ctx context.Context, c Caller, accountID string, disableRemoteControl, enableDialOut *bool) error {
	err := s.Store.Update(ctx, func(tx Tx) error {
		d, err := directoryOf(tx, c, accountID, DirChime, chimeAccountNotFound(accountID))
		if err != nil {
			return err
		}
		if d.Attrs.AccountStatus == ChimeSuspended {
			return &Error{Kind: Conflict, Field: "AccountId", Message: "The account " + accountID + " is suspended; its settings cannot be changed."}
		}
		if disableRemoteControl != nil {
			d.Attrs.DisableRemoteControl = disableRemoteControl
		}
		if enableDialOut != nil {
			d.Attrs.EnableDialOut = enableDialOut
		}
		d.UpdatedAt = s.now()
		return tx.UpdateDirectory(d)
	})
	return WithOp("UpdateChimeAccountSettings", err)
}

// signinDelegateAccount loads an account that may have sign-in delegate groups: those
// are directory groups, which only EnterpriseLWA and EnterpriseDirectory (AD) accounts
// have. Others are Forbidden: the service answers Enterprise-only operations on a Team
// account with ForbiddenException and this message (aws/aws-sdk-ruby#2201).
func signinDelegateAccount(tx Tx, c Caller, accountID string) (*Directory, error) {
	d, err := directoryOf(tx, c, accountID, DirChime, chimeAccountNotFound(accountID))
	if err != nil {
		return nil, err
	}
	switch d.Attrs.AccountType {
	case ChimeEnterpriseLWA, ChimeEnterpriseDirectory:
		return d, nil
	case ChimeTeam:
		return nil, &Error{Kind: Forbidden, Field: "AccountId", Message: "Chime Account provided is not an Enterprise Chime Account[AWS Account ID: " +
			c.TenantID + "][Chime Account ID: " + accountID + "]"}
	}
	return nil, &Error{Kind: Forbidden, Field: "AccountId", Message: "Sign-in delegate groups need an EnterpriseLWA or EnterpriseDirectory account; account " +
		accountID + " is an " + d.Attrs.AccountType + " account."}
}

// AssociateChimeSigninDelegateGroups adds groups to an account's sign-in delegate
// groups; ones it has already are kept once.
func (s *Service) AssociateChimeSigninDelegateGroups(ctx context.Context, c Caller, accountID string, groups []string) error {
	err := s.Store.Update(ctx, func(tx Tx) error {
		d, err := signinDelegateAccount(tx, c, accountID)
		if err != nil {
			return err
		}
		for _, g := range groups {
			if !slices.Contains(d.Attrs.SigninDelegateGroups, g) {
				d.Attrs.SigninDelegateGroups = append(d.Attrs.SigninDelegateGroups, g)
			}
		}
		d.UpdatedAt = s.now()
		return tx.UpdateDirectory(d)
	})
	return WithOp("AssociateChimeSigninDelegateGroups", err)
}

// DisassociateChimeSigninDelegateGroups removes groups from an account's sign-in
// delegate groups; names it does not have are ignored, so a retry is harmless.
func (s *Service) DisassociateChimeSigninDelegateGroups(ctx context.Context, c Caller, accountID string, groups []string) error {
	err := s.Store.Update(ctx, func(tx Tx) error {
		d, err := signinDelegateAccount(tx, c, accountID)
		if err != nil {
			return err
		}
		d.Attrs.SigninDelegateGroups = slices.DeleteFunc(d.Attrs.SigninDelegateGroups, func(g string) bool { return slices.Contains(groups, g) })
		d.UpdatedAt = s.now()
		return tx.UpdateDirectory(d)
	})
	return WithOp("DisassociateChimeSigninDelegateGroups", err)
}

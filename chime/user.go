package rollcall

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"strings"
)

// Chime registration and invitation states (the model's RegistrationStatus and
// InviteStatus).
const (
	ChimeUnregistered = "Unregistered"
	ChimeRegistered   = "Registered"
	ChimeSuspended    = "Suspended"
	ChimeInvPending   = "Pending"
	ChimeInvAccepted  = "Accepted"
)

func chimeUserNotFound(accountID, userID string) *Error {
	return &Error{Kind: NotFound, Field: "UserId", Message: "The requested user " + userID + " was not found in account " + accountID + "."}
}

// chimeUser loads a user of one of the caller's Chime accounts: a user of another
// tenant's account is NotFound like a missing one.
func chimeUser(tx Tx, c Caller, accountID, userID string) (*Directory, *User, error) {
	d, err := directoryOf(tx, c, accountID, DirChime, chimeAccountNotFound(accountID))
	if err != nil {
		return nil, nil, err
	}
	u, err := tx.User(accountID, userID)
	if IsKind(err, NotFound) {
		return nil, nil, chimeUserNotFound(accountID, userID)
	}
	return d, u, err
}

// ChimeUser returns one user of one of the caller's Chime accounts.
func (s *Service) ChimeUser(ctx context.Context, c Caller, accountID, userID string) (*User, error) {
	var u *User
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		_, u, err = chimeUser(tx, c, accountID, userID)
		return err
	})
	return u, WithOp("GetChimeUser", err)
}

// ListChimeUsersInput filters and pages ListUsers.
type ListChimeUsersInput struct {
	AccountID string
	Email     string // exact, any case
	UserType  string
	After     string // user ID the previous page ended with
	Limit     int
}

// ListChimeUsers returns a page of an account's users ordered by ID, and whether more
// follow. Paging is keyset on (account, ID), so no user present for the whole listing is
// skipped or repeated while others come and go, and a page costs the same at any depth.
func (s *Service) ListChimeUsers(ctx context.Context, c Caller, in ListChimeUsersInput) ([]*User, bool, error) {
	var users []*User
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		if _, err := directoryOf(tx, c, in.AccountID, DirChime, chimeAccountNotFound(in.AccountID)); err != nil {
			return err
		}
		users, err = tx.Users(UserFilter{DirectoryID: in.AccountID, After: in.After, Limit: in.Limit + 1,
			Email: in.Email, UserType: in.UserType})
		return err
	})
	if err != nil {
		return nil, false, WithOp("ListChimeUsers", err)
	}
	more := len(users) > in.Limit
	if more {
		users = users[:in.Limit]
	}
	return users, more, nil
}

// ChimeUserChange is what UpdateUser and one item of BatchUpdateUser change; nil leaves
// a member as it is.
type ChimeUserChange struct {
	UserID        string
	LicenseType   *string
	UserType      *string
	A4BEnabled    *bool
	A4BRoomArn    *string
	hasA4BMembers bool
}

// SetA4B records that the request carried AlexaForBusinessMetadata.
func (ch *ChimeUserChange) SetA4B(enabled *bool, roomArn *string) {
	ch.A4BEnabled, ch.A4BRoomArn, ch.hasA4BMembers = enabled, roomArn, true
}

func (ch *ChimeUserChange) apply(d *Directory, u *User) error {
	if ch.LicenseType != nil {
		if l := *ch.LicenseType; len(d.Attrs.SupportedLicenses) > 0 && !slices.Contains(d.Attrs.SupportedLicenses, l) {
			return &Error{Kind: Invalid, Field: "LicenseType", Message: "The license " + l + " is not supported by account " + d.ID +
				" (supported: " + strings.Join(d.Attrs.SupportedLicenses, ", ") + ")."}
		}
		u.Attrs.LicenseType = *ch.LicenseType
	}
	if ch.UserType != nil {
		u.UserType = *ch.UserType
	}
	if ch.hasA4BMembers {
		if ch.A4BEnabled != nil {
			u.Attrs.A4BEnabled = *ch.A4BEnabled
		}
		if ch.A4BRoomArn != nil {
			u.Attrs.A4BRoomArn = *ch.A4BRoomArn
		}
	}
	return nil
}

// UpdateChimeUser changes a user's license, type and Alexa for Business metadata.
func (s *Service) UpdateChimeUser(ctx context.Context, c Caller, accountID string, ch ChimeUserChange) (*User, error) {
	var u *User
	err := s.Store.Update(ctx, func(tx Tx) error {
		d, got, err := chimeUser(tx, c, accountID, ch.UserID)
		if err != nil {
			return err
		}
		if err := ch.apply(d, got); err != nil {
			return err
		}
		got.UpdatedAt = s.now()
		u = got
		return tx.UpdateUser(got)
	})
	if err != nil {
		return nil, WithOp("UpdateChimeUser", err)
	}
	return u, nil
}

// ChimeUserError is one failed item of a batch operation (the model's UserError).
type ChimeUserError struct {
	UserID  string
	Kind    Kind
	Message string
}

// BatchUpdateChimeUsers applies each change; the ones that fail are reported and the rest
// are applied, in one transaction, as Chime's batch operations do.
func (s *Service) BatchUpdateChimeUsers(ctx context.Context, c Caller, accountID string, changes []ChimeUserChange) ([]ChimeUserError, error) {
	var failed []ChimeUserError
	err := s.Store.Update(ctx, func(tx Tx) error {
		failed = failed[:0]
		d, err := directoryOf(tx, c, accountID, DirChime, chimeAccountNotFound(accountID))
		if err != nil {
			return err
		}
		now := s.now()
		for _, ch := range changes {
			u, err := tx.User(accountID, ch.UserID)
			if err == nil {
				err = ch.apply(d, u)
			}
			if err == nil {
				u.UpdatedAt = now
				err = tx.UpdateUser(u)
			}
			if err != nil {
				if failed, err = chimeItemError(failed, accountID, ch.UserID, err); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return failed, WithOp("BatchUpdateChimeUsers", err)
}

// chimeItemError records a per-user failure; an error that is not the user's (the
// store failing) aborts the whole batch instead.
func chimeItemError(failed []ChimeUserError, accountID, userID string, err error) ([]ChimeUserError, error) {
	switch k := ErrorKind(err); k {
	case NotFound:
		return append(failed, ChimeUserError{UserID: userID, Kind: NotFound, Message: chimeUserNotFound(accountID, userID).Message}), nil
	case Invalid, Conflict:
		return append(failed, ChimeUserError{UserID: userID, Kind: k, Message: ErrorMessage(err)}), nil
	}
	return failed, err
}

// SuspendChimeUsers suspends (suspend true) or unsuspends users of an account. A
// suspended user's registration status is Suspended and its pending invitations end;
// unsuspending returns it to Registered when the user had registered, else Unregistered.
func (s *Service) SuspendChimeUsers(ctx context.Context, c Caller, accountID string, userIDs []string, suspend bool) ([]ChimeUserError, error) {
	var failed []ChimeUserError
	err := s.Store.Update(ctx, func(tx Tx) error {
		failed = failed[:0]
		if _, err := directoryOf(tx, c, accountID, DirChime, chimeAccountNotFound(accountID)); err != nil {
			return err
		}
		now := s.now()
		for _, id := range userIDs {
			u, err := tx.User(accountID, id)
			if err == nil {
				if suspend {
					u.Status, u.Attrs.RegistrationStatus = ChimeSuspended, ChimeSuspended
					err = endInvitations(tx, u, now)
				} else {
					u.Status, u.Attrs.RegistrationStatus = "Active", ChimeUnregistered
					if u.Attrs.RegisteredOn != nil {
						u.Attrs.RegistrationStatus = ChimeRegistered
					}
				}
				if err == nil {
					u.UpdatedAt = now
					err = tx.UpdateUser(u)
				}
			}
			if err != nil {
				if failed, err = chimeItemError(failed, accountID, id, err); err != nil {
					return err
				}
			}
		}
		return nil
	})
	op := "BatchUnsuspendChimeUsers"
	if suspend {
		op = "BatchSuspendChimeUsers"
	}
	return failed, WithOp(op, err)
}

// ChimeInvite is one invitation of InviteUsers (the model's Invite).
type ChimeInvite struct {
	InviteID string
	Email    string
	Status   string // Pending
}

// InviteChimeUsers invites each email to an account: a user that does not exist yet is
// created (PrivateUser unless userType says otherwise) with invitation status Pending, and
// an invitation email is queued in the same transaction.
func (s *Service) InviteChimeUsers(ctx context.Context, c Caller, accountID string, emails []string, userType string) ([]ChimeInvite, error) {
	var invites []ChimeInvite
	err := s.Store.Update(ctx, func(tx Tx) error {
		invites = invites[:0]
		d, err := directoryOf(tx, c, accountID, DirChime, chimeAccountNotFound(accountID))
		if err != nil {
			return err
		}
		now := s.now()
		for _, email := range emails {
			u, err := tx.UserByKey(accountID, strings.ToLower(email))
			isNew := IsKind(err, NotFound)
			switch {
			case isNew:
				u = &User{ID: s.newUUID(), TenantID: c.TenantID, DirectoryID: accountID, Kind: DirChime,
					Key: strings.ToLower(email), Email: email, UserType: userType, Status: "Active",
					CreatedAt: now}
				if u.UserType == "" {
					u.UserType = ChimePrivateUser
				}
				u.DisplayName = chimeDisplayName(CreateChimeUserInput{Email: email})
				u.Attrs.LicenseType = d.Attrs.DefaultLicense
				u.Attrs.RegistrationStatus = ChimeUnregistered
			case err != nil:
				return err
			case userType != "":
				u.UserType = userType
			}
			u.UpdatedAt = now
			u.Attrs.InvitationStatus, u.Attrs.InvitedOn = ChimeInvPending, &now
			if isNew {
				err = tx.InsertUser(u)
			} else {
				err = tx.UpdateUser(u)
			}
			if err != nil {
				return err
			}
			inv, err := s.invite(tx, d, u, now)
			if err != nil {
				return err
			}
			invites = append(invites, ChimeInvite{InviteID: inv.ID, Email: email, Status: ChimeInvPending})
		}
		return nil
	})
	if err != nil {
		return nil, WithOp("InviteChimeUsers", err)
	}
	s.mailQueued()
	return invites, nil
}

// ResetChimePIN gives a user a new random 8-digit personal PIN (for meeting dial-in).
func (s *Service) ResetChimePIN(ctx context.Context, c Caller, accountID, userID string) (*User, error) {
	var u *User
	err := s.Store.Update(ctx, func(tx Tx) error {
		_, got, err := chimeUser(tx, c, accountID, userID)
		if err != nil {
			return err
		}
		n := new(big.Int).SetBytes(s.random(8))
		got.Attrs.PersonalPIN = fmt.Sprintf("%08d", n.Mod(n, big.NewInt(100_000_000)).Int64())
		got.UpdatedAt = s.now()
		u = got
		return tx.UpdateUser(got)
	})
	if err != nil {
		return nil, WithOp("ResetChimePIN", err)
	}
	return u, nil
}

// LogoutChimeUser ends a user's sessions. rollcall keeps no Chime client sessions, so
// this checks the user exists and is the caller's, as Chime does, and changes nothing.
func (s *Service) LogoutChimeUser(ctx context.Context, c Caller, accountID, userID string) error {
	err := s.Store.View(ctx, func(tx Tx) error {
		_, _, err := chimeUser(tx, c, accountID, userID)
		return err
	})
	return WithOp("LogoutChimeUser", err)
}

// UpdateChimeAccount renames an account or changes its default license; nil leaves a
// member as it is.
func (s *Service) UpdateChimeAccount(ctx context.Context, c Caller, accountID string, name, defaultLicense *string) (*Directory, error) {
	var d *Directory
	err := s.Store.Update(ctx, func(tx Tx) error {
		got, err := directoryOf(tx, c, accountID, DirChime, chimeAccountNotFound(accountID))
		if err != nil {
			return err
		}
		if name != nil {
			got.Name = *name
		}
		if l := defaultLicense; l != nil {
			if len(got.Attrs.SupportedLicenses) > 0 && !slices.Contains(got.Attrs.SupportedLicenses, *l) {
				return &Error{Kind: Invalid, Field: "DefaultLicense", Message: "The license " + *l + " is not supported by account " +
					accountID + " (supported: " + strings.Join(got.Attrs.SupportedLicenses, ", ") + ")."}
			}
			got.Attrs.DefaultLicense = *l
		}
		got.UpdatedAt = s.now()
		d = got
		return tx.UpdateDirectory(got)
	})
	if err != nil {
		return nil, WithOp("UpdateChimeAccount", err)
	}
	return d, nil
}

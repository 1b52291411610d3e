package chime

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/attrjson"
)

// Chime user values: the model's UserType, RegistrationStatus and InviteStatus.
const (
	PrivateUser  = "PrivateUser"
	SharedDevice = "SharedDevice"

	Unregistered       = "Unregistered"
	Registered         = "Registered"
	InvitationPending  = "Pending"
	InvitationAccepted = "Accepted"
)

// chimeUser loads a user of one of the caller's Chime accounts: a user of another
// tenant's account is NotFound like a missing one.
func chimeUser(tx rollcall.Tx, c rollcall.Caller, accountID, userID string) (*Account, *User, error) {
	d, err := account(tx, c, accountID)
	if err != nil {
		return nil, nil, err
	}
	u, err := decoded(tx.User(accountID, userID))
	if rollcall.IsKind(err, rollcall.NotFound) {
		return nil, nil, userNotFound(accountID, userID)
	}
	return d, u, err
}

// decoded is the user a read returned, decoded; the read's error as it is.
func decoded(u *rollcall.User, err error) (*User, error) {
	if err != nil {
		return nil, err
	}
	return UserOf(u)
}

// User returns one user of one of the caller's Chime accounts.
func (s *Service) User(ctx context.Context, c rollcall.Caller, accountID, userID string) (*User, error) {
	var u *User
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		_, u, err = chimeUser(tx, c, accountID, userID)
		return err
	})
	return u, rollcall.WithOp("GetChimeUser", err)
}

// ListUsersInput filters and pages ListUsers.
type ListUsersInput struct {
	AccountID string
	Email     string // exact, any case
	UserType  string
	After     string // user ID the previous page ended with
	Limit     int
}

// ListUsers returns a page of an account's users ordered by ID, and whether more
// follow. Paging is keyset on (account, ID), so no user present for the whole listing is
// skipped or repeated while others come and go, and a page costs the same at any depth.
func (s *Service) ListUsers(ctx context.Context, c rollcall.Caller, in ListUsersInput) ([]*User, bool, error) {
	var users []*rollcall.User
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		if _, err := rollcall.DirectoryOf(tx, c, in.AccountID, rollcall.DirChime, accountNotFound); err != nil {
			return err
		}
		users, err = tx.Users(rollcall.UserQuery{DirectoryID: in.AccountID, Kind: rollcall.DirChime, After: rollcall.AfterID(in.After), Limit: in.Limit + 1,
			Emails: rollcall.Strings(in.Email), UserTypes: rollcall.Strings(in.UserType)})
		return err
	})
	if err != nil {
		return nil, false, rollcall.WithOp("ListChimeUsers", err)
	}
	more := len(users) > in.Limit
	if more {
		users = users[:in.Limit]
	}
	out, err := usersOf(users)
	return out, more, rollcall.WithOp("ListChimeUsers", err)
}

// UserChange is what UpdateUser and one item of BatchUpdateUser change; nil leaves
// a member as it is.
type UserChange struct {
	UserID        string
	LicenseType   *string
	UserType      *string
	A4BEnabled    *bool
	A4BRoomArn    *string
	hasA4BMembers bool
}

// SetA4B records that the request carried AlexaForBusinessMetadata.
func (ch *UserChange) SetA4B(enabled *bool, roomArn *string) {
	ch.A4BEnabled, ch.A4BRoomArn, ch.hasA4BMembers = enabled, roomArn, true
}

func (ch *UserChange) apply(d *Account, u *User) error {
	if ch.LicenseType != nil {
		if err := checkLicense(d, "LicenseType", *ch.LicenseType); err != nil {
			return err
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

// UpdateUser changes a user's license, type and Alexa for Business metadata.
func (s *Service) UpdateUser(ctx context.Context, c rollcall.Caller, accountID string, ch UserChange) (*User, error) {
	u, err := s.changeUser(ctx, c, accountID, ch.UserID, ch.apply)
	return u, rollcall.WithOp("UpdateChimeUser", err)
}

// changeUser applies change to a user of one of the caller's accounts and stores it, in
// one transaction, and returns the user as stored (nil when it fails).
func (s *Service) changeUser(ctx context.Context, c rollcall.Caller, accountID, userID string, change func(*Account, *User) error) (*User, error) {
	var u *User
	err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
		d, got, err := chimeUser(tx, c, accountID, userID)
		if err == nil {
			err = change(d, got)
		}
		if err != nil {
			return err
		}
		got.UpdatedAt = s.Core.Time()
		u = got
		return tx.UpdateUser(put(got))
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// UserError is one failed item of a batch operation (the model's UserError): the user
// and why (a NotFound, Invalid or Conflict *rollcall.Error).
type UserError struct {
	UserID string
	Err    error
}

// BatchUpdateUsers applies each change; the ones that fail are reported and the rest
// are applied, in one transaction, as Chime's batch operations do.
func (s *Service) BatchUpdateUsers(ctx context.Context, c rollcall.Caller, accountID string, changes []UserChange) ([]UserError, error) {
	var failed []UserError
	err := s.inAccount(ctx, c, accountID, func(tx rollcall.Tx, d *Account, now time.Time) error {
		failed = failed[:0]
		for _, ch := range changes {
			u, err := decoded(tx.User(accountID, ch.UserID))
			if err == nil {
				err = ch.apply(d, u)
			}
			if err == nil {
				u.UpdatedAt = now
				err = tx.UpdateUser(put(u))
			}
			if err != nil {
				if failed, err = chimeItemError(failed, accountID, ch.UserID, err); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return failed, rollcall.WithOp("BatchUpdateChimeUsers", err)
}

// chimeItemError records a per-user failure; an error that is not the user's (the
// store failing) aborts the whole batch instead.
func chimeItemError(failed []UserError, accountID, userID string, err error) ([]UserError, error) {
	switch k := rollcall.ErrorKind(err); k {
	case rollcall.NotFound:
		return append(failed, UserError{UserID: userID, Err: userNotFound(accountID, userID)}), nil
	case rollcall.Invalid, rollcall.Conflict:
		return append(failed, UserError{UserID: userID, Err: err}), nil
	}
	return failed, err
}

// SuspendUsers suspends (suspend true) or unsuspends users of an account. A
// suspended user's registration status is Suspended and its pending invitations end;
// unsuspending returns it to Registered when the user had registered, else Unregistered.
func (s *Service) SuspendUsers(ctx context.Context, c rollcall.Caller, accountID string, userIDs []string, suspend bool) ([]UserError, error) {
	var failed []UserError
	err := s.inAccount(ctx, c, accountID, func(tx rollcall.Tx, _ *Account, now time.Time) error {
		failed = failed[:0]
		for _, id := range userIDs {
			u, err := decoded(tx.User(accountID, id))
			if err == nil {
				if suspend {
					u.Status, u.Attrs.RegistrationStatus = Suspended, Suspended
					err = rollcall.EndInvitations(tx, u.User, now)
				} else {
					u.Status, u.Attrs.RegistrationStatus = Active, Unregistered
					if u.Attrs.RegisteredOn != nil {
						u.Attrs.RegistrationStatus = Registered
					}
				}
				if err == nil {
					u.UpdatedAt = now
					err = tx.UpdateUser(put(u))
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
	return failed, rollcall.WithOp(op, err)
}

// ResetPIN gives a user a new random 8-digit personal PIN (for meeting dial-in).
func (s *Service) ResetPIN(ctx context.Context, c rollcall.Caller, accountID, userID string) (*User, error) {
	u, err := s.changeUser(ctx, c, accountID, userID, func(_ *Account, u *User) error {
		n := new(big.Int).SetBytes(s.Core.Random(8))
		u.Attrs.PersonalPIN = fmt.Sprintf("%08d", n.Mod(n, big.NewInt(100_000_000)).Int64())
		return nil
	})
	return u, rollcall.WithOp("ResetChimePIN", err)
}

// LogoutUser ends a user's sessions. rollcall keeps no Chime client sessions, so
// this checks the user exists and is the caller's, as Chime does, and changes nothing.
func (s *Service) LogoutUser(ctx context.Context, c rollcall.Caller, accountID, userID string) error {
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) error {
		_, _, err := chimeUser(tx, c, accountID, userID)
		return err
	})
	return rollcall.WithOp("LogoutChimeUser", err)
}

// CreateUserInput is what Chime CreateUser takes; the face has validated its shape.
type CreateUserInput struct {
	AccountID string
	Email     string
	Username  string
	UserType  string // "" means PrivateUser
}

// CreateUser creates a user in one of the caller's Chime accounts. The email is
// unique within the account (Conflict). The license is the account's default. A shared
// device is registered at once; a private user stays unregistered until invited.
//
// The user is encoded before the Update, with the license of the accounts CreateAccount
// makes (Pro), and again inside only if its account's default is another: the less
// done inside, the less every write waits for on SQLite's one writer goroutine.
func (s *Service) CreateUser(ctx context.Context, c rollcall.Caller, in CreateUserInput) (*User, error) {
	now := s.Core.Time()
	u := s.newUser(c, in, now)
	if u.UserType == SharedDevice {
		registered := now // its own: &now would put every create's clock on the heap
		u.Attrs.RegistrationStatus = Registered
		u.Attrs.RegisteredOn = &registered
	}
	u.Attrs.LicenseType = Pro
	row := put(u)
	err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
		d, err := rollcall.DirectoryOf(tx, c, in.AccountID, rollcall.DirChime, accountNotFound)
		if err != nil {
			return err
		}
		license, err := defaultLicense(d)
		if err != nil {
			return err
		}
		if license != u.Attrs.LicenseType {
			u.Attrs.LicenseType = license
			row = put(u)
		}
		err = tx.InsertUser(row)
		if rollcall.IsKind(err, rollcall.Conflict) {
			return emailTaken(in.AccountID, in.Email)
		}
		return err
	})
	if err != nil {
		return nil, rollcall.WithOp("CreateChimeUser", err)
	}
	return u, nil
}

// newUser is a new, unregistered user of the account in.AccountID, a PrivateUser unless
// in says otherwise.
func (s *Service) newUser(c rollcall.Caller, in CreateUserInput, now time.Time) *User {
	u := attrjson.NewUser[UserAttrs](rollcall.User{ID: s.Core.NewUUID(), TenantID: c.TenantID, DirectoryID: in.AccountID, Kind: rollcall.DirChime,
		Email: in.Email, Username: in.Username, DisplayName: chimeDisplayName(in), UserType: in.UserType, Status: Active,
		CreatedAt: now, UpdatedAt: now})
	if u.UserType == "" {
		u.UserType = PrivateUser
	}
	// Users without an email have nothing to collide on: their key is their ID.
	u.Key = strings.ToLower(in.Email)
	if in.Email == "" {
		u.Key = "id:" + u.ID
	}
	u.Attrs.RegistrationStatus = Unregistered
	return u
}

// chimeDisplayName is the username when given, else the email's local part.
func chimeDisplayName(in CreateUserInput) string {
	if in.Username != "" {
		return in.Username
	}
	local, _, _ := strings.Cut(in.Email, "@")
	return local
}

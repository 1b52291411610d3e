package rollcall

import (
	"context"
	"strings"
)

// Chime user and account values.
const (
	ChimePrivateUser  = "PrivateUser"
	ChimeSharedDevice = "SharedDevice"
)

// CreateChimeAccountInput is what CreateAccount takes.
type CreateChimeAccountInput struct {
	Name string
}

// CreateChimeAccount creates a Team account with the Pro license as its default, as
// Amazon Chime does.
func (s *Service) CreateChimeAccount(ctx context.Context, c Caller, in CreateChimeAccountInput) (*Directory, error) {
	now := s.now()
	d := &Directory{
		ID:        s.newUUID(),
		TenantID:  c.TenantID,
		Kind:      DirChime,
		Name:      in.Name,
		CreatedAt: now,
		UpdatedAt: now,
		Attrs: DirectoryAttrs{
			AccountType:       "Team",
			AccountStatus:     "Active",
			DefaultLicense:    "Pro",
			SupportedLicenses: []string{"Basic", "Pro"},
		},
	}
	err := s.Store.Update(ctx, func(tx Tx) error { return tx.InsertDirectory(d) })
	return d, WithOp("CreateChimeAccount", err)
}

func chimeAccountNotFound(id string) *Error {
	return &Error{Kind: NotFound, Field: "AccountId", Message: "The requested account " + id + " was not found."}
}

// ChimeAccount returns one of the caller's Chime accounts.
func (s *Service) ChimeAccount(ctx context.Context, c Caller, id string) (*Directory, error) {
	var d *Directory
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		d, err = directoryOf(tx, c, id, DirChime, chimeAccountNotFound(id))
		return err
	})
	return d, WithOp("GetChimeAccount", err)
}

// ListChimeAccountsInput filters and pages ListAccounts.
type ListChimeAccountsInput struct {
	Name      string // account name prefix, when set
	UserEmail string // accounts that have a user with this email, when set
	After     string // account ID the previous page ended with
	Limit     int
}

// ListChimeAccounts returns a page of the caller's Chime accounts, ordered by ID, and
// whether more follow.
func (s *Service) ListChimeAccounts(ctx context.Context, c Caller, in ListChimeAccountsInput) ([]*Directory, bool, error) {
	var out []*Directory
	more := false
	err := s.Store.View(ctx, func(tx Tx) error {
		after := in.After
		for {
			batch, err := tx.Directories(c.TenantID, DirChime, after, 100)
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
				out = append(out, d)
			}
			if len(batch) < 100 {
				return nil
			}
			after = batch[len(batch)-1].ID
		}
	})
	return out, more, WithOp("ListChimeAccounts", err)
}

func chimeAccountMatches(tx Tx, d *Directory, in ListChimeAccountsInput) (bool, error) {
	if in.Name != "" && !strings.HasPrefix(d.Name, in.Name) {
		return false, nil
	}
	if in.UserEmail != "" {
		_, err := tx.UserByKey(d.ID, strings.ToLower(in.UserEmail))
		if IsKind(err, NotFound) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
	}
	return true, nil
}

// ReasonUsersNotSuspended: a Team account with users that are not suspended cannot be
// deleted (the model: "You must suspend all users before deleting Team account").
const ReasonUsersNotSuspended = "users-not-suspended"

// DeleteChimeAccount deletes one of the caller's Chime accounts and its users. A Team
// account must have no user left that is not suspended (Conflict,
// ReasonUsersNotSuspended), and then nothing is deleted.
func (s *Service) DeleteChimeAccount(ctx context.Context, c Caller, id string) error {
	err := s.Store.Update(ctx, func(tx Tx) error {
		d, err := directoryOf(tx, c, id, DirChime, chimeAccountNotFound(id))
		if err != nil {
			return err
		}
		if d.Attrs.AccountType == "Team" {
			active, err := tx.Users(UserFilter{DirectoryID: id, Status: "Active", Limit: 1})
			if err != nil {
				return err
			}
			if len(active) > 0 {
				return &Error{Kind: Conflict, Reason: ReasonUsersNotSuspended,
					Message: "You must suspend all users before deleting Team account " + id + " (user " + active[0].ID + " is not suspended)."}
			}
		}
		return DeleteDirectory(tx, id)
	})
	return WithOp("DeleteChimeAccount", err)
}

// CreateChimeUserInput is what Chime CreateUser takes; the face has validated its shape.
type CreateChimeUserInput struct {
	AccountID string
	Email     string
	Username  string
	UserType  string // "" means PrivateUser
}

// CreateChimeUser creates a user in one of the caller's Chime accounts. The email is
// unique within the account (Conflict). The license is the account's default. A shared
// device is registered at once; a private user stays unregistered until invited.
func (s *Service) CreateChimeUser(ctx context.Context, c Caller, in CreateChimeUserInput) (*User, error) {
	now := s.now()
	u := &User{
		ID:          s.newUUID(),
		TenantID:    c.TenantID,
		DirectoryID: in.AccountID,
		Kind:        DirChime,
		Email:       in.Email,
		Username:    in.Username,
		DisplayName: chimeDisplayName(in),
		UserType:    in.UserType,
		Status:      "Active",
		CreatedAt:   now,
		UpdatedAt:   now,
	}
	if u.UserType == "" {
		u.UserType = ChimePrivateUser
	}
	// Users without an email have nothing to collide on: their key is their ID.
	u.Key = "id:" + u.ID
	if in.Email != "" {
		u.Key = strings.ToLower(in.Email)
	}
	u.Attrs.RegistrationStatus = "Unregistered"
	if u.UserType == ChimeSharedDevice {
		u.Attrs.RegistrationStatus = "Registered"
		u.Attrs.RegisteredOn = &now
	}
	err := s.Store.Update(ctx, func(tx Tx) error {
		d, err := directoryOf(tx, c, in.AccountID, DirChime, chimeAccountNotFound(in.AccountID))
		if err != nil {
			return err
		}
		u.Attrs.LicenseType = d.Attrs.DefaultLicense
		err = tx.InsertUser(u)
		if IsKind(err, Conflict) {
			return &Error{Kind: Conflict, Field: "Email", Message: "The user with email " + in.Email + " already exists in account " + in.AccountID + "."}
		}
		return err
	})
	if err != nil {
		return nil, WithOp("CreateChimeUser", err)
	}
	return u, nil
}

// chimeDisplayName is the username when given, else the email's local part.
func chimeDisplayName(in CreateChimeUserInput) string {
	if in.Username != "" {
		return in.Username
	}
	local, _, _ := strings.Cut(in.Email, "@")
	return local
}

package workdocs

import (
	"context"
	"strings"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/attrjson"
)

// WorkDocs storage defaults: a new user gets a 1 TiB quota unless told otherwise, as the
// service's default user storage is.
const (
	Quota            = "QUOTA"
	Unlimited        = "UNLIMITED"
	DefaultAllocated = int64(1) << 40

	TypeUser  = "USER"
	TypeAdmin = "ADMIN"
)

// CreateOrganizationInput names a new organization (directory).
type CreateOrganizationInput struct {
	ID   string // "" generates a d-xxxxxxxxxx ID
	Name string
}

// CreateOrganization creates an organization owned by the caller.
func (s *Service) CreateOrganization(ctx context.Context, c rollcall.Caller, in CreateOrganizationInput) (*rollcall.Directory, error) {
	now := s.Core.Time()
	d := &rollcall.Directory{ID: in.ID, TenantID: c.TenantID, Kind: rollcall.DirWorkDocs, Name: in.Name, CreatedAt: now, UpdatedAt: now}
	if d.ID == "" {
		d.ID = "d-" + s.Core.NewHex(5)
	}
	err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) error { return tx.InsertDirectory(d) })
	return d, rollcall.WithOp("CreateWorkDocsOrganization", err)
}

// StorageRule is a WorkDocs user's storage allocation.
type StorageRule struct {
	AllocatedInBytes *int64
	Type             string // QUOTA | UNLIMITED
}

// CreateUserInput is what WorkDocs CreateUser takes; the face has validated its
// shape.
type CreateUserInput struct {
	OrganizationID string // "" = the caller's only organization
	Username       string
	EmailAddress   string
	GivenName      string
	Surname        string
	Password       string
	TimeZoneID     string
	StorageRule    *StorageRule
}

// CreateUser creates an ACTIVE user in one of the caller's organizations. The
// username is unique within the organization, ignoring case (Conflict). The password is
// kept only as an argon2id hash.
//
// The hash costs tens of milliseconds and --argon2-memory of memory, so everything that
// can refuse the request is checked first, in a read transaction: the caller's rights on
// the organization and a free username. The hash runs outside any transaction (it must
// not hold up the writer), then the write checks it all again.
func (s *Service) CreateUser(ctx context.Context, c rollcall.Caller, in CreateUserInput) (*User, error) {
	const op = "CreateWorkDocsUser"
	key := strings.ToLower(in.Username)
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) error {
		orgID, err := s.workDocsCreator(tx, c, in.OrganizationID)
		if err != nil {
			return err
		}
		_, err = tx.UserByKey(orgID, key)
		switch {
		case err == nil:
			return usernameTaken(in.Username, orgID)
		case rollcall.IsKind(err, rollcall.NotFound):
			return nil
		}
		return err
	})
	if err != nil {
		return nil, rollcall.WithOp(op, err)
	}
	hash, err := s.Core.HashPassword(ctx, in.Password)
	if err != nil {
		return nil, rollcall.WithOp(op, err)
	}
	now := s.Core.Time()
	u := attrjson.NewUser[UserAttrs](rollcall.User{
		ID:           s.Core.NewUUID(),
		TenantID:     c.TenantID,
		Kind:         rollcall.DirWorkDocs,
		Key:          key,
		Email:        in.EmailAddress,
		Username:     in.Username,
		GivenName:    in.GivenName,
		FamilyName:   in.Surname,
		DisplayName:  strings.TrimSpace(in.GivenName + " " + in.Surname),
		UserType:     TypeUser,
		Status:       Active,
		PasswordHash: hash,
		CreatedAt:    now,
		UpdatedAt:    now,
	})
	u.Attrs.RootFolderID = s.Core.NewHex(32)
	u.Attrs.RecycleBinFolderID = s.Core.NewHex(32)
	u.Attrs.TimeZoneID = in.TimeZoneID
	u.Attrs.Locale = "default"
	u.Attrs.StorageType = Quota
	if r := in.StorageRule; r != nil && r.Type != "" {
		u.Attrs.StorageType = r.Type
	}
	if u.Attrs.StorageType == Quota {
		allocated := DefaultAllocated
		if r := in.StorageRule; r != nil && r.AllocatedInBytes != nil {
			allocated = *r.AllocatedInBytes
		}
		u.Attrs.StorageAllocatedInBytes = &allocated
	}
	err = s.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
		orgID, err := s.workDocsCreator(tx, c, in.OrganizationID)
		if err != nil {
			return err
		}
		u.DirectoryID = orgID
		err = tx.InsertUser(put(u))
		if rollcall.IsKind(err, rollcall.Conflict) {
			return usernameTaken(in.Username, orgID)
		}
		return err
	})
	if err != nil {
		return nil, rollcall.WithOp(op, err)
	}
	return u, nil
}

// workDocsCreator resolves the organization a create names and checks that the caller
// may create users in it.
func (s *Service) workDocsCreator(tx rollcall.Tx, c rollcall.Caller, id string) (string, error) {
	orgID, err := s.workDocsOrganization(tx, c, id)
	if err != nil {
		return "", err
	}
	return orgID, requireWorkDocsAdmin(tx, c, orgID, "CreateUser")
}

// requireWorkDocsAdmin lets a caller with an Authentication token act only as an ADMIN
// user of the organization the token belongs to. Callers with AWS credentials administer
// all of their account's organizations.
func requireWorkDocsAdmin(tx rollcall.Tx, c rollcall.Caller, orgID, op string) error {
	if c.UserID == "" {
		return nil
	}
	if c.DirectoryID != orgID {
		return orgNotFound(orgID)
	}
	u, err := tx.User(orgID, c.UserID)
	if rollcall.IsKind(err, rollcall.NotFound) || (err == nil && (u.UserType != TypeAdmin || u.Status != Active)) {
		return notAdministrator(op)
	}
	return err
}

// workDocsOrganization resolves the organization a request names, or the caller's only
// one when it names none (for a token caller, the token's organization).
func (s *Service) workDocsOrganization(tx rollcall.Tx, c rollcall.Caller, id string) (string, error) {
	if id == "" && c.UserID != "" {
		id = c.DirectoryID
	}
	if id != "" {
		_, err := rollcall.DirectoryOf(tx, c, id, rollcall.DirWorkDocs, orgNotFound)
		return id, err
	}
	orgs, err := tx.Directories(c.TenantID, rollcall.DirWorkDocs, "", 2)
	if err != nil {
		return "", err
	}
	if len(orgs) != 1 {
		return "", &rollcall.Error{Kind: rollcall.Invalid, Field: "OrganizationId", Reason: rollcall.ReasonMissing,
			Message: "no OrganizationId, and the caller has more or fewer than one organization"}
	}
	return orgs[0].ID, nil
}

package rollcall

import (
	"context"
	"strings"
)

// WorkDocs storage defaults: a new user gets a 1 TiB quota unless told otherwise, as the
// service's default user storage is.
const (
	WorkDocsQuota            = "QUOTA"
	WorkDocsUnlimited        = "UNLIMITED"
	WorkDocsDefaultAllocated = int64(1) << 40

	WorkDocsUser  = "USER"
	WorkDocsAdmin = "ADMIN"
)

// CreateWorkDocsOrganizationInput names a new organization (directory).
type CreateWorkDocsOrganizationInput struct {
	ID   string // "" generates a d-xxxxxxxxxx ID
	Name string
}

// CreateWorkDocsOrganization creates an organization owned by the caller.
func (s *Service) CreateWorkDocsOrganization(ctx context.Context, c Caller, in CreateWorkDocsOrganizationInput) (*Directory, error) {
	now := s.now()
	d := &Directory{ID: in.ID, TenantID: c.TenantID, Kind: DirWorkDocs, Name: in.Name, CreatedAt: now, UpdatedAt: now}
	if d.ID == "" {
		d.ID = "d-" + s.newHex(5)
	}
	err := s.Store.Update(ctx, func(tx Tx) error { return tx.InsertDirectory(d) })
	return d, WithOp("CreateWorkDocsOrganization", err)
}

// StorageRule is a WorkDocs user's storage allocation.
type StorageRule struct {
	AllocatedInBytes *int64
	Type             string // QUOTA | UNLIMITED
}

// CreateWorkDocsUserInput is what WorkDocs CreateUser takes; the face has validated its
// shape.
type CreateWorkDocsUserInput struct {
	OrganizationID string // "" = the caller's only organization
	Username       string
	EmailAddress   string
	GivenName      string
	Surname        string
	Password       string
	TimeZoneID     string
	StorageRule    *StorageRule
}

func workDocsOrgNotFound(id string) *Error {
	return &Error{Kind: NotFound, Field: "OrganizationId", Message: "The caller does not have access to organization " + id + "."}
}

// CreateWorkDocsUser creates an ACTIVE user in one of the caller's organizations. The
// username is unique within the organization, ignoring case (Conflict). The password is
// kept only as an argon2id hash.
//
// The hash costs tens of milliseconds and --argon2-memory of memory, so everything that
// can refuse the request is checked first, in a read transaction: the caller's rights on
// the organization and a free username. The hash runs outside any transaction (it must
// not hold up the writer), then the write checks it all again.
func (s *Service) CreateWorkDocsUser(ctx context.Context, c Caller, in CreateWorkDocsUserInput) (*User, error) {
	const op = "CreateWorkDocsUser"
	key := strings.ToLower(in.Username)
	err := s.Store.View(ctx, func(tx Tx) error {
		orgID, err := s.workDocsCreator(tx, c, in.OrganizationID)
		if err != nil {
			return err
		}
		_, err = tx.UserByKey(orgID, key)
		switch {
		case err == nil:
			return workDocsUserExists(in.Username, orgID)
		case IsKind(err, NotFound):
			return nil
		}
		return err
	})
	if err != nil {
		return nil, WithOp(op, err)
	}
	hash, err := s.hashPassword(ctx, in.Password)
	if err != nil {
		return nil, WithOp(op, err)
	}
	now := s.now()
	u := &User{
		ID:           s.newUUID(),
		TenantID:     c.TenantID,
		Kind:         DirWorkDocs,
		Key:          key,
		Email:        in.EmailAddress,
		Username:     in.Username,
		GivenName:    in.GivenName,
		FamilyName:   in.Surname,
		DisplayName:  strings.TrimSpace(in.GivenName + " " + in.Surname),
		UserType:     "USER",
		Status:       "ACTIVE",
		PasswordHash: hash,
		CreatedAt:    now,
		UpdatedAt:    now,
	}
	u.Attrs.RootFolderID = s.newHex(32)
	u.Attrs.RecycleBinFolderID = s.newHex(32)
	u.Attrs.TimeZoneID = in.TimeZoneID
	u.Attrs.Locale = "default"
	u.Attrs.StorageType = WorkDocsQuota
	if r := in.StorageRule; r != nil && r.Type != "" {
		u.Attrs.StorageType = r.Type
	}
	if u.Attrs.StorageType == WorkDocsQuota {
		allocated := WorkDocsDefaultAllocated
		if r := in.StorageRule; r != nil && r.AllocatedInBytes != nil {
			allocated = *r.AllocatedInBytes
		}
		u.Attrs.StorageAllocatedInBytes = &allocated
	}
	err = s.Store.Update(ctx, func(tx Tx) error {
		orgID, err := s.workDocsCreator(tx, c, in.OrganizationID)
		if err != nil {
			return err
		}
		u.DirectoryID = orgID
		err = tx.InsertUser(u)
		if IsKind(err, Conflict) {
			return workDocsUserExists(in.Username, orgID)
		}
		return err
	})
	if err != nil {
		return nil, WithOp(op, err)
	}
	return u, nil
}

// workDocsCreator resolves the organization a create names and checks that the caller
// may create users in it.
func (s *Service) workDocsCreator(tx Tx, c Caller, id string) (string, error) {
	orgID, err := s.workDocsOrganization(tx, c, id)
	if err != nil {
		return "", err
	}
	return orgID, requireWorkDocsAdmin(tx, c, orgID)
}

func workDocsUserExists(username, orgID string) *Error {
	return &Error{Kind: Conflict, Field: "Username", Message: "The user " + username + " already exists in organization " + orgID + "."}
}

// requireWorkDocsAdmin lets a caller with an Authentication token act only as an ADMIN
// user of the organization the token belongs to. Callers with AWS credentials administer
// all of their account's organizations.
func requireWorkDocsAdmin(tx Tx, c Caller, orgID string) error {
	if c.UserID == "" {
		return nil
	}
	if c.DirectoryID != orgID {
		return workDocsOrgNotFound(orgID)
	}
	u, err := tx.User(orgID, c.UserID)
	if IsKind(err, NotFound) || (err == nil && (u.UserType != WorkDocsAdmin || u.Status != "ACTIVE")) {
		return &Error{Kind: Forbidden, Reason: ReasonNotAdministrator, Message: "The operation is not permitted: only an administrator of the organization may create users."}
	}
	return err
}

// workDocsOrganization resolves the organization a request names, or the caller's only
// one when it names none (for a token caller, the token's organization).
func (s *Service) workDocsOrganization(tx Tx, c Caller, id string) (string, error) {
	if id == "" && c.UserID != "" {
		id = c.DirectoryID
	}
	if id != "" {
		_, err := directoryOf(tx, c, id, DirWorkDocs, workDocsOrgNotFound(id))
		return id, err
	}
	orgs, err := tx.Directories(c.TenantID, DirWorkDocs, "", 2)
	if err != nil {
		return "", err
	}
	if len(orgs) != 1 {
		return "", &Error{Kind: Invalid, Field: "OrganizationId", Message: "OrganizationId is required: the caller has more or fewer than one organization."}
	}
	return orgs[0].ID, nil
}

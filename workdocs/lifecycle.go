package workdocs

import (
	"cmp"
	"context"
	"strings"

	"github.com/rollcall/rollcall"
)

// The lifecycle of a WorkDocs user after CreateUser: DescribeUsers, GetCurrentUser,
// UpdateUser, DeleteUser, ActivateUser and DeactivateUser. Who may call is the same as for
// CreateUser: a caller with AWS credentials of the account that owns the organization, or
// the Authentication token of an ACTIVE ADMIN of the organization. A user of another
// tenant (or another organization, for a token) does not exist for the caller.

// WorkDocs user states (the model's UserStatusType).
const (
	Active   = "ACTIVE"
	Inactive = "INACTIVE"
	Pending  = "PENDING"
)

// WorkDocs user types beside USER and ADMIN (the model's UserType).
const (
	TypePowerUser      = "POWERUSER"
	TypeMinimalUser    = "MINIMALUSER"
	TypeWorkSpacesUser = "WORKSPACESUSER"
)

// Sorts of DescribeUsers (the model's UserSortType).
const (
	SortUserName     = "USER_NAME"
	SortFullName     = "FULL_NAME"
	SortStorageLimit = "STORAGE_LIMIT"
	SortUserStatus   = "USER_STATUS"
	SortStorageUsed  = "STORAGE_USED"
)

// DefaultDescribeLimit is how many users DescribeUsers returns when the request
// sets no Limit ("By default, Amazon WorkDocs returns the first 24 active or pending
// users").
const DefaultDescribeLimit = 24

// requireWorkDocsMember lets a caller with an Authentication token read only the
// organization the token belongs to, and only while its user is ACTIVE: any user may see
// who else is in the organization, as in WorkDocs, but only admins change anyone.
func requireWorkDocsMember(tx rollcall.Tx, c rollcall.Caller, orgID string) error {
	if c.UserID == "" {
		return nil
	}
	if c.DirectoryID != orgID {
		return orgNotFound(orgID)
	}
	u, err := tx.User(orgID, c.UserID)
	if rollcall.IsKind(err, rollcall.NotFound) || (err == nil && u.Status != Active) {
		return notActive("")
	}
	return err
}

// workDocsUser finds a user by ID among what the caller may see, and checks that the
// caller may act on it: a token caller only in its own organization, and only as an
// ACTIVE ADMIN (checked first, so that others cannot probe which IDs exist); an AWS
// caller in every organization of its account. Anything else is the user not existing.
func workDocsUser(tx rollcall.Tx, c rollcall.Caller, id, op string) (*User, error) {
	if c.UserID != "" {
		if err := requireWorkDocsAdmin(tx, c, c.DirectoryID, op); err != nil {
			return nil, err
		}
		u, err := tx.User(c.DirectoryID, id)
		if rollcall.IsKind(err, rollcall.NotFound) || (err == nil && (u.Kind != rollcall.DirWorkDocs || u.TenantID != c.TenantID)) {
			return nil, userNotFound(id)
		}
		if err != nil {
			return nil, err
		}
		return UserOf(u)
	}
	orgs, err := tx.Directories(c.TenantID, rollcall.DirWorkDocs, "", 0)
	if err != nil {
		return nil, err
	}
	// User IDs are unique across the store, so at most one organization has it.
	for _, o := range orgs {
		u, err := tx.User(o.ID, id)
		if rollcall.IsKind(err, rollcall.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if u.Kind == rollcall.DirWorkDocs && u.TenantID == c.TenantID {
			return UserOf(u)
		}
	}
	return nil, userNotFound(id)
}

// CurrentUser is GetCurrentUser: the user whose Authentication token made the
// request. An AWS caller (no token) has no current user (Invalid); a token whose user was
// deleted is Unauthorized; an INACTIVE user may not use WorkDocs (Forbidden).
func (s *Service) CurrentUser(ctx context.Context, c rollcall.Caller) (*User, error) {
	const op = "GetCurrentWorkDocsUser"
	if c.UserID == "" {
		return nil, &rollcall.Error{Kind: rollcall.Invalid, Op: op, Field: "AuthenticationToken", Reason: rollcall.ReasonMissing,
			Message: "GetCurrentUser without an Authentication token"}
	}
	var u *rollcall.User
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		u, err = tx.User(c.DirectoryID, c.UserID)
		return err
	})
	if rollcall.IsKind(err, rollcall.NotFound) || (err == nil && u.TenantID != c.TenantID) {
		return nil, &rollcall.Error{Kind: rollcall.Unauthorized, Op: op, Reason: rollcall.ReasonInvalidToken, Message: "The Authentication token is not valid."}
	}
	if err != nil {
		return nil, rollcall.WithOp(op, err)
	}
	if u.Status == Inactive {
		return nil, notActive(op)
	}
	wu, err := UserOf(u)
	return wu, rollcall.WithOp(op, err)
}

// UpdateUserInput is what WorkDocs UpdateUser takes; nil or "" leaves a member
// as it is. The face has validated its shape.
type UpdateUserInput struct {
	UserID      string
	GivenName   *string
	Surname     *string
	Type        string // USER | ADMIN | POWERUSER | MINIMALUSER | WORKSPACESUSER
	StorageRule *StorageRule
	TimeZoneID  *string
	Locale      string
	// GrantPoweruser is GrantPoweruserPrivileges: true makes the user a POWERUSER, false
	// makes a POWERUSER a USER again.
	GrantPoweruser *bool
}

// UpdateUser changes the attributes UpdateUser names and returns the user as
// stored. A StorageRule is merged into the user's: a type switches between QUOTA and
// UNLIMITED (QUOTA keeps the allocation, or gets the default), an allocation alone makes
// the rule a QUOTA of that size. A Type and GrantPoweruserPrivileges that contradict each
// other are Invalid.
func (s *Service) UpdateUser(ctx context.Context, c rollcall.Caller, in UpdateUserInput) (*User, error) {
	const op = "UpdateWorkDocsUser"
	if g := in.GrantPoweruser; g != nil && in.Type != "" && *g != (in.Type == TypePowerUser) {
		return nil, &rollcall.Error{Kind: rollcall.Invalid, Op: op, Field: "GrantPoweruserPrivileges", Values: map[string]string{"Type": in.Type},
			Message: "GrantPoweruserPrivileges contradicts Type " + in.Type}
	}
	var u *User
	err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) (err error) {
		u, err = workDocsUser(tx, c, in.UserID, "UpdateUser")
		if err != nil {
			return err
		}
		if in.GivenName != nil {
			u.GivenName = *in.GivenName
		}
		if in.Surname != nil {
			u.FamilyName = *in.Surname
		}
		u.DisplayName = strings.TrimSpace(u.GivenName + " " + u.FamilyName)
		if in.Type != "" {
			u.UserType = in.Type
		}
		if g := in.GrantPoweruser; g != nil {
			if *g {
				u.UserType = TypePowerUser
			} else if u.UserType == TypePowerUser {
				u.UserType = TypeUser
			}
		}
		if r := in.StorageRule; r != nil {
			mergeStorageRule(&u.Attrs, r)
		}
		if in.TimeZoneID != nil {
			u.Attrs.TimeZoneID = *in.TimeZoneID
		}
		if in.Locale != "" {
			u.Attrs.Locale = in.Locale
		}
		u.UpdatedAt = s.Core.Time()
		return tx.UpdateUser(put(u))
	})
	if err != nil {
		return nil, rollcall.WithOp(op, err)
	}
	return u, nil
}

func mergeStorageRule(a *UserAttrs, r *StorageRule) {
	typ := r.Type
	if typ == "" && r.AllocatedInBytes != nil {
		typ = Quota
	}
	if typ == "" {
		return
	}
	a.StorageType = typ
	switch {
	case typ == Unlimited:
		a.StorageAllocatedInBytes = nil
	case r.AllocatedInBytes != nil:
		n := *r.AllocatedInBytes
		a.StorageAllocatedInBytes = &n
	case a.StorageAllocatedInBytes == nil:
		n := DefaultAllocated
		a.StorageAllocatedInBytes = &n
	}
}

// DeleteUser is DeleteUser: the user is gone for good, and its Authentication
// tokens with it (WorkDocsCaller finds no user for them).
func (s *Service) DeleteUser(ctx context.Context, c rollcall.Caller, userID string) error {
	err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
		u, err := workDocsUser(tx, c, userID, "DeleteUser")
		if err != nil {
			return err
		}
		err = rollcall.DeleteUser(tx, u.User, s.Core.Time())
		if rollcall.IsKind(err, rollcall.NotFound) {
			return userNotFound(userID)
		}
		return err
	})
	return rollcall.WithOp("DeleteWorkDocsUser", err)
}

// ActivateUser is ActivateUser: the user becomes ACTIVE (an ACTIVE user stays as
// it is) and is returned as stored.
func (s *Service) ActivateUser(ctx context.Context, c rollcall.Caller, userID string) (*User, error) {
	u, err := s.setWorkDocsStatus(ctx, c, userID, Active, "ActivateUser")
	return u, rollcall.WithOp("ActivateWorkDocsUser", err)
}

// DeactivateUser is DeactivateUser: the user becomes INACTIVE and may no longer
// use WorkDocs. Its Authentication tokens are revoked at once, for good: activating the
// user again does not bring them back.
func (s *Service) DeactivateUser(ctx context.Context, c rollcall.Caller, userID string) error {
	_, err := s.setWorkDocsStatus(ctx, c, userID, Inactive, "DeactivateUser")
	return rollcall.WithOp("DeactivateWorkDocsUser", err)
}

func (s *Service) setWorkDocsStatus(ctx context.Context, c rollcall.Caller, userID, status, op string) (*User, error) {
	var u *User
	err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) (err error) {
		u, err = workDocsUser(tx, c, userID, op)
		if err != nil || u.Status == status {
			return err
		}
		u.Status = status
		if status == Inactive {
			u.Attrs.TokenEpoch++ // revokes every token issued until now
		}
		u.UpdatedAt = s.Core.Time()
		if status == Inactive {
			if err := rollcall.EndInvitations(tx, u.User, u.UpdatedAt); err != nil {
				return err
			}
		}
		return tx.UpdateUser(put(u))
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// UsersCursor is where a DescribeUsers page ended: the sort value and the ID of
// the last user returned. It is only meaningful for the same organization, filters and
// sort; the face seals it so that clients can neither read nor change it.
type UsersCursor struct {
	Organization string `json:"o"`           // a fingerprint of the organization's ID (IDs can be long)
	Value        string `json:"v,omitempty"` // string sorts (USER_NAME: the user's Key)
	Number       int64  `json:"n,omitempty"` // numeric sorts
	ID           string `json:"i"`
}

// DescribeUsersInput is what DescribeUsers takes; the face has validated it.
type DescribeUsersInput struct {
	OrganizationID  string   // "" = the caller's only organization (a token's own)
	UserIDs         []string // when set, only these users, and Query is ignored
	Query           string   // prefix search over given name, surname and username
	IncludeInactive bool     // Include=ALL
	Sort            string   // "" = USER_NAME
	Descending      bool
	Limit           int // 0 = DefaultDescribeLimit
	After           *UsersCursor
}

// DescribeUsersOutput is one page. Next is nil on the last page.
type DescribeUsersOutput struct {
	OrganizationID string
	Users          []*User
	Next           *UsersCursor
}

func orgFingerprint(orgID string) string { return rollcall.HashToken(orgID)[:16] }

// sortFields maps DescribeUsers' sorts to the fields the store indexes.
var sortFields = map[string]rollcall.UserField{
	SortUserName:     rollcall.UserKey,
	SortFullName:     rollcall.UserFullName,
	SortStorageLimit: rollcall.UserStorageLimit,
	SortUserStatus:   rollcall.UserStatus,
	SortStorageUsed:  rollcall.UserStorageUsed,
}

// describeQuery is the store query of a DescribeUsers request: the organization's users,
// without INACTIVE ones unless Include=ALL, the named ones or those Query finds, in the
// sort's order and then by ID, both in the request's direction.
func describeQuery(orgID string, in DescribeUsersInput, limit int) (rollcall.UserQuery, error) {
	field, ok := sortFields[cmp.Or(in.Sort, SortUserName)]
	if !ok {
		return rollcall.UserQuery{}, &rollcall.Error{Kind: rollcall.Invalid, Field: "Sort", Message: "Unsupported sort " + in.Sort + "."}
	}
	q := rollcall.UserQuery{DirectoryID: orgID, Kind: rollcall.DirWorkDocs, IDs: in.UserIDs, Limit: limit + 1,
		Sort: []rollcall.UserSort{{Field: field, Descending: in.Descending}, {Field: rollcall.UserID, Descending: in.Descending}}}
	if !in.IncludeInactive {
		q.Statuses = []string{Active, Pending}
	}
	if len(in.UserIDs) == 0 {
		q.Search = rollcall.SearchTerms(in.Query)
	}
	if a := in.After; a != nil {
		q.After = &rollcall.UserCursor{Values: []rollcall.SortValue{{S: a.Value, N: a.Number}}}
		if len(rollcall.OrderOf(q)) > 1 {
			q.After.Values = append(q.After.Values, rollcall.SortValue{S: a.ID})
		}
		if a.Organization != orgFingerprint(orgID) || !rollcall.ValidCursor(q, q.After) {
			return rollcall.UserQuery{}, badMarker()
		}
	}
	return q, nil
}

// DescribeUsers is DescribeUsers. Every page is keyset-paginated on (sort value,
// user ID), so users created or deleted while a client pages never make another user
// appear twice or go missing. The store answers it from the organization's index on the
// sort (describeQuery): a page reads about its own rows, plus the rows it skips
// (INACTIVE users without Include=ALL, users a Query does not match), however deep it
// is and however large the organization. UserIDs reads just those users.
func (s *Service) DescribeUsers(ctx context.Context, c rollcall.Caller, in DescribeUsersInput) (*DescribeUsersOutput, error) {
	const op = "DescribeWorkDocsUsers"
	limit := in.Limit
	if limit <= 0 {
		limit = DefaultDescribeLimit
	}
	out := &DescribeUsersOutput{}
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) error {
		orgID, err := s.workDocsOrganization(tx, c, in.OrganizationID)
		if err != nil {
			return err
		}
		if err := requireWorkDocsMember(tx, c, orgID); err != nil {
			return err
		}
		q, err := describeQuery(orgID, in, limit)
		if err != nil {
			return err
		}
		out.OrganizationID = orgID
		users, err := tx.Users(q)
		if err != nil {
			return err
		}
		out.Users = make([]*User, 0, min(len(users), limit))
		if len(users) > limit {
			users = users[:limit]
			next := rollcall.CursorOf(q, users[limit-1]).Values
			out.Next = &UsersCursor{Organization: orgFingerprint(orgID), Value: next[0].S, Number: next[0].N}
			if len(next) > 1 {
				out.Next.ID = next[1].S
			}
		}
		for _, u := range users[:min(len(users), limit)] {
			wu, err := UserOf(u)
			if err != nil {
				return err
			}
			out.Users = append(out.Users, wu)
		}
		return nil
	})
	if err != nil {
		return nil, rollcall.WithOp(op, err)
	}
	return out, nil
}

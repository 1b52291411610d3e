package workdocs

import (
	"cmp"
	"context"
	"math"
	"slices"
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
func workDocsUser(tx rollcall.Tx, c rollcall.Caller, id, op string) (*rollcall.User, error) {
	if c.UserID != "" {
		if err := requireWorkDocsAdmin(tx, c, c.DirectoryID, op); err != nil {
			return nil, err
		}
		u, err := tx.User(c.DirectoryID, id)
		if rollcall.IsKind(err, rollcall.NotFound) || (err == nil && (u.Kind != rollcall.DirWorkDocs || u.TenantID != c.TenantID)) {
			return nil, userNotFound(id)
		}
		return u, err
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
			return u, nil
		}
	}
	return nil, userNotFound(id)
}

// CurrentUser is GetCurrentUser: the user whose Authentication token made the
// request. An AWS caller (no token) has no current user (Invalid); a token whose user was
// deleted is Unauthorized; an INACTIVE user may not use WorkDocs (Forbidden).
func (s *Service) CurrentUser(ctx context.Context, c rollcall.Caller) (*rollcall.User, error) {
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
	return u, nil
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
func (s *Service) UpdateUser(ctx context.Context, c rollcall.Caller, in UpdateUserInput) (*rollcall.User, error) {
	const op = "UpdateWorkDocsUser"
	if g := in.GrantPoweruser; g != nil && in.Type != "" && *g != (in.Type == TypePowerUser) {
		return nil, &rollcall.Error{Kind: rollcall.Invalid, Op: op, Field: "GrantPoweruserPrivileges", Values: map[string]string{"Type": in.Type},
			Message: "GrantPoweruserPrivileges contradicts Type " + in.Type}
	}
	var u *rollcall.User
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
		return tx.UpdateUser(u)
	})
	if err != nil {
		return nil, rollcall.WithOp(op, err)
	}
	return u, nil
}

func mergeStorageRule(a *rollcall.UserAttrs, r *StorageRule) {
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
		err = rollcall.DeleteUser(tx, u, s.Core.Time())
		if rollcall.IsKind(err, rollcall.NotFound) {
			return userNotFound(userID)
		}
		return err
	})
	return rollcall.WithOp("DeleteWorkDocsUser", err)
}

// ActivateUser is ActivateUser: the user becomes ACTIVE (an ACTIVE user stays as
// it is) and is returned as stored.
func (s *Service) ActivateUser(ctx context.Context, c rollcall.Caller, userID string) (*rollcall.User, error) {
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

func (s *Service) setWorkDocsStatus(ctx context.Context, c rollcall.Caller, userID, status, op string) (*rollcall.User, error) {
	var u *rollcall.User
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
			if err := rollcall.EndInvitations(tx, u, u.UpdatedAt); err != nil {
				return err
			}
		}
		return tx.UpdateUser(u)
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
	Users          []*rollcall.User
	Next           *UsersCursor
}

func orgFingerprint(orgID string) string { return rollcall.HashToken(orgID)[:16] }

// describeBatch caps how many rows one index read of DescribeUsers fetches when it has
// to skip users that do not match.
const describeBatch = 512

// DescribeUsers is DescribeUsers. Every page is keyset-paginated on (sort value,
// user ID), so users created or deleted while a client pages never make another user
// appear twice or go missing.
//
// Sorted by USER_NAME (the default) the page walks the unique (organization, Key) index
// from the cursor: it reads about one page of rows, plus the rows it skips (INACTIVE users
// without Include=ALL, users a Query does not match), however deep the page is. The other
// sorts read the whole organization and sort it in memory: their cost grows with the
// organization's size. UserIDs reads just those users.
func (s *Service) DescribeUsers(ctx context.Context, c rollcall.Caller, in DescribeUsersInput) (*DescribeUsersOutput, error) {
	const op = "DescribeWorkDocsUsers"
	limit := in.Limit
	if limit <= 0 {
		limit = DefaultDescribeLimit
	}
	sortBy := in.Sort
	if sortBy == "" {
		sortBy = SortUserName
	}
	match := workDocsUserMatcher(in)
	out := &DescribeUsersOutput{}
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) error {
		orgID, err := s.workDocsOrganization(tx, c, in.OrganizationID)
		if err != nil {
			return err
		}
		if err := requireWorkDocsMember(tx, c, orgID); err != nil {
			return err
		}
		if in.After != nil && in.After.Organization != orgFingerprint(orgID) {
			return badMarker()
		}
		out.OrganizationID = orgID
		var users []*rollcall.User
		switch {
		case len(in.UserIDs) > 0:
			users, err = workDocsUsersByID(tx, orgID, in.UserIDs, match)
		case sortBy == SortUserName:
			users, err = workDocsUsersByKey(tx, orgID, in, limit, match)
		default:
			users, err = tx.Users(rollcall.UserFilter{DirectoryID: orgID})
			users = slices.DeleteFunc(users, func(u *rollcall.User) bool { return !match(u) })
		}
		if err != nil {
			return err
		}
		if len(in.UserIDs) > 0 || sortBy != SortUserName {
			users = pageInMemory(users, sortBy, in.Descending, in.After)
		}
		if len(users) > limit {
			last := users[limit-1]
			v, n := workDocsSortValue(sortBy, last)
			out.Next = &UsersCursor{Organization: orgFingerprint(orgID), Value: v, Number: n, ID: last.ID}
			users = users[:limit]
		}
		out.Users = users
		return nil
	})
	if err != nil {
		return nil, rollcall.WithOp(op, err)
	}
	return out, nil
}

// workDocsUsersByKey walks the (organization, Key) index from the cursor and returns up to
// limit+1 matching users (one more tells whether there is a next page).
func workDocsUsersByKey(tx rollcall.Tx, orgID string, in DescribeUsersInput, limit int, match func(*rollcall.User) bool) ([]*rollcall.User, error) {
	after := ""
	if in.After != nil {
		after = in.After.Value
		if after == "" {
			return nil, badMarker()
		}
	}
	want := limit + 1
	batch := want
	var page []*rollcall.User
	for {
		rows, err := tx.Users(rollcall.UserFilter{DirectoryID: orgID, After: after, Limit: batch, OrderByKey: true, Descending: in.Descending})
		if err != nil {
			return nil, err
		}
		for _, u := range rows {
			if match(u) {
				page = append(page, u)
				if len(page) == want {
					return page, nil
				}
			}
		}
		if len(rows) < batch {
			return page, nil
		}
		after = rows[len(rows)-1].Key
		batch = min(batch*4, max(describeBatch, want))
	}
}

// workDocsUsersByID reads the named users of the organization that match; IDs it does not
// have are left out, as are repeats.
func workDocsUsersByID(tx rollcall.Tx, orgID string, ids []string, match func(*rollcall.User) bool) ([]*rollcall.User, error) {
	seen := map[string]bool{}
	var users []*rollcall.User
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		u, err := tx.User(orgID, id)
		if rollcall.IsKind(err, rollcall.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if match(u) {
			users = append(users, u)
		}
	}
	return users, nil
}

// pageInMemory sorts users by (sort value, ID) and drops those at or before the cursor.
func pageInMemory(users []*rollcall.User, sortBy string, desc bool, after *UsersCursor) []*rollcall.User {
	type keyed struct {
		v  string
		n  int64
		id string
		u  *rollcall.User
	}
	compare := func(av string, an int64, aid string, bv string, bn int64, bid string) int {
		c := cmp.Or(cmp.Compare(an, bn), strings.Compare(av, bv), strings.Compare(aid, bid))
		if desc {
			return -c
		}
		return c
	}
	ks := make([]keyed, 0, len(users))
	for _, u := range users {
		v, n := workDocsSortValue(sortBy, u)
		if after != nil && compare(v, n, u.ID, after.Value, after.Number, after.ID) <= 0 {
			continue
		}
		ks = append(ks, keyed{v, n, u.ID, u})
	}
	slices.SortFunc(ks, func(a, b keyed) int { return compare(a.v, a.n, a.id, b.v, b.n, b.id) })
	out := make([]*rollcall.User, len(ks))
	for i, k := range ks {
		out[i] = k.u
	}
	return out
}

// workDocsSortValue is what a user sorts by: a string or a number (the other is zero).
// Full names sort without regard to case or accents; an UNLIMITED storage limit sorts above every quota.
func workDocsSortValue(sortBy string, u *rollcall.User) (string, int64) {
	switch sortBy {
	case SortFullName:
		return rollcall.FoldName(u.GivenName + " " + u.FamilyName), 0
	case SortUserStatus:
		return u.Status, 0
	case SortStorageLimit:
		if u.Attrs.StorageType == Unlimited || u.Attrs.StorageAllocatedInBytes == nil {
			return "", math.MaxInt64
		}
		return "", *u.Attrs.StorageAllocatedInBytes
	case SortStorageUsed:
		return "", u.Attrs.StorageUtilizedInBytes
	default:
		return u.Key, 0
	}
}

// workDocsUserMatcher is the filter of a DescribeUsers request: the status filter, and the
// query unless the request names users.
func workDocsUserMatcher(in DescribeUsersInput) func(*rollcall.User) bool {
	var terms []string
	if len(in.UserIDs) == 0 {
		terms = strings.Fields(rollcall.FoldName(in.Query))
	}
	return func(u *rollcall.User) bool {
		if u.Kind != rollcall.DirWorkDocs || (!in.IncludeInactive && u.Status == Inactive) {
			return false
		}
		if len(terms) == 0 {
			return true
		}
		words := append(strings.Fields(rollcall.FoldName(u.GivenName+" "+u.FamilyName)), rollcall.FoldName(u.Username))
		for _, t := range terms {
			if !slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, t) }) {
				return false
			}
		}
		return true
	}
}

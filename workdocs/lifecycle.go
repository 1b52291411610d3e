package rollcall

import (
	"cmp"
	"context"
	"math"
	"slices"
	"strings"
	"unicode"
)

// The lifecycle of a WorkDocs user after CreateUser: DescribeUsers, GetCurrentUser,
// UpdateUser, DeleteUser, ActivateUser and DeactivateUser. Who may call is the same as for
// CreateUser: a caller with AWS credentials of the account that owns the organization, or
// the Authentication token of an ACTIVE ADMIN of the organization. A user of another
// tenant (or another organization, for a token) does not exist for the caller.

// WorkDocs user states (the model's UserStatusType).
const (
	WorkDocsActive   = "ACTIVE"
	WorkDocsInactive = "INACTIVE"
	WorkDocsPending  = "PENDING"
)

// WorkDocs user types beside USER and ADMIN (the model's UserType).
const (
	WorkDocsPowerUser     = "POWERUSER"
	WorkDocsMinimalUser   = "MINIMALUSER"
	WorkDocsWorkSpaceUser = "WORKSPACESUSER"
)

// Sorts of DescribeUsers (the model's UserSortType).
const (
	WorkDocsSortUserName     = "USER_NAME"
	WorkDocsSortFullName     = "FULL_NAME"
	WorkDocsSortStorageLimit = "STORAGE_LIMIT"
	WorkDocsSortUserStatus   = "USER_STATUS"
	WorkDocsSortStorageUsed  = "STORAGE_USED"
)

// ReasonEntityNotExists labels a NotFound for a named entity (a WorkDocs user), which
// WorkDocs answers with EntityNotExistsException rather than with the error for a
// container the caller cannot see.
const ReasonEntityNotExists = "entity-not-exists"

// DefaultWorkDocsDescribeLimit is how many users DescribeUsers returns when the request
// sets no Limit ("By default, Amazon WorkDocs returns the first 24 active or pending
// users").
const DefaultWorkDocsDescribeLimit = 24

func workDocsUserNotFound(id string) *Error {
	return &Error{Kind: NotFound, Field: "UserId", Reason: ReasonEntityNotExists, Message: "The user " + id + " does not exist."}
}

// requireWorkDocsAdminTo is requireWorkDocsAdmin with the action in the message.
func requireWorkDocsAdminTo(tx Tx, c Caller, orgID, action string) error {
	err := requireWorkDocsAdmin(tx, c, orgID)
	if IsKind(err, Forbidden) {
		return &Error{Kind: Forbidden, Reason: ReasonNotAdministrator,
			Message: "The operation is not permitted: only an administrator of the organization may " + action + "."}
	}
	return err
}

// requireWorkDocsMember lets a caller with an Authentication token read only the
// organization the token belongs to, and only while its user is ACTIVE: any user may see
// who else is in the organization, as in WorkDocs, but only admins change anyone.
func requireWorkDocsMember(tx Tx, c Caller, orgID string) error {
	if c.UserID == "" {
		return nil
	}
	if c.DirectoryID != orgID {
		return workDocsOrgNotFound(orgID)
	}
	u, err := tx.User(orgID, c.UserID)
	if IsKind(err, NotFound) || (err == nil && u.Status != "ACTIVE") {
		return &Error{Kind: Forbidden, Reason: ReasonNotActive, Message: "The operation is not permitted: the user is not active."}
	}
	return err
}

// workDocsUser finds a user by ID among what the caller may see, and checks that the
// caller may act on it: a token caller only in its own organization, and only as an
// ACTIVE ADMIN (checked first, so that others cannot probe which IDs exist); an AWS
// caller in every organization of its account. Anything else is the user not existing.
func workDocsUser(tx Tx, c Caller, id, action string) (*User, error) {
	if c.UserID != "" {
		if err := requireWorkDocsAdminTo(tx, c, c.DirectoryID, action); err != nil {
			return nil, err
		}
		u, err := tx.User(c.DirectoryID, id)
		if IsKind(err, NotFound) || (err == nil && (u.Kind != DirWorkDocs || u.TenantID != c.TenantID)) {
			return nil, workDocsUserNotFound(id)
		}
		return u, err
	}
	orgs, err := tx.Directories(c.TenantID, DirWorkDocs, "", 0)
	if err != nil {
		return nil, err
	}
	// User IDs are unique across the store, so at most one organization has it.
	for _, o := range orgs {
		u, err := tx.User(o.ID, id)
		if IsKind(err, NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if u.Kind == DirWorkDocs && u.TenantID == c.TenantID {
			return u, nil
		}
	}
	return nil, workDocsUserNotFound(id)
}

// CurrentWorkDocsUser is GetCurrentUser: the user whose Authentication token made the
// request. An AWS caller (no token) has no current user (Invalid); a token whose user was
// deleted is Unauthorized; an INACTIVE user may not use WorkDocs (Forbidden).
func (s *Service) CurrentWorkDocsUser(ctx context.Context, c Caller) (*User, error) {
	const op = "GetCurrentWorkDocsUser"
	if c.UserID == "" {
		return nil, &Error{Kind: Invalid, Op: op, Field: "AuthenticationToken",
			Message: "GetCurrentUser needs the Authentication token of a user; it is not an action for AWS credentials."}
	}
	var u *User
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		u, err = tx.User(c.DirectoryID, c.UserID)
		return err
	})
	if IsKind(err, NotFound) || (err == nil && u.TenantID != c.TenantID) {
		return nil, &Error{Kind: Unauthorized, Op: op, Reason: ReasonInvalidToken, Message: "The Authentication token is not valid."}
	}
	if err != nil {
		return nil, WithOp(op, err)
	}
	if u.Status == WorkDocsInactive {
		return nil, &Error{Kind: Forbidden, Op: op, Reason: ReasonNotActive, Message: "The operation is not permitted: the user is not active."}
	}
	return u, nil
}

// ReasonNotActive labels a Forbidden for a WorkDocs user who has been deactivated.
const ReasonNotActive = "not-active"

// UpdateWorkDocsUserInput is what WorkDocs UpdateUser takes; nil or "" leaves a member
// as it is. The face has validated its shape.
type UpdateWorkDocsUserInput struct {
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

// UpdateWorkDocsUser changes the attributes UpdateUser names and returns the user as
// stored. A StorageRule is merged into the user's: a type switches between QUOTA and
// UNLIMITED (QUOTA keeps the allocation, or gets the default), an allocation alone makes
// the rule a QUOTA of that size. A Type and GrantPoweruserPrivileges that contradict each
// other are Invalid.
func (s *Service) UpdateWorkDocsUser(ctx context.Context, c Caller, in UpdateWorkDocsUserInput) (*User, error) {
	const op = "UpdateWorkDocsUser"
	if g := in.GrantPoweruser; g != nil && in.Type != "" && *g != (in.Type == WorkDocsPowerUser) {
		return nil, &Error{Kind: Invalid, Op: op, Field: "GrantPoweruserPrivileges",
			Message: "GrantPoweruserPrivileges contradicts Type " + in.Type + "."}
	}
	var u *User
	err := s.Store.Update(ctx, func(tx Tx) (err error) {
		u, err = workDocsUser(tx, c, in.UserID, "update users")
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
				u.UserType = WorkDocsPowerUser
			} else if u.UserType == WorkDocsPowerUser {
				u.UserType = WorkDocsUser
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
		u.UpdatedAt = s.now()
		return tx.UpdateUser(u)
	})
	if err != nil {
		return nil, WithOp(op, err)
	}
	return u, nil
}

func mergeStorageRule(a *UserAttrs, r *StorageRule) {
	typ := r.Type
	if typ == "" && r.AllocatedInBytes != nil {
		typ = WorkDocsQuota
	}
	if typ == "" {
		return
	}
	a.StorageType = typ
	switch {
	case typ == WorkDocsUnlimited:
		a.StorageAllocatedInBytes = nil
	case r.AllocatedInBytes != nil:
		n := *r.AllocatedInBytes
		a.StorageAllocatedInBytes = &n
	case a.StorageAllocatedInBytes == nil:
		n := WorkDocsDefaultAllocated
		a.StorageAllocatedInBytes = &n
	}
}

// DeleteWorkDocsUser is DeleteUser: the user is gone for good, and its Authentication
// tokens with it (WorkDocsCaller finds no user for them).
func (s *Service) DeleteWorkDocsUser(ctx context.Context, c Caller, userID string) error {
	err := s.Store.Update(ctx, func(tx Tx) error {
		u, err := workDocsUser(tx, c, userID, "delete users")
		if err != nil {
			return err
		}
		err = deleteUser(tx, u, s.now())
		if IsKind(err, NotFound) {
			return workDocsUserNotFound(userID)
		}
		return err
	})
	return WithOp("DeleteWorkDocsUser", err)
}

// ActivateWorkDocsUser is ActivateUser: the user becomes ACTIVE (an ACTIVE user stays as
// it is) and is returned as stored.
func (s *Service) ActivateWorkDocsUser(ctx context.Context, c Caller, userID string) (*User, error) {
	u, err := s.setWorkDocsStatus(ctx, c, userID, WorkDocsActive, "activate users")
	return u, WithOp("ActivateWorkDocsUser", err)
}

// DeactivateWorkDocsUser is DeactivateUser: the user becomes INACTIVE and may no longer
// use WorkDocs. Its Authentication tokens are revoked at once, for good: activating the
// user again does not bring them back.
func (s *Service) DeactivateWorkDocsUser(ctx context.Context, c Caller, userID string) error {
	_, err := s.setWorkDocsStatus(ctx, c, userID, WorkDocsInactive, "deactivate users")
	return WithOp("DeactivateWorkDocsUser", err)
}

func (s *Service) setWorkDocsStatus(ctx context.Context, c Caller, userID, status, action string) (*User, error) {
	var u *User
	err := s.Store.Update(ctx, func(tx Tx) (err error) {
		u, err = workDocsUser(tx, c, userID, action)
		if err != nil || u.Status == status {
			return err
		}
		u.Status = status
		if status == WorkDocsInactive {
			u.Attrs.TokenEpoch++ // revokes every token issued until now
		}
		u.UpdatedAt = s.now()
		if status == WorkDocsInactive {
			if err := endInvitations(tx, u, u.UpdatedAt); err != nil {
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

// WorkDocsUsersCursor is where a DescribeUsers page ended: the sort value and the ID of
// the last user returned. It is only meaningful for the same organization, filters and
// sort; the face seals it so that clients can neither read nor change it.
type WorkDocsUsersCursor struct {
	Organization string `json:"o"`           // a fingerprint of the organization's ID (IDs can be long)
	Value        string `json:"v,omitempty"` // string sorts (USER_NAME: the user's Key)
	Number       int64  `json:"n,omitempty"` // numeric sorts
	ID           string `json:"i"`
}

// DescribeWorkDocsUsersInput is what DescribeUsers takes; the face has validated it.
type DescribeWorkDocsUsersInput struct {
	OrganizationID  string   // "" = the caller's only organization (a token's own)
	UserIDs         []string // when set, only these users, and Query is ignored
	Query           string   // prefix search over given name, surname and username
	IncludeInactive bool     // Include=ALL
	Sort            string   // "" = USER_NAME
	Descending      bool
	Limit           int // 0 = DefaultWorkDocsDescribeLimit
	After           *WorkDocsUsersCursor
}

// DescribeWorkDocsUsersOutput is one page. Next is nil on the last page.
type DescribeWorkDocsUsersOutput struct {
	OrganizationID string
	Users          []*User
	Next           *WorkDocsUsersCursor
}

func orgFingerprint(orgID string) string { return HashToken(orgID)[:16] }

// describeBatch caps how many rows one index read of DescribeUsers fetches when it has
// to skip users that do not match.
const describeBatch = 512

// DescribeWorkDocsUsers is DescribeUsers. Every page is keyset-paginated on (sort value,
// user ID), so users created or deleted while a client pages never make another user
// appear twice or go missing.
//
// Sorted by USER_NAME (the default) the page walks the unique (organization, Key) index
// from the cursor: it reads about one page of rows, plus the rows it skips (INACTIVE users
// without Include=ALL, users a Query does not match), however deep the page is. The other
// sorts read the whole organization and sort it in memory: their cost grows with the
// organization's size. UserIDs reads just those users.
func (s *Service) DescribeWorkDocsUsers(ctx context.Context, c Caller, in DescribeWorkDocsUsersInput) (*DescribeWorkDocsUsersOutput, error) {
	const op = "DescribeWorkDocsUsers"
	limit := in.Limit
	if limit <= 0 {
		limit = DefaultWorkDocsDescribeLimit
	}
	sortBy := in.Sort
	if sortBy == "" {
		sortBy = WorkDocsSortUserName
	}
	match := workDocsUserMatcher(in)
	out := &DescribeWorkDocsUsersOutput{}
	err := s.Store.View(ctx, func(tx Tx) error {
		orgID, err := s.workDocsOrganization(tx, c, in.OrganizationID)
		if err != nil {
			return err
		}
		if err := requireWorkDocsMember(tx, c, orgID); err != nil {
			return err
		}
		if in.After != nil && in.After.Organization != orgFingerprint(orgID) {
			return &Error{Kind: Invalid, Field: "Marker", Message: "The marker is not valid for this request."}
		}
		out.OrganizationID = orgID
		var users []*User
		switch {
		case len(in.UserIDs) > 0:
			users, err = workDocsUsersByID(tx, orgID, in.UserIDs, match)
		case sortBy == WorkDocsSortUserName:
			users, err = workDocsUsersByKey(tx, orgID, in, limit, match)
		default:
			users, err = tx.Users(UserFilter{DirectoryID: orgID})
			users = slices.DeleteFunc(users, func(u *User) bool { return !match(u) })
		}
		if err != nil {
			return err
		}
		if len(in.UserIDs) > 0 || sortBy != WorkDocsSortUserName {
			users = pageInMemory(users, sortBy, in.Descending, in.After)
		}
		if len(users) > limit {
			last := users[limit-1]
			v, n := workDocsSortValue(sortBy, last)
			out.Next = &WorkDocsUsersCursor{Organization: orgFingerprint(orgID), Value: v, Number: n, ID: last.ID}
			users = users[:limit]
		}
		out.Users = users
		return nil
	})
	if err != nil {
		return nil, WithOp(op, err)
	}
	return out, nil
}

// workDocsUsersByKey walks the (organization, Key) index from the cursor and returns up to
// limit+1 matching users (one more tells whether there is a next page).
func workDocsUsersByKey(tx Tx, orgID string, in DescribeWorkDocsUsersInput, limit int, match func(*User) bool) ([]*User, error) {
	after := ""
	if in.After != nil {
		after = in.After.Value
		if after == "" {
			return nil, &Error{Kind: Invalid, Field: "Marker", Message: "The marker is not valid for this request."}
		}
	}
	want := limit + 1
	batch := want
	var page []*User
	for {
		rows, err := tx.Users(UserFilter{DirectoryID: orgID, After: after, Limit: batch, OrderByKey: true, Descending: in.Descending})
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
func workDocsUsersByID(tx Tx, orgID string, ids []string, match func(*User) bool) ([]*User, error) {
	seen := map[string]bool{}
	var users []*User
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		u, err := tx.User(orgID, id)
		if IsKind(err, NotFound) {
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
func pageInMemory(users []*User, sortBy string, desc bool, after *WorkDocsUsersCursor) []*User {
	type keyed struct {
		v  string
		n  int64
		id string
		u  *User
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
	out := make([]*User, len(ks))
	for i, k := range ks {
		out[i] = k.u
	}
	return out
}

// workDocsSortValue is what a user sorts by: a string or a number (the other is zero).
// Full names sort without regard to case or accents; an UNLIMITED storage limit sorts above every quota.
func workDocsSortValue(sortBy string, u *User) (string, int64) {
	switch sortBy {
	case WorkDocsSortFullName:
		return foldName(u.GivenName + " " + u.FamilyName), 0
	case WorkDocsSortUserStatus:
		return u.Status, 0
	case WorkDocsSortStorageLimit:
		if u.Attrs.StorageType == WorkDocsUnlimited || u.Attrs.StorageAllocatedInBytes == nil {
			return "", math.MaxInt64
		}
		return "", *u.Attrs.StorageAllocatedInBytes
	case WorkDocsSortStorageUsed:
		return "", u.Attrs.StorageUtilizedInBytes
	default:
		return u.Key, 0
	}
}

// workDocsUserMatcher is the filter of a DescribeUsers request: the status filter, and the
// query unless the request names users.
func workDocsUserMatcher(in DescribeWorkDocsUsersInput) func(*User) bool {
	var terms []string
	if len(in.UserIDs) == 0 {
		terms = strings.Fields(foldName(in.Query))
	}
	return func(u *User) bool {
		if u.Kind != DirWorkDocs || (!in.IncludeInactive && u.Status == WorkDocsInactive) {
			return false
		}
		if len(terms) == 0 {
			return true
		}
		words := append(strings.Fields(foldName(u.GivenName+" "+u.FamilyName)), foldName(u.Username))
		for _, t := range terms {
			if !slices.ContainsFunc(words, func(w string) bool { return strings.HasPrefix(w, t) }) {
				return false
			}
		}
		return true
	}
}

// foldName lower-cases s and strips the accents of Latin letters, so that the query "ma"
// finds "Márcia" and "María", as WorkDocs' search does.
func foldName(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 0xC0 && r < 0x180 {
			if b := latinFold[r-0xC0]; b != '.' {
				return rune(b)
			}
		}
		return unicode.ToLower(r)
	}, s)
}

// latinFold is the unaccented lower-case letter of each rune from U+00C0 to U+017F
// (Latin-1 Supplement letters and Latin Extended-A); '.' keeps the rune (×, ÷, æ, ß, ...).
var latinFold = "" +
	"aaaaaa.ceeeeiiii" + // U+00C0 ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏ
	".nooooo.ouuuuy.." + // U+00D0 ÐÑÒÓÔÕÖ×ØÙÚÛÜÝÞß
	"aaaaaa.ceeeeiiii" + // U+00E0 àáâãäåæçèéêëìíîï
	".nooooo.ouuuuy.y" + // U+00F0 ðñòóôõö÷øùúûüýþÿ
	"aaaaaaccccccccdd" + // U+0100 ĀāĂăĄąĆćĈĉĊċČčĎď
	"ddeeeeeeeeeegggg" + // U+0110 ĐđĒēĔĕĖėĘęĚěĜĝĞğ
	"gggghhhhiiiiiiii" + // U+0120 ĠġĢģĤĥĦħĨĩĪīĬĭĮį
	"ii..jjkk.lllllll" + // U+0130 İıĲĳĴĵĶķĸĹĺĻļĽľĿ
	"lllnnnnnn...oooo" + // U+0140 ŀŁłŃńŅņŇňŉŊŋŌōŎŏ
	"oo..rrrrrrssssss" + // U+0150 ŐőŒœŔŕŖŗŘřŚśŜŝŞş
	"ssttttttuuuuuuuu" + // U+0160 ŠšŢţŤťŦŧŨũŪūŬŭŮů
	"uuuuwwyyyzzzzzz." //   U+0170 ŰűŲųŴŵŶŷŸŹźŻżŽžſ

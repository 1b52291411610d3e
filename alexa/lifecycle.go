package alexa

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/rollcall/rollcall"
)

// The Alexa for Business user lifecycle around CreateUser: SearchUsers, DeleteUser and the
// tags of a user ARN (TagResource, UntagResource, ListTags).
//
// Enrollment (alexa_enrollment.go): every user CreateUser makes has one enrollment, with
// the ARN EnrollmentID returns, in the state INITIALIZED; DeleteUser and
// RevokeInvitation take that ARN, as SearchUsers reports it.

// EnrollmentInitialized is the EnrollmentStatus of a user that was created and not yet
// invited (or whose invitation was revoked).
const EnrollmentInitialized = "INITIALIZED"

// MaxTags is how many tags TagResource lets one user carry (the AWS-wide limit of
// user tags per resource; the model gives none).
const MaxTags = 50

// The fields SearchUsers filters and sorts by, as the API names them.
const (
	FieldUserID           = "UserId"
	FieldFirstName        = "FirstName"
	FieldLastName         = "LastName"
	FieldEmail            = "Email"
	FieldEnrollmentStatus = "EnrollmentStatus"
)

// SearchFields lists the supported filter and sort keys, in the documentation's order.
var SearchFields = []string{FieldUserID, FieldFirstName, FieldLastName, FieldEmail, FieldEnrollmentStatus}

// EnrollmentID is the enrollment ARN of an Alexa for Business user: its ARN with the
// resource type "enrollment" instead of "user".
func EnrollmentID(u *User) string {
	return strings.Replace(u.Attrs.Arn, ":user/", ":enrollment/", 1)
}

// Filter keeps the users whose field Key has one of Values. Email matches without
// regard to case; the other fields match exactly.
type Filter struct {
	Key    string
	Values []string
}

// Sort is one sort criterion.
type Sort struct {
	Key        string
	Descending bool
}

// Cursor is where a SearchUsers page ends: the sort values and ID of its last user.
// The face seals it into the NextToken.
type Cursor struct {
	Values []string `json:"v,omitempty"`
	ID     string   `json:"i,omitempty"`
}

// SearchUsersInput is what SearchUsers takes; the face has validated its shape.
type SearchUsersInput struct {
	Filters []Filter // all must match
	Sort    []Sort   // in order; ties are broken by the user's ID
	Limit   int      // at least 1
	After   *Cursor  // nil for the first page
}

// UserPage is one page of SearchUsers. Next is nil on the last page.
type UserPage struct {
	Users []*User
	Next  *Cursor
}

// EffectiveSort drops the criteria that cannot change the order: a key already
// sorted by, and everything after UserId (unique within the account).
func EffectiveSort(criteria []Sort) []Sort {
	var out []Sort
	seen := map[string]bool{}
	for _, s := range criteria {
		if seen[s.Key] {
			continue
		}
		seen[s.Key] = true
		out = append(out, s)
		if s.Key == FieldUserID {
			break
		}
	}
	return out
}

// sortFields maps SearchUsers' fields to the fields the store indexes.
var sortFields = map[string]rollcall.UserField{
	FieldUserID:           rollcall.UserKey,
	FieldFirstName:        rollcall.UserGivenName,
	FieldLastName:         rollcall.UserFamilyName,
	FieldEmail:            rollcall.UserEmail,
	FieldEnrollmentStatus: rollcall.UserEnrollment,
}

// SearchUsers returns one page of the caller's Alexa for Business users.
//
// Pagination is keyset pagination on (sort values, ID): a page holds the users after the
// cursor in that order, as the store is when the page is read, so a user that exists
// across the whole walk is returned exactly once however others are created or deleted
// meanwhile. The store answers it from the account's index on the first sort key (on
// the ID without one): a page reads about its own rows plus those the filters skip,
// however many users the account has.
func (s *Service) SearchUsers(ctx context.Context, c rollcall.Caller, in SearchUsersInput) (*UserPage, error) {
	const op = "SearchAlexaUsers"
	if in.Limit < 1 {
		return nil, badLimit(op)
	}
	for _, f := range in.Filters {
		if !isAlexaField(f.Key) {
			return nil, &rollcall.Error{Kind: rollcall.Invalid, Op: op, Field: "Filters", Values: map[string]string{"Key": f.Key}, Message: "unsupported filter key"}
		}
	}
	for _, o := range in.Sort {
		if !isAlexaField(o.Key) {
			return nil, &rollcall.Error{Kind: rollcall.Invalid, Op: op, Field: "Sort", Values: map[string]string{"Key": o.Key}, Message: "unsupported sort key"}
		}
	}
	q, ok := searchQuery(rollcall.AlexaDirectoryID(c.TenantID), in)
	if in.After != nil {
		q.After = &rollcall.UserCursor{}
		for _, v := range in.After.Values {
			q.After.Values = append(q.After.Values, rollcall.SortValue{S: v})
		}
		if in.After.ID != "" {
			q.After.Values = append(q.After.Values, rollcall.SortValue{S: in.After.ID})
		}
		order := rollcall.OrderOf(q)
		byID := order[len(order)-1].Field == rollcall.UserID
		if len(in.After.Values) != len(q.Sort) || (in.After.ID != "") != byID || !rollcall.ValidCursor(q, q.After) {
			return nil, &rollcall.Error{Kind: rollcall.Invalid, Op: op, Field: "After", Message: "the cursor does not belong to this search"}
		}
	}
	if !ok {
		return &UserPage{}, nil
	}
	var users []*rollcall.User
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		users, err = tx.Users(q)
		return err
	})
	if err != nil {
		return nil, rollcall.WithOp(op, err)
	}
	page := &UserPage{}
	if len(users) > in.Limit {
		users = users[:in.Limit]
		page.Next = cursorOf(q, users[in.Limit-1])
	}
	page.Users = make([]*User, len(users))
	for i, u := range users {
		if page.Users[i], err = UserOf(u); err != nil {
			return nil, rollcall.WithOp(op, err)
		}
	}
	return page, nil
}

// searchQuery is the store query of a search: every filter must match (two filters of
// one key: a value both name), in the effective sort's order, then by ID ascending.
// ok is false when no user can match (two filters of one key without a common value).
func searchQuery(dir string, in SearchUsersInput) (q rollcall.UserQuery, ok bool) {
	q = rollcall.UserQuery{DirectoryID: dir, Kind: rollcall.DirAlexa, Limit: in.Limit + 1}
	for _, o := range EffectiveSort(in.Sort) {
		q.Sort = append(q.Sort, rollcall.UserSort{Field: sortFields[o.Key], Descending: o.Descending})
	}
	sets := map[string]*[]string{
		FieldUserID: &q.Keys, FieldFirstName: &q.GivenNames, FieldLastName: &q.FamilyNames,
		FieldEmail: &q.Emails, FieldEnrollmentStatus: &q.Enrollments,
	}
	seen := map[string]bool{}
	for _, f := range in.Filters {
		set := sets[f.Key]
		vals := f.Values
		if f.Key == FieldEmail {
			vals = make([]string, len(f.Values))
			for i, v := range f.Values {
				vals[i] = strings.ToLower(v)
			}
		}
		if seen[f.Key] {
			vals = slices.DeleteFunc(slices.Clone(*set), func(v string) bool { return !slices.Contains(vals, v) })
		}
		seen[f.Key] = true
		if len(vals) == 0 {
			return q, false
		}
		*set = vals
	}
	return q, true
}

func isAlexaField(k string) bool { return sortFields[k] != "" }

// cursorOf is the position of u in q's order: its sort values, then its ID unless the
// order ends at the UserId (unique within the account).
func cursorOf(q rollcall.UserQuery, u *rollcall.User) *Cursor {
	vals := rollcall.CursorOf(q, u).Values
	c := &Cursor{}
	if rollcall.OrderOf(q)[len(vals)-1].Field == rollcall.UserID {
		c.ID, vals = vals[len(vals)-1].S, vals[:len(vals)-1]
	}
	for _, v := range vals {
		c.Values = append(c.Values, v.S)
	}
	return c
}

// alexaUserByArn finds the caller's user with the ARN. Anything else (malformed, another
// account's, another resource type, deleted) is the same NotFound, so accounts cannot
// probe each other.
func alexaUserByArn(tx rollcall.Tx, c rollcall.Caller, arn string) (*User, error) {
	notFound := &rollcall.Error{Kind: rollcall.NotFound, Field: "Arn", Values: map[string]string{"Arn": arn}, Message: "no resource " + arn}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "a4b" || parts[4] != c.TenantID || !strings.HasPrefix(parts[5], "user/") {
		return nil, notFound
	}
	u, err := tx.User(rollcall.AlexaDirectoryID(c.TenantID), strings.TrimPrefix(parts[5], "user/"))
	if rollcall.IsKind(err, rollcall.NotFound) {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	au, err := UserOf(u)
	if err == nil && au.Attrs.Arn != arn {
		return nil, notFound
	}
	return au, err
}

// DeleteUser deletes the caller's user with the ARN, if enrollmentID is its
// enrollment. An unknown user, another account's ARN or another enrollment is NotFound,
// and nothing changes. A pending invitation dies with its user.
func (s *Service) DeleteUser(ctx context.Context, c rollcall.Caller, userArn, enrollmentID string) error {
	const op = "DeleteAlexaUser"
	err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
		u, err := alexaEnrolledUser(tx, c, userArn, enrollmentID)
		if err != nil {
			return err
		}
		return rollcall.DeleteUser(tx, u.User, s.Core.Time())
	})
	return rollcall.WithOp(op, err)
}

// TagResource adds tags to the caller's user with the ARN; a tag whose key the user
// has already replaces its value. More than MaxTags tags in all is Invalid.
func (s *Service) TagResource(ctx context.Context, c rollcall.Caller, arn string, tags []Tag) error {
	return s.editTags(ctx, "TagAlexaResource", c, arn, func(had []Tag) ([]Tag, bool, error) {
		merged := append([]Tag(nil), had...)
	next:
		for _, t := range tags {
			for i := range merged {
				if merged[i].Key == t.Key {
					merged[i].Value = t.Value
					continue next
				}
			}
			merged = append(merged, t)
		}
		if len(merged) > MaxTags && len(merged) > len(had) {
			return nil, false, &rollcall.Error{Kind: rollcall.Invalid, Field: "Tags",
				Values:  map[string]string{"Arn": arn, "Max": strconv.Itoa(MaxTags), "Count": strconv.Itoa(len(merged))},
				Message: arn + " would have " + strconv.Itoa(len(merged)) + " tags"}
		}
		return merged, true, nil
	})
}

// UntagResource removes the tags with the keys from the caller's user with the ARN;
// keys it does not have are ignored.
func (s *Service) UntagResource(ctx context.Context, c rollcall.Caller, arn string, keys []string) error {
	return s.editTags(ctx, "UntagAlexaResource", c, arn, func(had []Tag) ([]Tag, bool, error) {
		drop := make(map[string]bool, len(keys))
		for _, k := range keys {
			drop[k] = true
		}
		var kept []Tag
		for _, t := range had {
			if !drop[t.Key] {
				kept = append(kept, t)
			}
		}
		return kept, len(kept) != len(had), nil // unchanged when nothing was dropped
	})
}

// editTags gives the tags of the caller's user with the ARN to edit, in one Update, and
// stores what it returns when it says they changed (an error changes nothing).
func (s *Service) editTags(ctx context.Context, op string, c rollcall.Caller, arn string,
	edit func(had []Tag) (tags []Tag, changed bool, err error)) error {
	now := s.Core.Time()
	err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
		u, err := alexaUserByArn(tx, c, arn)
		if err != nil {
			return err
		}
		tags, changed, err := edit(u.Attrs.Tags)
		if err != nil || !changed {
			return err
		}
		u.Attrs.Tags, u.UpdatedAt = tags, now
		return tx.UpdateUser(put(u))
	})
	return rollcall.WithOp(op, err)
}

// badLimit refuses a page size below 1 (the face checks its MaxResults first).
func badLimit(op string) *rollcall.Error {
	return &rollcall.Error{Kind: rollcall.Invalid, Op: op, Field: "Limit", Message: "limit below 1"}
}

// Tags returns a page of the tags of the caller's user with the ARN, ordered by key,
// the keys after `after`, at most limit. next is the last key returned when there are
// more, else "".
func (s *Service) Tags(ctx context.Context, c rollcall.Caller, arn, after string, limit int) (tags []Tag, next string, err error) {
	const op = "AlexaTags"
	if limit < 1 {
		return nil, "", badLimit(op)
	}
	err = s.Core.Store.View(ctx, func(tx rollcall.Tx) error {
		u, err := alexaUserByArn(tx, c, arn)
		if err != nil {
			return err
		}
		all := append([]Tag(nil), u.Attrs.Tags...)
		sort.Slice(all, func(i, j int) bool { return all[i].Key < all[j].Key })
		start := sort.Search(len(all), func(i int) bool { return all[i].Key > after })
		tags = all[start:]
		if len(tags) > limit {
			tags = tags[:limit]
			next = tags[limit-1].Key
		}
		return nil
	})
	if err != nil {
		return nil, "", rollcall.WithOp(op, err)
	}
	if tags == nil {
		tags = []Tag{}
	}
	return tags, next, nil
}

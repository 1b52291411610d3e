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

// alexaField returns the value of a search field of u.
func alexaField(u *rollcall.User, field string) string {
	switch field {
	case FieldUserID:
		return u.Key
	case FieldFirstName:
		return u.GivenName
	case FieldLastName:
		return u.FamilyName
	case FieldEmail:
		return u.Email
	case FieldEnrollmentStatus:
		return EnrollmentStatus(u)
	}
	return ""
}

// EnrollmentID is the enrollment ARN of an Alexa for Business user: its ARN with the
// resource type "enrollment" instead of "user".
func EnrollmentID(u *rollcall.User) string {
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
	Users []*rollcall.User
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

// scanBatch is how many users a scan reads per query.
const scanBatch = 1000

// SearchUsers returns one page of the caller's Alexa for Business users.
//
// Pagination is keyset pagination on (sort values, ID): a page holds the users after the
// cursor in that order, as the store is when the page is read, so a user that exists
// across the whole walk is returned exactly once however others are created or deleted
// meanwhile.
//
// Cost: with no sort (order by ID) or a sort by UserId alone, a page walks an index from
// the cursor (UserFilter by ID or by Key): without filters it is one range read and costs
// the same however many users the account has; with filters it also reads the users the
// filters skip. A UserId filter reads only the users it names. Any other sort reads every
// user of the account that could match (all of them, or those with the filter's emails)
// and sorts them in memory for every page, so its cost grows with the account.
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
	order := EffectiveSort(in.Sort)
	if in.After != nil && (len(in.After.Values) != len(order) || in.After.ID == "" && !byKeyOnly(order)) {
		return nil, &rollcall.Error{Kind: rollcall.Invalid, Op: op, Field: "After", Message: "the cursor does not belong to this search"}
	}
	dir := rollcall.AlexaDirectoryID(c.TenantID)
	var page *UserPage
	err := s.Core.Store.View(ctx, func(tx rollcall.Tx) (err error) {
		if !hasFilter(in.Filters, FieldUserID) && (len(order) == 0 || byKeyOnly(order)) {
			page, err = searchAlexaIndexed(tx, dir, order, in)
		} else {
			page, err = searchAlexaScan(tx, dir, order, in)
		}
		return err
	})
	if err != nil {
		return nil, rollcall.WithOp(op, err)
	}
	return page, nil
}

func hasFilter(filters []Filter, key string) bool {
	for _, f := range filters {
		if f.Key == key {
			return true
		}
	}
	return false
}

func isAlexaField(k string) bool { return slices.Contains(SearchFields, k) }

// byKeyOnly reports whether order is a sort by UserId alone.
func byKeyOnly(order []Sort) bool { return len(order) == 1 && order[0].Key == FieldUserID }

// searchAlexaIndexed walks the index in the search's order (by ID, or by Key for UserId)
// from the cursor, in batches, keeping the users every filter matches, until the page and
// one more user are found. Without filters that is one range read of the page's size; with
// filters it reads the users it skips as well, never more than the account. A single
// Email value is handed to the store, which matches it on the email index.
func searchAlexaIndexed(tx rollcall.Tx, dir string, order []Sort, in SearchUsersInput) (*UserPage, error) {
	f := rollcall.UserFilter{DirectoryID: dir, Limit: in.Limit + 1}
	if len(in.Filters) > 0 {
		f.Limit = max(f.Limit, scanBatch)
	}
	for _, flt := range in.Filters {
		if flt.Key == FieldEmail && len(flt.Values) == 1 {
			f.Email = flt.Values[0]
		}
	}
	if len(order) == 1 {
		f.OrderByKey, f.Descending = true, order[0].Descending
	}
	if in.After != nil {
		f.After = in.After.ID
		if f.OrderByKey {
			f.After = in.After.Values[0]
		}
	}
	var users []*rollcall.User
	for {
		batch, err := tx.Users(f)
		if err != nil {
			return nil, err
		}
		for _, u := range batch {
			if alexaMatches(u, in.Filters) {
				users = append(users, u)
			}
		}
		if len(users) > in.Limit || len(batch) < f.Limit {
			break
		}
		last := batch[len(batch)-1]
		f.After = last.ID
		if f.OrderByKey {
			f.After = last.Key
		}
	}
	page := &UserPage{Users: users}
	if len(users) > in.Limit {
		page.Users = users[:in.Limit]
		page.Next = alexaCursorOf(page.Users[in.Limit-1], order)
	}
	return page, nil
}

// searchAlexaScan reads the candidates, keeps those every filter matches, sorts them and
// cuts the page after the cursor.
func searchAlexaScan(tx rollcall.Tx, dir string, order []Sort, in SearchUsersInput) (*UserPage, error) {
	candidates, err := alexaCandidates(tx, dir, in.Filters)
	if err != nil {
		return nil, err
	}
	type entry struct {
		u   *rollcall.User
		pos *Cursor
	}
	matched := make([]entry, 0, len(candidates))
	for _, u := range candidates {
		if alexaMatches(u, in.Filters) {
			matched = append(matched, entry{u, alexaCursorOf(u, order)})
		}
	}
	sort.Slice(matched, func(i, j int) bool { return compareAlexa(matched[i].pos, matched[j].pos, order) < 0 })
	start := 0
	if in.After != nil {
		start = sort.Search(len(matched), func(i int) bool { return compareAlexa(matched[i].pos, in.After, order) > 0 })
	}
	rest := matched[start:]
	page := &UserPage{}
	if len(rest) > in.Limit {
		rest = rest[:in.Limit]
		page.Next = rest[in.Limit-1].pos
	}
	page.Users = make([]*rollcall.User, len(rest))
	for i, e := range rest {
		page.Users[i] = e.u
	}
	return page, nil
}

// alexaCandidates reads the users a search can match: the named users for a UserId
// filter, the users with the named emails for an Email filter, else every user of the
// directory, in batches.
func alexaCandidates(tx rollcall.Tx, dir string, filters []Filter) ([]*rollcall.User, error) {
	var users []*rollcall.User
	seen := map[string]bool{}
	add := func(u *rollcall.User) {
		if !seen[u.ID] {
			seen[u.ID] = true
			users = append(users, u)
		}
	}
	for _, f := range filters {
		if f.Key != FieldUserID {
			continue
		}
		for _, v := range f.Values {
			u, err := tx.UserByKey(dir, v)
			if rollcall.IsKind(err, rollcall.NotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			add(u)
		}
		return users, nil
	}
	for _, f := range filters {
		if f.Key != FieldEmail {
			continue
		}
		for _, v := range f.Values {
			list, err := tx.Users(rollcall.UserFilter{DirectoryID: dir, Email: v})
			if err != nil {
				return nil, err
			}
			for _, u := range list {
				add(u)
			}
		}
		return users, nil
	}
	after := ""
	for {
		batch, err := tx.Users(rollcall.UserFilter{DirectoryID: dir, After: after, Limit: scanBatch})
		if err != nil {
			return nil, err
		}
		users = append(users, batch...)
		if len(batch) < scanBatch {
			return users, nil
		}
		after = batch[len(batch)-1].ID
	}
}

// alexaMatches reports whether every filter matches u.
func alexaMatches(u *rollcall.User, filters []Filter) bool {
	for _, f := range filters {
		v := alexaField(u, f.Key)
		ok := false
		for _, want := range f.Values {
			if v == want || f.Key == FieldEmail && strings.ToLower(v) == strings.ToLower(want) {
				ok = true
				break
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// alexaCursorOf is the position of u in order. With the sort by UserId alone the Key
// identifies the user, so the cursor carries no ID; with no sort it is the ID alone.
func alexaCursorOf(u *rollcall.User, order []Sort) *Cursor {
	c := &Cursor{Values: make([]string, len(order))}
	for i, o := range order {
		c.Values[i] = alexaField(u, o.Key)
	}
	if !byKeyOnly(order) {
		c.ID = u.ID
	}
	return c
}

// compareAlexa orders two positions: by each sort value (bytewise, as the stores order
// keys), then by ID ascending.
func compareAlexa(a, b *Cursor, order []Sort) int {
	for i, o := range order {
		if c := strings.Compare(a.Values[i], b.Values[i]); c != 0 {
			if o.Descending {
				return -c
			}
			return c
		}
	}
	return strings.Compare(a.ID, b.ID)
}

// alexaUserByArn finds the caller's user with the ARN. Anything else (malformed, another
// account's, another resource type, deleted) is the same NotFound, so accounts cannot
// probe each other.
func alexaUserByArn(tx rollcall.Tx, c rollcall.Caller, arn string) (*rollcall.User, error) {
	notFound := &rollcall.Error{Kind: rollcall.NotFound, Field: "Arn", Values: map[string]string{"Arn": arn}, Message: "no resource " + arn}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "a4b" || parts[4] != c.TenantID || !strings.HasPrefix(parts[5], "user/") {
		return nil, notFound
	}
	u, err := tx.User(rollcall.AlexaDirectoryID(c.TenantID), strings.TrimPrefix(parts[5], "user/"))
	if rollcall.IsKind(err, rollcall.NotFound) || err == nil && u.Attrs.Arn != arn {
		return nil, notFound
	}
	return u, err
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
		return rollcall.DeleteUser(tx, u, s.Core.Time())
	})
	return rollcall.WithOp(op, err)
}

// TagResource adds tags to the caller's user with the ARN; a tag whose key the user
// has already replaces its value. More than MaxTags tags in all is Invalid.
func (s *Service) TagResource(ctx context.Context, c rollcall.Caller, arn string, tags []rollcall.Tag) error {
	const op = "TagAlexaResource"
	now := s.Core.Time()
	err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
		u, err := alexaUserByArn(tx, c, arn)
		if err != nil {
			return err
		}
		merged := append([]rollcall.Tag(nil), u.Attrs.Tags...)
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
		if len(merged) > MaxTags && len(merged) > len(u.Attrs.Tags) {
			return &rollcall.Error{Kind: rollcall.Invalid, Field: "Tags",
				Values:  map[string]string{"Arn": arn, "Max": strconv.Itoa(MaxTags), "Count": strconv.Itoa(len(merged))},
				Message: arn + " would have " + strconv.Itoa(len(merged)) + " tags"}
		}
		u.Attrs.Tags = merged
		u.UpdatedAt = now
		return tx.UpdateUser(u)
	})
	return rollcall.WithOp(op, err)
}

// UntagResource removes the tags with the keys from the caller's user with the ARN;
// keys it does not have are ignored.
func (s *Service) UntagResource(ctx context.Context, c rollcall.Caller, arn string, keys []string) error {
	const op = "UntagAlexaResource"
	now := s.Core.Time()
	err := s.Core.Store.Update(ctx, func(tx rollcall.Tx) error {
		u, err := alexaUserByArn(tx, c, arn)
		if err != nil {
			return err
		}
		drop := make(map[string]bool, len(keys))
		for _, k := range keys {
			drop[k] = true
		}
		var kept []rollcall.Tag
		for _, t := range u.Attrs.Tags {
			if !drop[t.Key] {
				kept = append(kept, t)
			}
		}
		if len(kept) == len(u.Attrs.Tags) {
			return nil // nothing to change
		}
		u.Attrs.Tags = kept
		u.UpdatedAt = now
		return tx.UpdateUser(u)
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
func (s *Service) Tags(ctx context.Context, c rollcall.Caller, arn, after string, limit int) (tags []rollcall.Tag, next string, err error) {
	const op = "AlexaTags"
	if limit < 1 {
		return nil, "", badLimit(op)
	}
	err = s.Core.Store.View(ctx, func(tx rollcall.Tx) error {
		u, err := alexaUserByArn(tx, c, arn)
		if err != nil {
			return err
		}
		all := append([]rollcall.Tag(nil), u.Attrs.Tags...)
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
		tags = []rollcall.Tag{}
	}
	return tags, next, nil
}

package rollcall

import (
	"context"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// The Alexa for Business user lifecycle around CreateUser: SearchUsers, DeleteUser and the
// tags of a user ARN (TagResource, UntagResource, ListTags).
//
// Enrollment (alexa_enrollment.go): every user CreateUser makes has one enrollment, with
// the ARN AlexaEnrollmentID returns, in the state INITIALIZED; DeleteUser and
// RevokeInvitation take that ARN, as SearchUsers reports it.

// EnrollmentInitialized is the EnrollmentStatus of a user that was created and not yet
// invited (or whose invitation was revoked).
const EnrollmentInitialized = "INITIALIZED"

// MaxAlexaTags is how many tags TagResource lets one user carry (the AWS-wide limit of
// user tags per resource; the model gives none).
const MaxAlexaTags = 50

// The fields SearchUsers filters and sorts by, as the API names them.
const (
	AlexaFieldUserID           = "UserId"
	AlexaFieldFirstName        = "FirstName"
	AlexaFieldLastName         = "LastName"
	AlexaFieldEmail            = "Email"
	AlexaFieldEnrollmentStatus = "EnrollmentStatus"
)

// AlexaSearchFields lists the supported filter and sort keys, in the documentation's order.
var AlexaSearchFields = []string{AlexaFieldUserID, AlexaFieldFirstName, AlexaFieldLastName, AlexaFieldEmail, AlexaFieldEnrollmentStatus}

// alexaField returns the value of a search field of u.
func alexaField(u *User, field string) string {
	switch field {
	case AlexaFieldUserID:
		return u.Key
	case AlexaFieldFirstName:
		return u.GivenName
	case AlexaFieldLastName:
		return u.FamilyName
	case AlexaFieldEmail:
		return u.Email
	case AlexaFieldEnrollmentStatus:
		return AlexaEnrollmentStatus(u)
	}
	return ""
}

// AlexaEnrollmentID is the enrollment ARN of an Alexa for Business user: its ARN with the
// resource type "enrollment" instead of "user".
func AlexaEnrollmentID(u *User) string {
	return strings.Replace(u.Attrs.Arn, ":user/", ":enrollment/", 1)
}

// AlexaFilter keeps the users whose field Key has one of Values. Email matches without
// regard to case; the other fields match exactly.
type AlexaFilter struct {
	Key    string
	Values []string
}

// AlexaSort is one sort criterion.
type AlexaSort struct {
	Key        string
	Descending bool
}

// AlexaCursor is where a SearchUsers page ends: the sort values and ID of its last user.
// The face seals it into the NextToken.
type AlexaCursor struct {
	Values []string `json:"v,omitempty"`
	ID     string   `json:"i,omitempty"`
}

// SearchAlexaUsersInput is what SearchUsers takes; the face has validated its shape.
type SearchAlexaUsersInput struct {
	Filters []AlexaFilter // all must match
	Sort    []AlexaSort   // in order; ties are broken by the user's ID
	Limit   int           // at least 1
	After   *AlexaCursor  // nil for the first page
}

// AlexaUserPage is one page of SearchUsers. Next is nil on the last page.
type AlexaUserPage struct {
	Users []*User
	Next  *AlexaCursor
}

// EffectiveAlexaSort drops the criteria that cannot change the order: a key already
// sorted by, and everything after UserId (unique within the account).
func EffectiveAlexaSort(criteria []AlexaSort) []AlexaSort {
	var out []AlexaSort
	seen := map[string]bool{}
	for _, s := range criteria {
		if seen[s.Key] {
			continue
		}
		seen[s.Key] = true
		out = append(out, s)
		if s.Key == AlexaFieldUserID {
			break
		}
	}
	return out
}

// scanBatch is how many users a scan reads per query.
const scanBatch = 1000

// SearchAlexaUsers returns one page of the caller's Alexa for Business users.
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
func (s *Service) SearchAlexaUsers(ctx context.Context, c Caller, in SearchAlexaUsersInput) (*AlexaUserPage, error) {
	const op = "SearchAlexaUsers"
	if in.Limit < 1 {
		return nil, &Error{Kind: Invalid, Op: op, Field: "MaxResults", Message: "MaxResults must be at least 1."}
	}
	for _, f := range in.Filters {
		if !isAlexaField(f.Key) {
			return nil, &Error{Kind: Invalid, Op: op, Field: "Filters", Message: "Unsupported filter key " + strconv.Quote(f.Key) + "."}
		}
	}
	for _, o := range in.Sort {
		if !isAlexaField(o.Key) {
			return nil, &Error{Kind: Invalid, Op: op, Field: "SortCriteria", Message: "Unsupported sort key " + strconv.Quote(o.Key) + "."}
		}
	}
	order := EffectiveAlexaSort(in.Sort)
	if in.After != nil && (len(in.After.Values) != len(order) || in.After.ID == "" && !byKeyOnly(order)) {
		return nil, &Error{Kind: Invalid, Op: op, Field: "NextToken", Message: "The NextToken does not belong to this search."}
	}
	dir := AlexaDirectoryID(c.TenantID)
	var page *AlexaUserPage
	err := s.Store.View(ctx, func(tx Tx) (err error) {
		if !hasFilter(in.Filters, AlexaFieldUserID) && (len(order) == 0 || byKeyOnly(order)) {
			page, err = searchAlexaIndexed(tx, dir, order, in)
		} else {
			page, err = searchAlexaScan(tx, dir, order, in)
		}
		return err
	})
	if err != nil {
		return nil, WithOp(op, err)
	}
	return page, nil
}

func hasFilter(filters []AlexaFilter, key string) bool {
	for _, f := range filters {
		if f.Key == key {
			return true
		}
	}
	return false
}

func isAlexaField(k string) bool { return slices.Contains(AlexaSearchFields, k) }

// byKeyOnly reports whether order is a sort by UserId alone.
func byKeyOnly(order []AlexaSort) bool { return len(order) == 1 && order[0].Key == AlexaFieldUserID }

// searchAlexaIndexed walks the index in the search's order (by ID, or by Key for UserId)
// from the cursor, in batches, keeping the users every filter matches, until the page and
// one more user are found. Without filters that is one range read of the page's size; with
// filters it reads the users it skips as well, never more than the account. A single
// Email value is handed to the store, which matches it on the email index.
func searchAlexaIndexed(tx Tx, dir string, order []AlexaSort, in SearchAlexaUsersInput) (*AlexaUserPage, error) {
	f := UserFilter{DirectoryID: dir, Limit: in.Limit + 1}
	if len(in.Filters) > 0 {
		f.Limit = max(f.Limit, scanBatch)
	}
	for _, flt := range in.Filters {
		if flt.Key == AlexaFieldEmail && len(flt.Values) == 1 {
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
	var users []*User
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
	page := &AlexaUserPage{Users: users}
	if len(users) > in.Limit {
		page.Users = users[:in.Limit]
		page.Next = alexaCursorOf(page.Users[in.Limit-1], order)
	}
	return page, nil
}

// searchAlexaScan reads the candidates, keeps those every filter matches, sorts them and
// cuts the page after the cursor.
func searchAlexaScan(tx Tx, dir string, order []AlexaSort, in SearchAlexaUsersInput) (*AlexaUserPage, error) {
	candidates, err := alexaCandidates(tx, dir, in.Filters)
	if err != nil {
		return nil, err
	}
	type entry struct {
		u   *User
		pos *AlexaCursor
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
	page := &AlexaUserPage{}
	if len(rest) > in.Limit {
		rest = rest[:in.Limit]
		page.Next = rest[in.Limit-1].pos
	}
	page.Users = make([]*User, len(rest))
	for i, e := range rest {
		page.Users[i] = e.u
	}
	return page, nil
}

// alexaCandidates reads the users a search can match: the named users for a UserId
// filter, the users with the named emails for an Email filter, else every user of the
// directory, in batches.
func alexaCandidates(tx Tx, dir string, filters []AlexaFilter) ([]*User, error) {
	var users []*User
	seen := map[string]bool{}
	add := func(u *User) {
		if !seen[u.ID] {
			seen[u.ID] = true
			users = append(users, u)
		}
	}
	for _, f := range filters {
		if f.Key != AlexaFieldUserID {
			continue
		}
		for _, v := range f.Values {
			u, err := tx.UserByKey(dir, v)
			if IsKind(err, NotFound) {
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
		if f.Key != AlexaFieldEmail {
			continue
		}
		for _, v := range f.Values {
			list, err := tx.Users(UserFilter{DirectoryID: dir, Email: v})
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
		batch, err := tx.Users(UserFilter{DirectoryID: dir, After: after, Limit: scanBatch})
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
func alexaMatches(u *User, filters []AlexaFilter) bool {
	for _, f := range filters {
		v := alexaField(u, f.Key)
		ok := false
		for _, want := range f.Values {
			if v == want || f.Key == AlexaFieldEmail && strings.ToLower(v) == strings.ToLower(want) {
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
func alexaCursorOf(u *User, order []AlexaSort) *AlexaCursor {
	c := &AlexaCursor{Values: make([]string, len(order))}
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
func compareAlexa(a, b *AlexaCursor, order []AlexaSort) int {
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
func alexaUserByArn(tx Tx, c Caller, arn string) (*User, error) {
	notFound := &Error{Kind: NotFound, Field: "Arn", Message: "The resource " + arn + " was not found."}
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "a4b" || parts[4] != c.TenantID || !strings.HasPrefix(parts[5], "user/") {
		return nil, notFound
	}
	u, err := tx.User(AlexaDirectoryID(c.TenantID), strings.TrimPrefix(parts[5], "user/"))
	if IsKind(err, NotFound) || err == nil && u.Attrs.Arn != arn {
		return nil, notFound
	}
	return u, err
}

// DeleteAlexaUser deletes the caller's user with the ARN, if enrollmentID is its
// enrollment. An unknown user, another account's ARN or another enrollment is NotFound,
// and nothing changes. A pending invitation dies with its user.
func (s *Service) DeleteAlexaUser(ctx context.Context, c Caller, userArn, enrollmentID string) error {
	const op = "DeleteAlexaUser"
	err := s.Store.Update(ctx, func(tx Tx) error {
		u, err := alexaEnrolledUser(tx, c, userArn, enrollmentID)
		if err != nil {
			return err
		}
		return deleteUser(tx, u, s.now())
	})
	return WithOp(op, err)
}

// TagAlexaResource adds tags to the caller's user with the ARN; a tag whose key the user
// has already replaces its value. More than MaxAlexaTags tags in all is Invalid.
func (s *Service) TagAlexaResource(ctx context.Context, c Caller, arn string, tags []Tag) error {
	const op = "TagAlexaResource"
	now := s.now()
	err := s.Store.Update(ctx, func(tx Tx) error {
		u, err := alexaUserByArn(tx, c, arn)
		if err != nil {
			return err
		}
		merged := append([]Tag(nil), u.Attrs.Tags...)
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
		if len(merged) > MaxAlexaTags && len(merged) > len(u.Attrs.Tags) {
			return &Error{Kind: Invalid, Field: "Tags", Message: "A resource can have at most " + strconv.Itoa(MaxAlexaTags) +
				" tags; " + arn + " would have " + strconv.Itoa(len(merged)) + "."}
		}
		u.Attrs.Tags = merged
		u.UpdatedAt = now
		return tx.UpdateUser(u)
	})
	return WithOp(op, err)
}

// UntagAlexaResource removes the tags with the keys from the caller's user with the ARN;
// keys it does not have are ignored.
func (s *Service) UntagAlexaResource(ctx context.Context, c Caller, arn string, keys []string) error {
	const op = "UntagAlexaResource"
	now := s.now()
	err := s.Store.Update(ctx, func(tx Tx) error {
		u, err := alexaUserByArn(tx, c, arn)
		if err != nil {
			return err
		}
		drop := make(map[string]bool, len(keys))
		for _, k := range keys {
			drop[k] = true
		}
		var kept []Tag
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
	return WithOp(op, err)
}

// AlexaTags returns a page of the tags of the caller's user with the ARN, ordered by key,
// the keys after `after`, at most limit. next is the last key returned when there are
// more, else "".
func (s *Service) AlexaTags(ctx context.Context, c Caller, arn, after string, limit int) (tags []Tag, next string, err error) {
	const op = "AlexaTags"
	if limit < 1 {
		return nil, "", &Error{Kind: Invalid, Op: op, Field: "MaxResults", Message: "MaxResults must be at least 1."}
	}
	err = s.Store.View(ctx, func(tx Tx) error {
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
		return nil, "", WithOp(op, err)
	}
	if tags == nil {
		tags = []Tag{}
	}
	return tags, next, nil
}

package rollcall

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// UserQuery selects, orders and pages users. The store plans it: every sort and filter
// below is answered from an index it keeps (see store/storetest for what each backend
// must do), so a page costs about the same however many users the directory has.
//
// Scope: DirectoryID selects one directory; without it TenantID selects every directory
// of a tenant (of Kind, when set); with neither the query covers the whole store (the
// console). Kind narrows any scope to directories of that kind; a product sets it on the
// queries of its own directories, because the indexes of a product's sorts and filters
// hold only that product's users (migration 0150) and are read only when Kind says so. Every filter that is set must match; a set filter (a slice) matches when the
// user's value is one of its values, and an empty slice does not filter.
type UserQuery struct {
	DirectoryID string
	TenantID    string
	Kind        DirectoryKind

	IDs        []string // exact
	Keys       []string // exact
	Emails     []string // ignoring case (strings.ToLower on both sides)
	GivenNames []string // exact
	// FamilyNames is exact.
	FamilyNames []string
	UserTypes   []string // exact
	Statuses    []string // exact
	// Enrollments is the Alexa for Business enrollment status (UserKeys.Enrollment), exact.
	Enrollments []string
	// Search is a prefix search over the user's searchable words (UserKeys.Search): every
	// term must begin one of them. Terms come from SearchTerms, so they are folded as the
	// stored words are.
	Search []string

	// Sort is the order, most significant first. The user's ID breaks ties (ascending)
	// unless Sort names UserID itself.
	Sort []UserSort
	// After is the keyset cursor: only users after it in the order. See CursorOf.
	After *UserCursor
	Limit int // 0 = no limit
}

// UserField is a value of a user that a query may sort by.
type UserField string

// The sortable fields. Each has an index in every store, per directory.
const (
	UserID           UserField = "id"
	UserKey          UserField = "key"
	UserEmail        UserField = "email"       // bytewise, as given
	UserGivenName    UserField = "given_name"  // bytewise
	UserFamilyName   UserField = "family_name" // bytewise
	UserFullName     UserField = "full_name"   // UserKeys.FullName: folded
	UserType         UserField = "user_type"
	UserStatus       UserField = "status"
	UserEnrollment   UserField = "enrollment"    // UserKeys.Enrollment
	UserStorageLimit UserField = "storage_limit" // UserKeys.StorageLimit, a number
	UserStorageUsed  UserField = "storage_used"  // UserKeys.StorageUsed, a number
	UserCreatedAt    UserField = "created_at"    // a number: Unix milliseconds
)

// Numeric reports whether f sorts as a number (SortValue.N) rather than bytewise as a
// string (SortValue.S).
func (f UserField) Numeric() bool {
	return f == UserStorageLimit || f == UserStorageUsed || f == UserCreatedAt
}

// UserSort is one sort key.
type UserSort struct {
	Field      UserField
	Descending bool
}

// SortValue is the value of one sort key: S for a string field, N for a numeric one.
type SortValue struct {
	S string `json:"s,omitempty"`
	N int64  `json:"n,omitempty"`
}

// UserCursor is a position in a query's order: the values of u's sort keys, one per
// OrderOf entry (the last is the ID, or the key, which are unique).
type UserCursor struct {
	Values []SortValue `json:"v"`
}

// OrderOf is the complete order of q: its sort keys and then the ID, ascending. Nothing
// after a unique field counts: the ID, or the key within one directory.
func OrderOf(q UserQuery) []UserSort {
	out := make([]UserSort, 0, len(q.Sort)+1)
	for _, s := range q.Sort {
		out = append(out, s)
		if s.Field == UserID || s.Field == UserKey && q.DirectoryID != "" {
			return out
		}
	}
	return append(out, UserSort{Field: UserID})
}

// CursorOf is u's position in q's order, to continue a page after u.
func CursorOf(q UserQuery, u *User) *UserCursor {
	order := OrderOf(q)
	c := &UserCursor{Values: make([]SortValue, len(order))}
	for i, s := range order {
		c.Values[i] = SortValueOf(u, s.Field)
	}
	return c
}

// ValidCursor reports whether c can be a cursor of q: one value per key of its order.
func ValidCursor(q UserQuery, c *UserCursor) bool {
	return c == nil || len(c.Values) == len(OrderOf(q))
}

// SortValueOf is u's value of f, as the store indexes it.
func SortValueOf(u *User, f UserField) SortValue {
	k := u.Keys()
	switch f {
	case UserID:
		return SortValue{S: u.ID}
	case UserKey:
		return SortValue{S: u.Key}
	case UserEmail:
		return SortValue{S: u.Email}
	case UserGivenName:
		return SortValue{S: u.GivenName}
	case UserFamilyName:
		return SortValue{S: u.FamilyName}
	case UserFullName:
		return SortValue{S: k.FullName}
	case UserType:
		return SortValue{S: u.UserType}
	case UserStatus:
		return SortValue{S: u.Status}
	case UserEnrollment:
		return SortValue{S: k.Enrollment}
	case UserStorageLimit:
		return SortValue{N: k.StorageLimit}
	case UserStorageUsed:
		return SortValue{N: k.StorageUsed}
	case UserCreatedAt:
		return SortValue{N: u.CreatedAt.UnixMilli()}
	}
	return SortValue{}
}

// UserKeys are the derived values a store keeps beside a user, in the same transaction
// as the user, to answer queries from indexes. They are computed once, at write time: the
// folded names by the core (User.Keys), the rest by the user's product (ProductKeys);
// stores never compute them themselves.
type UserKeys struct {
	// FullName is the folded "given family", for sorting without regard to case or
	// accents.
	FullName string
	// Search holds the folded searchable words (words of the given name and the family
	// name, and the username), each preceded by one space: " ada lovelace ada". A
	// search term t matches when " "+t occurs in it.
	Search string
	ProductKeys
}

// ProductKeys are the sort and filter values a product derives from a user's attributes
// (User.Attrs), which the core does not read. Each is a slot of the query fields of the
// same name (UserStorageLimit, UserStorageUsed, UserEnrollment); the product that owns
// the user computes them whenever it encodes the attributes (workdocs, alexa), and one
// that sorts by none leaves them zero.
type ProductKeys struct {
	StorageLimit int64
	StorageUsed  int64
	Enrollment   string
}

// KeysVersion identifies how Keys computes; a store recomputes the keys of rows written
// with another version when it opens (its migration backfill).
const KeysVersion = 1

// Keys computes u's UserKeys: the folded names here, the product's keys as u carries them.
// It makes both strings in one allocation, written on the stack first: it runs for
// every user written, on SQLite's one writer goroutine.
func (u *User) Keys() UserKeys {
	var buf [256]byte
	b := appendFold(buf[:0], u.GivenName)
	b = append(b, ' ')
	b = appendFold(b, u.FamilyName)
	n := len(b) // b[:n] is the full name; its words follow it, as strings.Fields splits
	inWord := false
	for i := 0; i < n; {
		r, size := rune(b[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(b[i:n])
		}
		if unicode.IsSpace(r) {
			inWord = false
		} else {
			if !inWord {
				b = append(b, ' ')
				inWord = true
			}
			b = append(b, b[i:i+size]...)
		}
		i += size
	}
	if u.Username != "" {
		b = append(b, ' ')
		b = appendFold(b, u.Username)
	}
	s := string(b)
	return UserKeys{FullName: s[:n], Search: s[n:], ProductKeys: u.ProductKeys}
}

// SearchTerms splits a search into folded terms for UserQuery.Search.
func SearchTerms(s string) []string { return strings.Fields(FoldName(s)) }

// AfterID is the cursor of a query ordered by ID alone that continues after id; nil
// (the start) when id is "".
func AfterID(id string) *UserCursor {
	if id == "" {
		return nil
	}
	return &UserCursor{Values: []SortValue{{S: id}}}
}

// Strings is s as a set filter: nil (no filter) when s is "".
func Strings(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// PrefixEnd is the least string above every string that begins with prefix, in bytewise
// (UTF-8, code point) order, so that s begins with prefix exactly when
// prefix <= s < end: a store reads a prefix as that index range. ok is false when no
// such string exists (prefix is empty or only U+10FFFF): then s >= prefix is the range.
func PrefixEnd(prefix string) (end string, ok bool) {
	rs := []rune(prefix)
	for i := len(rs) - 1; i >= 0; i-- {
		switch r := rs[i]; {
		case r == unicode.MaxRune:
			continue
		case r == 0xD7FF: // the next code point that can be encoded is past the surrogates
			rs[i] = 0xE000
		default:
			rs[i] = r + 1
		}
		return string(rs[:i+1]), true
	}
	return "", false
}

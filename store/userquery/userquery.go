package userquery

import (
	"slices"
	"strconv"
	"strings"

	"github.com/rollcall/rollcall"
)

// Dialect is what differs between SQL backends.
type Dialect struct {
	// Numbered placeholders ($1, $2, ...) when true, else "?".
	Numbered bool
	// Time converts Unix milliseconds into an argument comparable with created_at.
	Time func(ms int64) any
	// Contains is a condition that needle (a placeholder) occurs in col.
	Contains func(col, needle string) string
	// NoIndex is col, written so that the planner cannot read an index on it, for a
	// planner without statistics (SQLite's); one that plans from them may return col.
	NoIndex func(col string) string
	// KeysFirst reads a search's page's IDs (and sort values) first, then its rows by
	// ID, for a backend that tests a filter on an index's columns before reading the row
	// only in an index-only scan (PostgreSQL's). SQLite defers the row's read by itself.
	KeysFirst bool
	// Index names the index a page of kind's users in one directory, ordered by field,
	// must read ("" for the planner's choice), for a planner that may pick a worse one
	// (SQLite's, without statistics). The statement then reads it INDEXED BY.
	Index func(kind rollcall.DirectoryKind, field rollcall.UserField) string
	// Lateral reads each group of a descending walk (see walkDesc) through a LATERAL
	// subquery, for a planner that would otherwise join the walk's groups to the users
	// by hashing them all (PostgreSQL's); SQLite joins a co-routine in a nested loop.
	Lateral bool
	// NameWalkIndex makes each group of a descending walk read the key's index INDEXED
	// BY (walkIndexes), for a planner without statistics that would read the
	// directory's (directory_id, id) index instead and skip every other group's users.
	NameWalkIndex bool
	// NewestWalk reads a tenant's or the whole store's users newest first (ties by
	// ascending ID) group by group (walkDesc), from the ascending creation-time indexes,
	// for a store that keeps those ascending (SQLite and PostgreSQL, each its migration
	// 0460); else the planner reads an index kept in that mixed order.
	NewestWalk bool
}

// walkIndexes are the ascending sort indexes (migration 0150) a descending walk reads,
// for the Alexa for Business fields it sorts by.
var walkIndexes = map[rollcall.UserField]string{
	rollcall.UserEmail:      "users_email_sort",
	rollcall.UserGivenName:  "users_given_name",
	rollcall.UserFamilyName: "users_family_name",
	rollcall.UserEnrollment: "users_enrollment",
}

// columns maps each sortable field to its column.
var columns = map[rollcall.UserField]string{
	rollcall.UserID:           "id",
	rollcall.UserKey:          "key",
	rollcall.UserEmail:        "email",
	rollcall.UserGivenName:    "given_name",
	rollcall.UserFamilyName:   "family_name",
	rollcall.UserFullName:     "full_name_fold",
	rollcall.UserType:         "user_type",
	rollcall.UserStatus:       "status",
	rollcall.UserEnrollment:   "enrollment",
	rollcall.UserStorageLimit: "storage_limit",
	rollcall.UserStorageUsed:  "storage_used",
	rollcall.UserCreatedAt:    "created_at",
}

// Column is the column of a sortable field ("" for none).
func Column(f rollcall.UserField) string { return columns[f] }

// KeyColumns are the columns a store writes from rollcall.UserKeys, in the order of
// KeyValues.
const KeyColumns = "full_name_fold, search, storage_limit, storage_used, enrollment, keys_version"

// KeyValues are the values of KeyColumns for u, computed by the core.
func KeyValues(u *rollcall.User) []any { return AppendKeyValues(make([]any, 0, 6), u) }

// AppendKeyValues appends the values of KeyColumns for u to args: a store that writes
// them after the user's own columns builds the statement's arguments in one slice.
func AppendKeyValues(args []any, u *rollcall.User) []any {
	k := u.Keys()
	return append(args, k.FullName, k.Search, k.StorageLimit, k.StorageUsed, k.Enrollment, rollcall.KeysVersion)
}

type builder struct {
	d     Dialect
	conds []string
	args  []any
}

func (b *builder) ph(arg any) string {
	b.args = append(b.args, arg)
	if b.d.Numbered {
		return "$" + strconv.Itoa(len(b.args))
	}
	return "?"
}

// in adds a set filter on col. Unless indexed, the column is kept from choosing the
// index (Dialect.NoIndex): the store then walks the index of the query's order and
// skips what the filter refuses, so a page reads its own rows plus those it skips,
// instead of every match of the filter sorted anew.
func (b *builder) in(col string, vals []string, conv func(string) string, indexed bool) {
	if len(vals) == 0 {
		return
	}
	phs := make([]string, len(vals))
	for i, v := range vals {
		if conv != nil {
			v = conv(v)
		}
		phs[i] = b.ph(v)
	}
	if !indexed {
		col = b.d.NoIndex(col)
	}
	if len(phs) == 1 {
		b.conds = append(b.conds, col+" = "+phs[0])
		return
	}
	b.conds = append(b.conds, col+" IN ("+strings.Join(phs, ", ")+")")
}

// emails adds a filter on the lower-cased email. users_email holds only the users whose
// lower-cased email differs from their key (migration 0410), and of Alexa for Business's
// only those whose email is not already lower-case (0470): the others are found in the
// key's unique index (those keyed by their email: Chime's, Amazon Business's) and in
// users_email_sort (an Alexa for Business user's lower-case email, by its own value,
// which the folded filter value then equals). So the filter reads the IDs from the
// three, in a subquery of three parts that no user matches twice, each on one index:
// each part holds its partial index's own terms (a planner reads a partial index only
// for a WHERE that holds them). All three begin with the directory: without one the
// filter is a plain test of each user.
func (b *builder) emails(q rollcall.UserQuery) {
	if q.DirectoryID == "" {
		b.in("email_lower", q.Emails, strings.ToLower, true)
		return
	}
	if len(q.Emails) == 0 {
		return
	}
	// part is the terms add adds, joined: the placeholders stay in the text's order.
	part := func(add func()) string {
		n := len(b.conds)
		b.scope(q)
		add()
		t := strings.Join(b.conds[n:], " AND ")
		b.conds = b.conds[:n]
		return t
	}
	keyed := part(func() {
		b.in("key", q.Emails, strings.ToLower, true)
		b.in("email_lower", q.Emails, strings.ToLower, true)
	})
	other := part(func() { b.in("email_lower", q.Emails, strings.ToLower, true) })
	lower := part(func() { b.in("email", q.Emails, strings.ToLower, true) })
	b.conds = append(b.conds, "id IN (SELECT id FROM users WHERE "+keyed+
		" UNION ALL SELECT id FROM users WHERE "+other+" AND "+emailIndexTerm+
		" UNION ALL SELECT id FROM users WHERE "+lower+" AND "+kinds[rollcall.DirAlexa]+" AND email = email_lower AND email_lower <> key)")
}

// emailIndexTerm is users_email's WHERE (migrations 0410 and 0470), written as the
// index declares it.
const emailIndexTerm = "email_lower <> key AND (kind <> 'a4b' OR email <> email_lower)"

// scope adds the condition that a user is in q's directory or tenant, if q names one.
func (b *builder) scope(q rollcall.UserQuery) {
	switch {
	case q.DirectoryID != "":
		b.conds = append(b.conds, "directory_id = "+b.ph(q.DirectoryID))
	case q.TenantID != "":
		b.conds = append(b.conds, "tenant_id = "+b.ph(q.TenantID))
	}
}

// where adds q's scope and filters. IDs, keys and emails name few users: their
// indexes are always open to the planner. Another filter's index is, on the first
// page, when its column is the first key of the order (the index serves both), and
// when it has one value and the order is by ID alone (its index, which ends in the ID,
// serves both, the cursor included). Past the first page a filter on the first key
// is kept from the index: the cursor's range is what must read it (SQLite otherwise
// reads the filter's values as equality lookups and scans each from its start).
func (b *builder) where(q rollcall.UserQuery, order []rollcall.UserSort) {
	b.scope(q)
	if q.Kind != "" {
		b.conds = append(b.conds, kindTerm(q.Kind))
	}
	first := columns[order[0].Field]
	byID := len(order) == 1
	open := func(col string, vals []string) bool {
		return col == first && q.After == nil || byID && len(vals) == 1
	}
	b.in("id", q.IDs, nil, true)
	b.in("key", q.Keys, nil, true)
	b.emails(q)
	for _, f := range setFilters(q) {
		col := columns[f.field]
		b.in(col, f.vals, nil, open(col, f.vals))
	}
	for _, t := range q.Search {
		b.conds = append(b.conds, b.d.Contains("search", b.ph(" "+t)))
	}
}

// kinds are the directory kinds a query may name, each with the term the partial indexes
// of migration 0150 are declared with. The term is a literal, not a placeholder: SQLite
// reads a partial index only when the query's WHERE holds the index's own term, and a
// bound parameter never matches it. The literal comes from this fixed table, never from
// the query's text.
var kinds = map[rollcall.DirectoryKind]string{
	rollcall.DirChime:    "kind = 'chime'",
	rollcall.DirWorkDocs: "kind = 'workdocs'",
	rollcall.DirAlexa:    "kind = 'a4b'",
	rollcall.DirBusiness: "kind = 'business'",
}

// kindTerm is the condition that a user's directory is of kind k. A kind outside the
// table matches nothing.
func kindTerm(k rollcall.DirectoryKind) string {
	if t, ok := kinds[k]; ok {
		return t
	}
	return "1 = 0"
}

func (b *builder) value(f rollcall.UserField, v rollcall.SortValue) any {
	switch {
	case f == rollcall.UserCreatedAt:
		return b.d.Time(v.N)
	case f.Numeric():
		return v.N
	}
	return v.S
}

func (b *builder) sql(head string) string {
	if len(b.conds) == 0 {
		return head
	}
	return head + " WHERE " + strings.Join(b.conds, " AND ")
}

func (b *builder) limit(n int) string {
	if n <= 0 {
		return ""
	}
	return " LIMIT " + b.ph(n)
}

// Select is the statement that lists the users q selects, reading cols (plain column
// names, comma-separated).
//
// The cursor becomes index ranges. When every key of the order runs in one direction it
// is one row-value range, (c1, ..., id) > (v1, ..., id0), which both SQLite and
// PostgreSQL read as a range of the index on (scope, c1, ..., id). When directions are
// mixed (Alexa for Business: a descending sort, ties by ascending ID) no single range
// exists, so the page is the union of one range per key: c1 = v1 AND ... AND ci past vi,
// each read in order and cut at the limit, read one after the other up to the limit. Each part reads at
// most a page of matches from an index; the stores keep indexes in both mixed orders
// for the sorts that need them (migration 0150). A set filter on the first key (WorkDocs'
// statuses sorted by USER_STATUS, Alexa for Business' EnrollmentStatus filter sorted by
// it) takes the union too: its last part reads only the filter's values past the
// cursor's, not the groups of values the filter refuses, which may be most of the range.
func Select(d Dialect, cols string, q rollcall.UserQuery) (string, []any, error) {
	return selectUsers(&builder{d: d}, cols, q)
}

// Page is the statement a store runs for q: Select, or for a dialect that reads keys
// first (Dialect.KeysFirst) a search's page read that way, its rows joined to its keys.
func Page(d Dialect, cols string, q rollcall.UserQuery) (string, []any, error) {
	if d.KeysFirst {
		return keysFirst(&builder{d: d}, cols, q)
	}
	return Select(d, cols, q)
}

// keysFirst wraps the page's statement, reading only the IDs and sort values (which an
// index holds), in one that reads the page's rows by ID: a page that skips most of the
// users it walks (a search's) then reads a row only for the users it returns. Other
// pages return most of what they walk, and a query without a limit all of it: they
// read their rows directly, as the join would cost more than it saves.
func keysFirst(b *builder, cols string, q rollcall.UserQuery) (string, []any, error) {
	if q.Limit <= 0 || len(q.Search) == 0 {
		return selectUsers(b, cols, q)
	}
	order := rollcall.OrderOf(q)
	keys, by := []string{"id"}, make([]string, len(order))
	for i, s := range order {
		c := columns[s.Field]
		if !slices.Contains(keys, c) {
			keys = append(keys, c)
		}
		by[i] = "k." + c
		if s.Descending {
			by[i] += " DESC"
		}
	}
	inner, args, err := selectUsers(b, strings.Join(keys, ", "), q)
	if err != nil {
		return "", nil, err
	}
	out := strings.Split(cols, ",")
	for i, c := range out {
		out[i] = "users." + strings.TrimSpace(c)
	}
	return "SELECT " + strings.Join(out, ", ") + " FROM (" + inner + ") AS k JOIN users ON users.id = k.id ORDER BY " +
		strings.Join(by, ", "), args, nil
}

func selectUsers(b *builder, cols string, q rollcall.UserQuery) (string, []any, error) {
	order := rollcall.OrderOf(q)
	for _, s := range order {
		if columns[s.Field] == "" {
			return "", nil, &rollcall.Error{Kind: rollcall.Invalid, Field: "Sort", Message: "Users cannot be sorted by " + strconv.Quote(string(s.Field)) + "."}
		}
	}
	if !rollcall.ValidCursor(q, q.After) {
		return "", nil, &rollcall.Error{Kind: rollcall.Invalid, Field: "After", Message: "The cursor does not fit the query's order."}
	}
	by := make([]string, len(order))
	oneWay := true
	for i, s := range order {
		by[i] = columns[s.Field]
		if s.Descending {
			by[i] += " DESC"
		}
		oneWay = oneWay && s.Descending == order[0].Descending
	}
	orderBy := " ORDER BY " + strings.Join(by, ", ")
	set := setOn(q, order[0].Field)
	if walks(b.d, q, order) {
		return b.walkDesc(cols, q, order, set), b.args, nil
	}
	if q.After == nil || oneWay && set == nil {
		b.where(q, order)
		if q.After != nil {
			b.rowRange(order, q.After)
		}
		stmt := b.sql("SELECT "+cols+" FROM users"+indexedBy(b.d, q, order)) + orderBy
		return stmt + b.limit(q.Limit), b.args, nil
	}
	inner := cols
	for _, s := range order {
		if c := columns[s.Field]; !slices.Contains(strings.Split(strings.ReplaceAll(cols, " ", ""), ","), c) {
			inner += ", " + c
		}
	}
	first := q.After.Values[0].S
	parts, mark := make([]string, 0, len(order)), 0
	for i := len(order) - 1; i >= 0; i-- {
		b.conds, mark = nil, len(b.args)
		b.where(q, order)
		for j := range i {
			b.conds = append(b.conds, columns[order[j].Field]+" = "+b.ph(b.value(order[j].Field, q.After.Values[j])))
		}
		switch {
		case set != nil && i > 0 && !slices.Contains(set, first):
			b.args = b.args[:mark]
			continue // the filter excludes the cursor's first value: nothing shares it
		case set != nil && i == 0:
			past := slices.DeleteFunc(slices.Clone(set), func(v string) bool {
				return order[0].Descending && v >= first || !order[0].Descending && v <= first
			})
			if len(past) == 0 {
				b.args = b.args[:mark]
				continue
			}
			b.in(columns[order[0].Field], past, nil, true)
		default:
			op := " > "
			if order[i].Descending {
				op = " < "
			}
			b.conds = append(b.conds, columns[order[i].Field]+op+b.ph(b.value(order[i].Field, q.After.Values[i])))
		}
		parts = append(parts, "SELECT * FROM ("+b.sql("SELECT "+inner+" FROM users")+orderBy+b.limit(q.Limit)+") AS p"+strconv.Itoa(i))
	}
	if len(parts) == 0 {
		return "SELECT " + cols + " FROM users WHERE 1 = 0", nil, nil
	}
	// The parts come in the order's order, each sorted, and UNION ALL reads them one
	// after the other (SQLite's compound co-routine, PostgreSQL's Append): with no ORDER
	// BY around them the limit stops the read as soon as the page is full, so a part
	// past the page is never read.
	stmt := "SELECT " + cols + " FROM (" + strings.Join(parts, " UNION ALL ") + ") AS page"
	return stmt + b.limit(q.Limit), b.args, nil
}

// walks reports whether q's page is read group by group (walkDesc): an Alexa for
// Business directory's users (the product whose sorts are descending with ties by
// ascending ID) by one key descending, or, with Dialect.NewestWalk, a tenant's or the
// whole store's users newest first; and no IDs, keys or emails (which name few users:
// the planner sorts those).
func walks(d Dialect, q rollcall.UserQuery, order []rollcall.UserSort) bool {
	if len(order) != 2 || !order[0].Descending || order[1].Descending || order[1].Field != rollcall.UserID ||
		len(q.IDs)+len(q.Keys)+len(q.Emails) > 0 {
		return false
	}
	if order[0].Field == rollcall.UserCreatedAt {
		return d.NewestWalk && q.DirectoryID == ""
	}
	return q.DirectoryID != "" && q.Kind == rollcall.DirAlexa
}

// walkIndex is the ascending index a descending walk of q by field reads: an Alexa for
// Business sort key's (walkIndexes), or the creation time's of q's scope (0460).
func walkIndex(q rollcall.UserQuery, field rollcall.UserField) string {
	switch {
	case field != rollcall.UserCreatedAt:
		return walkIndexes[field]
	case q.TenantID != "":
		return "users_tenant_created"
	}
	return "users_created"
}

// walkDesc is the statement of a page ordered by one key descending, ties by ascending
// ID (Alexa for Business' SortCriteria DESC), read from the key's ascending index
// (directory_id, key, id): no index is kept in that mixed order, as each would cost
// every create a b-tree (migration 0310 dropped them). The page walks the key's values
// descending, one group at a time, and reads each group's users by ascending ID, a
// range of the index cut at the limit:
//
//   - the cursor's own group first: key = v AND id > id0;
//   - then the groups below it (all of them on a first page): with a set filter on the
//     key, its values, known, each a part; otherwise a recursive walk whose every step is
//     one probe of the index backwards (the greatest value below the last), joined to
//     that group's users.
//
// The parts are read one after the other and the walk is lazy (a SQLite co-routine, a
// PostgreSQL recursive union), so the limit stops it once the page is full: a page reads
// its own users, those its filters skip, and one probe per group it enters.
func (b *builder) walkDesc(cols string, q rollcall.UserQuery, order []rollcall.UserSort, set []string) string {
	col := columns[order[0].Field]
	if set != nil {
		// Each part names one of the filter's values: an IN on the key beside it would
		// be read as the index's lookups, out of the ID's order.
		q = withoutSet(q, order[0].Field)
	}
	users := "users"
	if ix := walkIndex(q, order[0].Field); b.d.NameWalkIndex && ix != "" {
		users += " INDEXED BY " + ix
	}
	var with string
	var from *string // the first value below which the walk starts, nil for the top
	if q.After != nil {
		from = &q.After.Values[0].S
	}
	// probe is the statement of the greatest value of the key below the one below
	// writes, on the index's own leading columns (the creation time's indexes hold no
	// kind: a group's part tests it).
	probe := func(below func() string) string {
		var terms []string
		switch {
		case q.DirectoryID != "":
			terms = []string{"directory_id = " + b.ph(q.DirectoryID), kindTerm(q.Kind)}
		case q.TenantID != "":
			terms = []string{"tenant_id = " + b.ph(q.TenantID)}
		}
		if below != nil {
			terms = append(terms, col+" < "+below())
		}
		where := ""
		if len(terms) > 0 {
			where = " WHERE " + strings.Join(terms, " AND ")
		}
		return "SELECT " + col + " FROM " + users + where + " ORDER BY " + col + " DESC LIMIT 1"
	}
	if set == nil {
		var start func() string
		if from != nil {
			start = func() string { return b.ph(b.value(order[0].Field, q.After.Values[0])) }
		}
		seed := probe(start)
		step := probe(func() string { return "walk.v" })
		with = "WITH RECURSIVE walk(v) AS (SELECT (" + seed + ") UNION ALL SELECT (" + step + ") FROM walk WHERE walk.v IS NOT NULL) "
	}
	var parts []string
	group := func(v any, after bool) {
		b.conds = nil
		b.where(q, order)
		b.conds = append(b.conds, col+" = "+b.ph(v))
		if after {
			b.conds = append(b.conds, "id > "+b.ph(q.After.Values[1].S))
		}
		parts = append(parts, "SELECT * FROM ("+b.sql("SELECT "+cols+" FROM "+users)+" ORDER BY id"+b.limit(q.Limit)+") AS p"+strconv.Itoa(len(parts)))
	}
	if from != nil && (set == nil || slices.Contains(set, *from)) {
		group(b.value(order[0].Field, q.After.Values[0]), true)
	}
	if set != nil {
		vals := slices.Clone(set)
		slices.Sort(vals)
		for _, v := range slices.Backward(slices.Compact(vals)) {
			if from == nil || v < *from {
				group(v, false)
			}
		}
	} else {
		b.conds = nil
		b.where(q, order)
		b.conds = append(b.conds, col+" = walk.v")
		if b.d.Lateral {
			parts = append(parts, "SELECT g.* FROM walk CROSS JOIN LATERAL ("+b.sql("SELECT "+cols+" FROM "+users)+" ORDER BY id"+b.limit(q.Limit)+") AS g")
		} else {
			// walk is the outer loop (CROSS JOIN keeps SQLite from reordering), and each
			// group is an equality range of the key's index, read in ID order.
			parts = append(parts, b.sql("SELECT "+cols+" FROM walk CROSS JOIN "+users))
		}
	}
	if len(parts) == 0 {
		return "SELECT " + cols + " FROM users WHERE 1 = 0"
	}
	return with + "SELECT " + cols + " FROM (" + strings.Join(parts, " UNION ALL ") + ") AS page" + b.limit(q.Limit)
}

// indexedBy is the clause that makes q's page read the index the dialect names for it,
// "" when it names none. A page naming IDs, keys or emails reads their indexes instead,
// and one without a directory reads none of a directory's ranges.
func indexedBy(d Dialect, q rollcall.UserQuery, order []rollcall.UserSort) string {
	if d.Index == nil || q.DirectoryID == "" || len(q.IDs)+len(q.Keys)+len(q.Emails) > 0 {
		return ""
	}
	if ix := d.Index(q.Kind, order[0].Field); ix != "" {
		return " INDEXED BY " + ix
	}
	return ""
}

// setOn is q's set filter on field, nil when it has none. A page past a cursor reads
// only the filter's values from there on, each a range of the order's index, rather
// than the whole range past the cursor, which holds the values the filter refuses.
func setOn(q rollcall.UserQuery, f rollcall.UserField) []string {
	for _, s := range setFilters(q) {
		if s.field == f && len(s.vals) > 0 {
			return s.vals
		}
	}
	return nil
}

// withoutSet is q without its set filter on f.
func withoutSet(q rollcall.UserQuery, f rollcall.UserField) rollcall.UserQuery {
	switch f {
	case rollcall.UserGivenName:
		q.GivenNames = nil
	case rollcall.UserFamilyName:
		q.FamilyNames = nil
	case rollcall.UserType:
		q.UserTypes = nil
	case rollcall.UserStatus:
		q.Statuses = nil
	case rollcall.UserEnrollment:
		q.Enrollments = nil
	}
	return q
}

// setFilter is a set filter on a sortable column.
type setFilter struct {
	field rollcall.UserField
	vals  []string
}

// setFilters are q's set filters on the columns it may also sort by.
func setFilters(q rollcall.UserQuery) []setFilter {
	return []setFilter{{rollcall.UserGivenName, q.GivenNames}, {rollcall.UserFamilyName, q.FamilyNames},
		{rollcall.UserType, q.UserTypes}, {rollcall.UserStatus, q.Statuses}, {rollcall.UserEnrollment, q.Enrollments}}
}

// rowRange adds the cursor of a one-direction order as one row-value range.
func (b *builder) rowRange(order []rollcall.UserSort, c *rollcall.UserCursor) {
	cols, phs := make([]string, len(order)), make([]string, len(order))
	for i, s := range order {
		cols[i], phs[i] = columns[s.Field], b.ph(b.value(s.Field, c.Values[i]))
	}
	op := " > "
	if order[0].Descending {
		op = " < "
	}
	if len(order) == 1 {
		b.conds = append(b.conds, cols[0]+op+phs[0])
		return
	}
	b.conds = append(b.conds, "("+strings.Join(cols, ", ")+")"+op+"("+strings.Join(phs, ", ")+")")
}

// Count is the statement that counts the users q selects.
func Count(d Dialect, q rollcall.UserQuery) (string, []any) {
	b := &builder{d: d}
	b.where(q, []rollcall.UserSort{{Field: rollcall.UserID}})
	return b.sql("SELECT count(*) FROM users"), b.args
}

package userquery

import (
	"github.com/rollcall/rollcall"
)

// WordBound is the most users a query reads from one range of the word index (the
// users with a word that begins a console term) before sorting them. A term that more
// users match is common enough that walking the order's index and skipping the users it
// does not match reads fewer rows: a page of p reads about p*n/WordBound index entries
// at most, in a store of n users.
const WordBound = 2000

// wordRange is the statement reading col of the word index's entries that begin term:
// an index range, as in PrefixEnd.
func (b *builder) wordRange(col, term string) string {
	stmt := "SELECT " + col + " FROM user_words WHERE word >= " + b.ph(term)
	if end, ok := rollcall.PrefixEnd(term); ok {
		stmt += " AND word < " + b.ph(end)
	}
	return stmt
}

// CountWord is the statement counting the entries of the word index that begin term,
// up to WordBound+1: it reads at most that many entries.
func CountWord(d Dialect, term string) (string, []any) {
	b := &builder{d: d}
	inner := b.wordRange("1", term)
	return "SELECT count(*) FROM (" + inner + " LIMIT " + b.ph(WordBound+1) + ") AS w", b.args
}

// Plan is the statement that lists the users q selects, as Select, choosing how to read
// a console search (q.Words): count runs CountWord for each term, and when the
// narrowest term begins at most WordBound words the query reads those users (by ID) and
// sorts them; otherwise it walks the order's index and tests each user's words, which
// then match often enough for a page to come soon. Without Words it is Select, read keys
// first when the dialect says so (Dialect.KeysFirst).
func Plan(d Dialect, cols string, q rollcall.UserQuery, count func(stmt string, args []any) (int, error)) (string, []any, error) {
	narrow, least := "", WordBound+1
	for _, t := range q.Words {
		stmt, args := CountWord(d, t)
		n, err := count(stmt, args)
		if err != nil {
			return "", nil, err
		}
		if n < least {
			narrow, least = t, n
		}
	}
	b := &builder{d: d, within: narrow}
	if d.KeysFirst {
		return keysFirst(b, cols, q)
	}
	return selectUsers(b, cols, q)
}

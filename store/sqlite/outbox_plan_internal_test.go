package sqlite

import (
	"slices"
	"testing"

	"github.com/rollcall/rollcall"
)

// No index of invitations is the first columns of another, which would answer for it:
// each is written with every invitation. A directory's invitations are deleted through
// invitations_user.
func TestInvitationIndexes(t *testing.T) {
	s := mustOpenPlain(t)
	cols := map[string][]string{}
	rows, err := s.readDB.Query(`SELECT il.name, ii.name FROM pragma_index_list('invitations') il, pragma_index_info(il.name) ii ORDER BY il.name, ii.seqno`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var index, col string
		if err := rows.Scan(&index, &col); err != nil {
			t.Fatal(err)
		}
		cols[index] = append(cols[index], col)
	}
	for a, ca := range cols {
		for b, cb := range cols {
			if a != b && len(ca) <= len(cb) && slices.Equal(ca, cb[:len(ca)]) {
				t.Errorf("index %s %v is the first columns of %s %v", a, ca, b, cb)
			}
		}
	}
	got := indexes(explain(t, s, contentDeletes[rollcall.DirectoryInvitations], []any{"d"}))
	if !slices.Equal(got, []string{"invitations_user"}) {
		t.Errorf("deleting a directory's invitations reads %v, want invitations_user", got)
	}
}

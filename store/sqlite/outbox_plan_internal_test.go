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

// Every index of messages and invitations is written with each invitation an Amazon
// Business (or Chime, or Alexa for Business) create queues; each must be the one some
// query of the store reads, or it is a b-tree written for nothing.
func TestOutboxIndexesAreRead(t *testing.T) {
	s := mustOpenPlain(t)
	read := map[string]bool{}
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{messagesQueries[0], []any{10}},                    // the message list
		{messagesQueries[1], []any{"t", 10}},               // the message list of a tenant
		{oldestQueuedQuery, []any{rollcall.MessageQueued}}, // the outbox's age
		{claimQuery, []any{rollcall.MessageQueued, 1, 10}}, // the dispatcher's claim
		{invitationByHashQuery, []any{"h"}},                // an invitation link
		{userInvitationsQuery, []any{"d", "u"}},            // a user's invitations
		{contentDeletes[rollcall.DirectoryInvitations], []any{"d"}},
		// PurgeExpired's invitations
		{`DELETE FROM invitations WHERE rowid IN (SELECT rowid FROM invitations WHERE expires_at <= ? LIMIT ?)`, []any{1, 10}},
	} {
		for _, ix := range indexes(explain(t, s, q.sql, q.args)) {
			read[ix] = true
		}
	}
	for _, table := range []string{"messages", "invitations"} {
		rows, err := s.readDB.Query(`SELECT name FROM pragma_index_list(?) WHERE origin <> 'pk'`, table)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				t.Fatal(err)
			}
			names = append(names, name)
		}
		rows.Close()
		for _, name := range names {
			if !read[name] {
				t.Errorf("index %s of %s: no query reads it", name, table)
			}
		}
	}
}

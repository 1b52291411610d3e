package storetest

import (
	"fmt"
	"testing"

	"github.com/rollcall/rollcall"
)

// The deletion primitives: DeleteDirectoryRow and DeleteDirectoryContents each delete
// exactly what they name. What a directory's deletion removes is the core's policy
// (rollcall.DeleteDirectory), tested in the core.

// insertTwoDirectories fills s with directories A and B, each holding rows of every
// rollcall.DirectoryContent, and a message and an idempotency record of A.
func insertTwoDirectories(t *testing.T, s rollcall.Store) {
	t.Helper()
	m := NewMessage("m1", TenantID, T0)
	m.DirectoryID, m.UserID = "A", "a1"
	MustInsert(t, s, NewDirectory("A"), NewDirectory("B"),
		NewUser("A", "a1", "ada"), NewUser("A", "a2", "grace"), NewUser("B", "b1", "ada"),
		NewGroup("A", "g1", "tag"), NewGroup("A", "g2", ""), NewGroup("B", "g1", "tag"),
		NewInvitation("ia", "hash-a", "A"), NewInvitation("ib", "hash-b", "B"),
		NewAccessToken("tok-a", "A"), NewAccessToken("tok-b", "B"),
		NewIdempotency("a4b:"+TenantID, "token"), m)
}

// inDirectory counts the rows of each content (and the directory row, messages and
// idempotency records, which no content names) that s holds in directory dir.
func inDirectory(t *testing.T, s rollcall.Store, dir string) map[string]int {
	t.Helper()
	n := map[string]int{"directory": 0}
	MustView(t, s, func(tx rollcall.Tx) error {
		users, err := tx.Users(rollcall.UserQuery{DirectoryID: dir})
		n[string(rollcall.DirectoryUsers)] = len(users)
		if err != nil {
			return err
		}
		groups, err := tx.Groups(dir)
		n[string(rollcall.DirectoryGroups)] = len(groups)
		if err != nil {
			return err
		}
		invs, err := tx.Invitations()
		n[string(rollcall.DirectoryInvitations)] = countIn(invs, dir, func(v *rollcall.Invitation) string { return v.DirectoryID })
		if err != nil {
			return err
		}
		tokens, err := tx.AccessTokens()
		n[string(rollcall.DirectoryAccessTokens)] = countIn(tokens, dir, func(v *rollcall.AccessToken) string { return v.DirectoryID })
		if err != nil {
			return err
		}
		msgs, err := tx.Messages(rollcall.MessageFilter{})
		n["messages"] = countIn(msgs, dir, func(v *rollcall.Message) string { return v.DirectoryID })
		if err != nil {
			return err
		}
		recs, err := tx.IdempotencyRecords()
		n["idempotency"] = len(recs)
		if err != nil {
			return err
		}
		if _, err := tx.Directory(dir); err == nil {
			n["directory"] = 1
		} else if !rollcall.IsKind(err, rollcall.NotFound) {
			return err
		}
		return nil
	})
	return n
}

func countIn[T any](list []*T, dir string, of func(*T) string) int {
	n := 0
	for _, v := range list {
		if of(v) == dir {
			n++
		}
	}
	return n
}

// testDeleteDirectoryRow: the row goes, and nothing it holds.
func testDeleteDirectoryRow(t *testing.T, s rollcall.Store) {
	insertTwoDirectories(t, s)
	before := inDirectory(t, s, "A")
	MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteDirectoryRow("A") })
	before["directory"] = 0
	WantEqual(t, "directory A's rows after DeleteDirectoryRow(A)", inDirectory(t, s, "A"), before)
	WantKind(t, "DeleteDirectoryRow again", update(s, func(tx rollcall.Tx) error { return tx.DeleteDirectoryRow("A") }), rollcall.NotFound)
	mustRead(t, s, func(tx rollcall.Tx) (*rollcall.Directory, error) { return tx.Directory("B") })
	// The ID is free again.
	MustInsert(t, s, NewDirectory("A"))
}

// testDeleteDirectoryContents deletes A's contents one kind at a time: after each,
// exactly the kinds deleted so far are gone from A, and B keeps everything.
func testDeleteDirectoryContents(t *testing.T, s rollcall.Store) {
	insertTwoDirectories(t, s)
	wantA, wantB := inDirectory(t, s, "A"), inDirectory(t, s, "B")
	for _, c := range []rollcall.DirectoryContent{rollcall.DirectoryUsers, rollcall.DirectoryGroups,
		rollcall.DirectoryInvitations, rollcall.DirectoryAccessTokens} {
		if wantA[string(c)] == 0 || wantB[string(c)] == 0 {
			t.Fatalf("the fixture has no %s in A or B", c)
		}
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteDirectoryContents("A", c) })
		wantA[string(c)] = 0
		WantEqual(t, fmt.Sprintf("directory A after deleting its %s", c), inDirectory(t, s, "A"), wantA)
		WantEqual(t, fmt.Sprintf("directory B after deleting A's %s", c), inDirectory(t, s, "B"), wantB)
	}
	// Every ID, key, tag and hash A held is free again, though A itself still exists.
	MustInsert(t, s, NewUser("A", "a1", "ada"), NewGroup("A", "g1", "tag"),
		NewInvitation("ia", "hash-a", "A"), NewAccessToken("tok-a", "A"))

	MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteDirectoryContents("nope", rollcall.DirectoryUsers) })
	err := update(s, func(tx rollcall.Tx) error { return tx.DeleteDirectoryContents("A", "sessions") })
	WantKind(t, "DeleteDirectoryContents of an unknown content", err, rollcall.Internal)
}

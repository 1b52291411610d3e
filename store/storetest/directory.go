package storetest

import (
	"errors"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

func directoryID(d *rollcall.Directory) string { return d.ID }

var directoryTests = []testCase{
	{"RoundTrip", func(t *testing.T, s rollcall.Store) {
		chime := NewDirectory("chime-1")
		biz := &rollcall.Directory{ID: "biz-1", TenantID: "biz-1", Kind: rollcall.DirBusiness, Name: "Business",
			CreatedAt: T0, UpdatedAt: T0,
			Attrs: `{"defaultGroupId":"g1","defaultRole":"Requisitioner","clientId":"client","clientSecretHash":"sha"}`}
		bare := &rollcall.Directory{ID: "d-0000000000", TenantID: TenantID, Kind: rollcall.DirWorkDocs}
		MustInsert(t, s, chime, biz, bare)
		wantStored(t, s, "Directory", directoryID,
			func(tx rollcall.Tx, v *rollcall.Directory) (*rollcall.Directory, error) { return tx.Directory(v.ID) },
			chime, biz, bare)
	}},
	{"NotFound", func(t *testing.T, s rollcall.Store) {
		_, err := read(t, s, func(tx rollcall.Tx) (*rollcall.Directory, error) { return tx.Directory("nope") })
		WantKind(t, "Directory of a missing id", err, rollcall.NotFound)
	}},
	{"InsertConflict", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewDirectory("a"))
		other := NewDirectory("a")
		other.TenantID, other.Name = "222222222222", "someone else's"
		WantKind(t, "InsertDirectory of a taken ID", update(s, func(tx rollcall.Tx) error { return tx.InsertDirectory(other) }), rollcall.Conflict)
		got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.Directory, error) { return tx.Directory("a") })
		WantEqual(t, "the first directory", got, NewDirectory("a"))
	}},
	{"UpdateReplaces", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewDirectory("a"))
		changed := NewDirectory("a")
		changed.Name, changed.UpdatedAt = "renamed", T0.Add(time.Hour)
		changed.Attrs = `{"accountStatus":"Suspended","defaultLicense":"Basic"}`
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.UpdateDirectory(changed) })
		got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.Directory, error) { return tx.Directory("a") })
		WantEqual(t, "directory after UpdateDirectory", got, changed)
	}},
	{"UpdateNotFound", func(t *testing.T, s rollcall.Store) {
		err := update(s, func(tx rollcall.Tx) error { return tx.UpdateDirectory(NewDirectory("nope")) })
		WantKind(t, "UpdateDirectory of a missing id", err, rollcall.NotFound)
		_, err = read(t, s, func(tx rollcall.Tx) (*rollcall.Directory, error) { return tx.Directory("nope") })
		WantKind(t, "Directory after a failed update", err, rollcall.NotFound)
	}},
	{"List", testDirectories},
	{"DeleteRowOnly", testDeleteDirectoryRow},
	{"DeleteContents", testDeleteDirectoryContents},
	{"DeleteNotFound", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewDirectory("a"))
		err := update(s, func(tx rollcall.Tx) error { return tx.DeleteDirectoryRow("nope") })
		WantKind(t, "DeleteDirectoryRow of a missing id", err, rollcall.NotFound)
		mustRead(t, s, func(tx rollcall.Tx) (*rollcall.Directory, error) { return tx.Directory("a") })
	}},
}

func testDirectories(t *testing.T, s rollcall.Store) {
	dir := func(id, tenantID string, kind rollcall.DirectoryKind) *rollcall.Directory {
		d := NewDirectory(id)
		d.TenantID, d.Kind = tenantID, kind
		return d
	}
	MustInsert(t, s,
		dir("c", "A", rollcall.DirChime), dir("a", "A", rollcall.DirChime), dir("e", "A", rollcall.DirWorkDocs),
		dir("b", "A", rollcall.DirWorkDocs), dir("d", "A", rollcall.DirChime), dir("a2", "B", rollcall.DirChime))
	for _, c := range []struct {
		name     string
		tenantID string
		kind     rollcall.DirectoryKind
		after    string
		limit    int
		want     []string
	}{
		{"all of a tenant, by ID", "A", "", "", 0, []string{"a", "b", "c", "d", "e"}},
		{"one kind", "A", rollcall.DirChime, "", 0, []string{"a", "c", "d"}},
		{"other kind", "A", rollcall.DirWorkDocs, "", 0, []string{"b", "e"}},
		{"a kind with none", "A", rollcall.DirAlexa, "", 0, nil},
		{"after", "A", "", "b", 0, []string{"c", "d", "e"}},
		{"after an ID that is not there", "A", "", "bb", 0, []string{"c", "d", "e"}},
		{"limit", "A", "", "", 2, []string{"a", "b"}},
		{"after and limit", "A", "", "a", 2, []string{"b", "c"}},
		{"kind, after and limit", "A", rollcall.DirChime, "a", 1, []string{"c"}},
		{"after the last", "A", "", "e", 0, nil},
		{"limit larger than the list", "A", rollcall.DirWorkDocs, "", 10, []string{"b", "e"}},
		{"other tenant", "B", "", "", 0, []string{"a2"}},
		{"unknown tenant", "Z", "", "", 0, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Directory, error) {
				return tx.Directories(c.tenantID, c.kind, c.after, c.limit)
			})
			wantIDs(t, "Directories", ids(got, directoryID), c.want)
		})
	}
	got := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Directory, error) { return tx.Directories("B", "", "", 0) })
	WantEqual(t, "listed directory", got[0], dir("a2", "B", rollcall.DirChime))
}

var groupTests = []testCase{
	{"RoundTrip", func(t *testing.T, s rollcall.Store) {
		tagged, untagged := NewGroup("biz", "g1", "purchasing"), NewGroup("biz", "g2", "")
		MustInsert(t, s, tagged, untagged)
		wantStored(t, s, "Group", func(g *rollcall.Group) string { return g.ID },
			func(tx rollcall.Tx, g *rollcall.Group) (*rollcall.Group, error) { return tx.Group("biz", g.ID) },
			tagged, untagged)
		got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.Group, error) { return tx.GroupByTag("biz", "purchasing") })
		WantEqual(t, "GroupByTag", got, tagged)
	}},
	{"NotFound", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewGroup("biz", "g1", "purchasing"), NewGroup("biz", "g2", ""))
		wantNotFound(t, s, []namedRead[rollcall.Group]{
			{"Group of a missing id", func(tx rollcall.Tx) (*rollcall.Group, error) { return tx.Group("biz", "nope") }},
			{"Group through another directory", func(tx rollcall.Tx) (*rollcall.Group, error) { return tx.Group("other", "g1") }},
			{"GroupByTag of a missing tag", func(tx rollcall.Tx) (*rollcall.Group, error) { return tx.GroupByTag("biz", "nope") }},
			{"GroupByTag through another directory", func(tx rollcall.Tx) (*rollcall.Group, error) { return tx.GroupByTag("other", "purchasing") }},
			{"GroupByTag of the empty tag", func(tx rollcall.Tx) (*rollcall.Group, error) { return tx.GroupByTag("biz", "") }},
		})
	}},
	{"TagConflict", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewGroup("biz", "g1", "purchasing"), NewGroup("biz", "g2", "finance"))
		err := update(s, func(tx rollcall.Tx) error { return tx.PutGroup(NewGroup("biz", "g3", "purchasing")) })
		WantKind(t, "PutGroup of a new group with a taken tag", err, rollcall.Conflict)
		err = update(s, func(tx rollcall.Tx) error { return tx.PutGroup(NewGroup("biz", "g2", "purchasing")) })
		WantKind(t, "PutGroup retagging a group with a taken tag", err, rollcall.Conflict)
		got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.Group, error) { return tx.Group("biz", "g2") })
		WantEqual(t, "the group that could not be retagged", got, NewGroup("biz", "g2", "finance"))
		_, err = read(t, s, func(tx rollcall.Tx) (*rollcall.Group, error) { return tx.Group("biz", "g3") })
		WantKind(t, "the group that could not be created", err, rollcall.NotFound)
	}},
	{"TagsScopedToDirectory", func(t *testing.T, s rollcall.Store) {
		// The same tag and the same ID in two directories are two groups; untagged
		// groups never collide.
		MustInsert(t, s, NewGroup("biz", "g1", "purchasing"), NewGroup("other", "g1", "purchasing"),
			NewGroup("biz", "g2", ""), NewGroup("biz", "g3", ""))
		got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.Group, error) { return tx.GroupByTag("other", "purchasing") })
		WantEqual(t, "the other directory's group", got, NewGroup("other", "g1", "purchasing"))
	}},
	{"PutReplaces", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewGroup("biz", "g1", "purchasing"))
		changed := &rollcall.Group{ID: "g1", DirectoryID: "biz", Tag: "buyers", Name: "Buyers", CreatedAt: T0.Add(time.Hour)}
		MustInsert(t, s, changed)
		got := mustRead(t, s, func(tx rollcall.Tx) (*rollcall.Group, error) { return tx.Group("biz", "g1") })
		WantEqual(t, "group after a second Put", got, changed)
		_, err := read(t, s, func(tx rollcall.Tx) (*rollcall.Group, error) { return tx.GroupByTag("biz", "purchasing") })
		WantKind(t, "GroupByTag of the old tag", err, rollcall.NotFound)
		// The old tag is free; clearing a tag frees it too.
		MustInsert(t, s, NewGroup("biz", "g2", "purchasing"))
		changed.Tag = ""
		MustInsert(t, s, changed)
		MustInsert(t, s, NewGroup("biz", "g3", "buyers"))
		got = mustRead(t, s, func(tx rollcall.Tx) (*rollcall.Group, error) { return tx.Group("biz", "g1") })
		WantEqual(t, "group with its tag cleared", got, changed)
	}},
	{"ListOrderedByID", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewGroup("biz", "g3", ""), NewGroup("biz", "g1", "a"), NewGroup("biz", "g2", "b"), NewGroup("other", "g0", ""))
		got := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Group, error) { return tx.Groups("biz") })
		wantIDs(t, "Groups(biz)", ids(got, func(g *rollcall.Group) string { return g.ID }), []string{"g1", "g2", "g3"})
		WantEqual(t, "listed group", got[0], NewGroup("biz", "g1", "a"))
		WantEqual(t, "listed untagged group", got[2], NewGroup("biz", "g3", ""))
		none := mustRead(t, s, func(tx rollcall.Tx) ([]*rollcall.Group, error) { return tx.Groups("empty") })
		if len(none) != 0 {
			t.Fatalf("Groups of a directory without groups = %d groups", len(none))
		}
	}},
	// A store may answer group reads in an Update from a cache (an Amazon Business
	// create resolves its group in every one): reads twice (so that a cache holds the
	// row), writes, and wants the write read back, alone and in the Update that wrote it.
	{"GroupReadsSeeWrites", func(t *testing.T, s rollcall.Store) {
		MustInsert(t, s, NewDirectory("biz"), NewGroup("biz", "g1", "purchasing"))
		wantGroup := func(how, key, wantName string) {
			t.Helper()
			for range 2 {
				var g *rollcall.Group
				err := s.Update(t.Context(), func(tx rollcall.Tx) (err error) {
					g, err = groupBy(tx, how, key)
					return err
				})
				switch {
				case wantName == "":
					WantKind(t, "group "+how+" "+key, err, rollcall.NotFound)
				case err != nil:
					t.Fatalf("group %s %s: %v", how, key, err)
				case g.Name != wantName:
					t.Fatalf("group %s %s: name %q, want %q", how, key, g.Name, wantName)
				}
			}
		}
		wantGroup("id", "g1", "group g1")
		wantGroup("tag", "purchasing", "group g1")

		renamed := NewGroup("biz", "g1", "finance")
		renamed.Name = "renamed"
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.PutGroup(renamed) })
		wantGroup("id", "g1", "renamed")
		wantGroup("tag", "purchasing", "")
		wantGroup("tag", "finance", "renamed")

		// A write in the same Update is seen; one rolled back is not.
		errUndo := errors.New("undo")
		undone := *renamed
		undone.Name = "rolled back"
		if err := s.Update(t.Context(), func(tx rollcall.Tx) error {
			if err := tx.PutGroup(&undone); err != nil {
				return err
			}
			if g, err := tx.Group("biz", "g1"); err != nil || g.Name != "rolled back" {
				t.Errorf("in the Update that wrote it: %v, %v", g, err)
			}
			return errUndo
		}); !errors.Is(err, errUndo) {
			t.Fatal(err)
		}
		wantGroup("id", "g1", "renamed")

		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteDirectoryContents("biz", rollcall.DirectoryGroups) })
		wantGroup("id", "g1", "")
		wantGroup("tag", "finance", "")

		MustInsert(t, s, NewGroup("biz", "g1", "purchasing"))
		wantGroup("id", "g1", "group g1")
		MustUpdate(t, s, func(tx rollcall.Tx) error { return tx.DeleteContents(rollcall.ContentGroups, TenantID) })
		wantGroup("id", "g1", "")
		wantGroup("tag", "purchasing", "")
	}},
}

func groupBy(tx rollcall.Tx, how, key string) (*rollcall.Group, error) {
	if how == "tag" {
		return tx.GroupByTag("biz", key)
	}
	return tx.Group("biz", key)
}

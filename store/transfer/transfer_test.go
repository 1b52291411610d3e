package transfer_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/operator"
	"github.com/rollcall/rollcall/store/postgres"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/store/storetest"
	"github.com/rollcall/rollcall/store/transfer"
)

func openSQLite(tb testing.TB) rollcall.Store {
	tb.Helper()
	s, err := sqlite.Open(filepath.Join(tb.TempDir(), "rollcall.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func openPostgres(tb testing.TB) rollcall.Store {
	tb.Helper()
	s, err := postgres.Open(context.Background(), pgtest.FreshDB(tb))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// users is more than one page of AllUsers, so Export and Count page.
const users = 2500

// populate fills s with the dev seed (as a fresh `rollcall serve` has it), a row of
// every kind, and many users.
func populate(tb testing.TB, s rollcall.Store) {
	tb.Helper()
	svc := &rollcall.Service{Store: s, Now: func() time.Time { return storetest.T0 }}
	if err := operator.New(svc).Apply(context.Background(), operator.DevSeed()); err != nil {
		tb.Fatal(err)
	}
	storetest.MustInsert(tb, s, storetest.EveryKind()...)
	storetest.MustInsert(tb, s, storetest.NewDirectory("bulk"))
	var batch []any
	for i := range users {
		batch = append(batch, storetest.NewUser("bulk", fmt.Sprintf("bulk-%05d", i), fmt.Sprintf("user%05d", i)))
		if len(batch) == 500 {
			storetest.MustInsert(tb, s, batch...)
			batch = batch[:0]
		}
	}
	storetest.MustUpdate(tb, s, func(tx rollcall.Tx) error { return tx.InsertSetting("page-token-key", "00ff") })
}

func export(tb testing.TB, s rollcall.Store) ([]byte, transfer.Counts) {
	tb.Helper()
	var buf bytes.Buffer
	c, err := transfer.Export(context.Background(), s, &buf, time.Now())
	if err != nil {
		tb.Fatalf("Export: %v", err)
	}
	return buf.Bytes(), c
}

func mustImport(tb testing.TB, s rollcall.Store, file []byte, opts transfer.Options) *transfer.Result {
	tb.Helper()
	res, err := transfer.Import(context.Background(), s, bytes.NewReader(file), opts)
	if err != nil {
		tb.Fatalf("Import: %v", err)
	}
	return res
}

// rows drops the header (it carries the export's time): what is left must be the same
// from any store that holds the same data.
func rows(file []byte) string {
	_, rest, _ := bytes.Cut(file, []byte("\n"))
	return string(rest)
}

// TestSQLiteToPostgresAndBack moves a store SQLite -> PostgreSQL -> SQLite: every row
// of every kind arrives as it was (byte for byte in the export), and the counts add up.
func TestSQLiteToPostgresAndBack(t *testing.T) {
	src := openSQLite(t)
	populate(t, src)
	file1, counts := export(t, src)
	if counts["user"] < users || counts["message"] == 0 || counts["invitation"] == 0 || counts["access_key"] == 0 ||
		counts["access_token"] == 0 || counts["group"] == 0 || counts["idempotency"] == 0 || counts["setting"] != 1 {
		t.Fatalf("the export lacks a kind of row: %s", counts)
	}

	pg := openPostgres(t)
	res := mustImport(t, pg, file1, transfer.Options{})
	for _, typ := range transfer.Types {
		if res.After[typ] != counts[typ] || res.File[typ] != counts[typ] || res.Before[typ] != 0 {
			t.Errorf("%s: before %d, file %d, after %d; exported %d", typ, res.Before[typ], res.File[typ], res.After[typ], counts[typ])
		}
	}
	file2, _ := export(t, pg)
	if rows(file1) != rows(file2) {
		t.Fatalf("PostgreSQL's export differs from SQLite's:\n%s", firstDiff(rows(file1), rows(file2)))
	}
	// Hashes stay hashes: the WorkDocs dev user's argon2id hash, as stored.
	if !strings.Contains(string(file2), `"passwordHash":"$argon2id$`) {
		t.Error("the export has no password hash as stored")
	}

	back := openSQLite(t)
	mustImport(t, back, file2, transfer.Options{})
	file3, _ := export(t, back)
	if rows(file1) != rows(file3) {
		t.Fatalf("the round trip back to SQLite differs:\n%s", firstDiff(rows(file1), rows(file3)))
	}
	// The data works in its new store: a user's key is still taken.
	err := pg.Update(context.Background(), func(tx rollcall.Tx) error {
		return tx.InsertUser(storetest.NewUser("bulk", "new-id", "user00042"))
	})
	storetest.WantKind(t, "a user with a moved user's key", err, rollcall.Conflict)
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n- %s\n+ %s", i+2, al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines, then %d", len(al), len(bl))
}

// TestImportRefusesNonEmpty: without Merge a store holding data is refused and left
// as it was; with Merge the rows it has are skipped and the counts still add up.
func TestImportRefusesNonEmpty(t *testing.T) {
	for name, open := range map[string]func(testing.TB) rollcall.Store{"sqlite": openSQLite, "postgres": openPostgres} {
		t.Run(name, func(t *testing.T) {
			src := openSQLite(t)
			populate(t, src)
			file, counts := export(t, src)

			dst := open(t)
			svc := &rollcall.Service{Store: dst}
			if err := operator.New(svc).Apply(context.Background(), operator.DevSeed()); err != nil {
				t.Fatal(err)
			}
			before, err := transfer.Count(context.Background(), dst)
			if err != nil {
				t.Fatal(err)
			}
			_, err = transfer.Import(context.Background(), dst, bytes.NewReader(file), transfer.Options{})
			if !errors.Is(err, transfer.ErrNotEmpty) {
				t.Fatalf("import into a store with the dev seed: %v, want ErrNotEmpty", err)
			}
			if after, _ := transfer.Count(context.Background(), dst); after.String() != before.String() {
				t.Fatalf("a refused import changed the store: %s, was %s", after, before)
			}
			// The dev seed gave each store its own WorkDocs admin, under a random ID (a
			// seeded user is never predictable): the file's admin is another user with
			// dst's admin's name, so Merge fails on it and writes nothing.
			if _, err := transfer.Import(context.Background(), dst, bytes.NewReader(file), transfer.Options{Merge: true}); err == nil ||
				!strings.Contains(err.Error(), "user already exists") {
				t.Fatalf("merge over another store's seeded admin: %v, want a collision on the user", err)
			}
			if after, _ := transfer.Count(context.Background(), dst); after.String() != before.String() {
				t.Fatalf("a failed merge changed the store: %s, was %s", after, before)
			}
			storetest.MustUpdate(t, dst, func(tx rollcall.Tx) error {
				u, err := tx.UserByKey(rollcall.DevOrganizationID, rollcall.DevWorkDocsAdmin)
				if err != nil {
					return err
				}
				return tx.DeleteUser(u.DirectoryID, u.ID)
			})
			res := mustImport(t, dst, file, transfer.Options{Merge: true})
			if res.Skipped["tenant"] == 0 || res.Skipped["directory"] == 0 {
				t.Fatalf("merge skipped nothing of the dev seed: %s", res.Skipped)
			}
			if res.After["user"] != counts["user"] {
				t.Fatalf("after the merge: %d users, the file has %d", res.After["user"], counts["user"])
			}
			// Merging the same file again skips everything and changes nothing.
			again := mustImport(t, dst, file, transfer.Options{Merge: true})
			if again.Skipped.Total() != again.File.Total() || again.After.String() != res.After.String() {
				t.Fatalf("a second merge: skipped %s of %s; after %s, was %s", again.Skipped, again.File, again.After, res.After)
			}
		})
	}
}

// TestImportAllOrNothing: a file that fails part-way (truncated; a row that collides
// with the target on a unique value) leaves the target as it was.
func TestImportAllOrNothing(t *testing.T) {
	src := openSQLite(t)
	populate(t, src)
	file, _ := export(t, src)
	for name, open := range map[string]func(testing.TB) rollcall.Store{"sqlite": openSQLite, "postgres": openPostgres} {
		t.Run(name, func(t *testing.T) {
			dst := open(t)
			cut := file[:len(file)*2/3]
			cut = cut[:bytes.LastIndexByte(cut, '\n')+1]
			_, err := transfer.Import(context.Background(), dst, bytes.NewReader(cut), transfer.Options{})
			if err == nil || !strings.Contains(err.Error(), "truncated") {
				t.Fatalf("import of a truncated file: %v", err)
			}
			if c, _ := transfer.Count(context.Background(), dst); c.Total() != 0 {
				t.Fatalf("a failed import left rows: %s", c)
			}

			// Another user already has a moved user's key (same directory, other ID).
			storetest.MustInsert(t, dst, storetest.NewDirectory("bulk"), storetest.NewUser("bulk", "someone-else", "user00007"))
			_, err = transfer.Import(context.Background(), dst, bytes.NewReader(file), transfer.Options{Merge: true})
			if !rollcall.IsKind(err, rollcall.Conflict) {
				t.Fatalf("merge of a colliding user: %v, want Conflict", err)
			}
			if c, _ := transfer.Count(context.Background(), dst); c["user"] != 1 || c["tenant"] != 0 {
				t.Fatalf("a failed merge left rows: %s", c)
			}
		})
	}
}

// TestImportRefusesOtherFormats: a file of another format or version, or with rows
// after its trailer, is refused before anything is written.
func TestImportRefusesOtherFormats(t *testing.T) {
	src := openSQLite(t)
	populate(t, src)
	file, _ := export(t, src)
	for name, bad := range map[string][]byte{
		"version":  bytes.Replace(file, []byte(`"version":5`), []byte(`"version":6`), 1),
		"format":   bytes.Replace(file, []byte(`"format":"rollcall-export"`), []byte(`"format":"other"`), 1),
		"trailing": append(append([]byte(nil), file...), []byte(`{"type":"tenant","data":{}}`+"\n")...),
		"count":    bytes.Replace(file, []byte(`"user":2`), []byte(`"user":3`), 1),
		"field":    bytes.Replace(file, []byte(`"kind":"aws"`), []byte(`"kind":"aws","Extra":1`), 1),
	} {
		t.Run(name, func(t *testing.T) {
			if bytes.Equal(bad, file) {
				t.Fatal("the test did not change the file")
			}
			dst := openSQLite(t)
			if _, err := transfer.Import(context.Background(), dst, bytes.NewReader(bad), transfer.Options{}); err == nil {
				t.Fatal("import succeeded")
			}
			if c, _ := transfer.Count(context.Background(), dst); c.Total() != 0 {
				t.Fatalf("a refused import left rows: %s", c)
			}
		})
	}
}

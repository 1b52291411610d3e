package transfer_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/storetest"
	"github.com/rollcall/rollcall/store/transfer"
)

var update = flag.Bool("update", false, "rewrite testdata/export-v2.jsonl from the current Export")

// golden is the file that pins the format: every record type, written by Export from
// the known store.
var golden = filepath.Join("testdata", "export-v2.jsonl")

// knownStore fills s with the known store: the rows of testdata/export-v1.jsonl, which
// the version-1 release (the core's structs through encoding/json) wrote from
// storetest.EveryKind and a setting: every row type, every field of each set somewhere.
// The file is frozen, so the known store does not move when storetest's fixtures do,
// and reading it proves that Import still reads version 1.
func knownStore(tb testing.TB, s rollcall.Store) {
	tb.Helper()
	v1, err := os.ReadFile(filepath.Join("testdata", "export-v1.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	if !bytes.HasPrefix(v1, []byte(`{"format":"rollcall-export","version":1,`)) {
		tb.Fatal("testdata/export-v1.jsonl is not a version 1 file")
	}
	mustImport(tb, s, v1, transfer.Options{})
}

func exportAt(tb testing.TB, s rollcall.Store) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if _, err := transfer.Export(context.Background(), s, &buf, storetest.T0); err != nil {
		tb.Fatalf("Export: %v", err)
	}
	return buf.Bytes()
}

func readGolden(tb testing.TB) []byte {
	tb.Helper()
	want, err := os.ReadFile(golden)
	if err != nil {
		tb.Fatalf("%v (run go test ./store/transfer -run TestGoldenFile -update to write it)", err)
	}
	return want
}

// TestGoldenFile pins the file format: Export of the known store (read from a version 1
// file) is the golden file byte for byte, the file holds every record type, and the file
// imported into an empty store of either backend exports the same bytes again.
func TestGoldenFile(t *testing.T) {
	src := openSQLite(t)
	knownStore(t, src)
	got := exportAt(t, src)
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := readGolden(t)
	if !bytes.Equal(got, want) {
		t.Fatalf("Export differs from %s (a change of the file format needs a new Version):\n%s",
			golden, firstDiff(string(want), string(got)))
	}
	for _, typ := range transfer.Types {
		if !bytes.Contains(want, []byte(`{"type":"`+typ+`","data":{`)) {
			t.Errorf("%s has no %s record", golden, typ)
		}
	}
	if !bytes.HasPrefix(want, []byte(`{"format":"rollcall-export","version":2,`)) {
		t.Errorf("%s does not start with the version 2 header", golden)
	}
	for name, open := range map[string]func(testing.TB) rollcall.Store{"sqlite": openSQLite, "postgres": openPostgres} {
		t.Run("ImportExport/"+name, func(t *testing.T) {
			dst := open(t)
			mustImport(t, dst, want, transfer.Options{})
			if again := exportAt(t, dst); !bytes.Equal(again, want) {
				t.Fatalf("the golden file imported and exported again differs:\n%s", firstDiff(string(want), string(again)))
			}
		})
	}
}

// TestRefusesUnknownVersion: a version this release does not know is refused by name,
// before anything is written.
func TestRefusesUnknownVersion(t *testing.T) {
	for _, v := range []string{"0", "3", "99"} {
		file := bytes.Replace(readGolden(t), []byte(`"version":2`), []byte(`"version":`+v), 1)
		dst := openSQLite(t)
		_, err := transfer.Import(context.Background(), dst, bytes.NewReader(file), transfer.Options{})
		if err == nil || !strings.Contains(err.Error(), "export format version "+v+": this rollcall reads versions 1 to 2") {
			t.Fatalf("import of version %s: %v", v, err)
		}
		if c, _ := transfer.Count(context.Background(), dst); c.Total() != 0 {
			t.Fatalf("a refused import left rows: %s", c)
		}
	}
}

package transfer_test

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/storetest"
	"github.com/rollcall/rollcall/store/transfer"
)

var update = flag.Bool("update", false, "rewrite testdata/export-v5.jsonl from the current Export")

// golden is the file that pins the format: every record type, written by Export from
// the known store.
var golden = filepath.Join("testdata", "export-v5.jsonl")

// knownStore fills s with the known store: the rows of testdata/export-v1.jsonl, which
// the version-1 release (the core's structs through encoding/json) wrote from
// storetest.EveryKind and a setting: every row type, every field of each set somewhere;
// then what version 3 added, an IAM principal with a policy and a temporary key of a
// role session with a session policy, and what version 4 added, a queued message with
// the trace context of the request that queued it. The file is frozen, so the known store does not
// move when storetest's fixtures do, and reading it proves that Import still reads
// version 1.
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
	p := storetest.NewPrincipal("ci")
	p.ARN = "arn:aws:iam::" + storetest.TenantID + ":role/ci"
	key := storetest.NewAccessKey("ASIAROLESESSION")
	key.SessionTokenHash, key.ExpiresAt = "3f2a", storetest.T0.Add(time.Hour)
	key.PrincipalARN, key.SessionName, key.SessionPolicy = p.ARN, "run-1", `{"Statement":[{"Effect":"Allow","Action":"chime:List*","Resource":"*"}]}`
	m := storetest.NewMessage("m-traced", storetest.TenantID, storetest.T0)
	m.TraceParent, m.TraceState = storetest.TraceParent, "rojo=00f067aa0ba902b7"
	storetest.MustInsert(tb, s, p, key, m)
}

// importFile imports testdata/name into an empty store and returns its counts.
func importFile(tb testing.TB, name string) (rollcall.Store, transfer.Counts) {
	tb.Helper()
	file, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	dst := openSQLite(tb)
	mustImport(tb, dst, file, transfer.Options{})
	c, err := transfer.Count(context.Background(), dst)
	if err != nil {
		tb.Fatal(err)
	}
	return dst, c
}

// TestReadsVersion2: a file of version 2 (before IAM principals) imports whole.
func TestReadsVersion2(t *testing.T) {
	if _, c := importFile(t, "export-v2.jsonl"); c.Total() == 0 || c["iam_principal"] != 0 {
		t.Fatalf("version 2 imported: %s", c)
	}
}

// TestReadsVersion3: a file of version 3 (before messages kept their trace context)
// imports whole, its messages without one.
func TestReadsVersion3(t *testing.T) {
	dst, c := importFile(t, "export-v3.jsonl")
	if c["iam_principal"] == 0 || c["message"] == 0 {
		t.Fatalf("version 3 imported: %s", c)
	}
	storetest.MustView(t, dst, func(tx rollcall.Tx) error {
		ms, err := tx.Messages(rollcall.MessageFilter{})
		for _, m := range ms {
			if m.TraceParent != "" || m.TraceState != "" {
				t.Errorf("message %s of a version 3 file has a trace context", m.ID)
			}
		}
		return err
	})
}

// TestReadsVersion4: the golden file of version 4 (attribute documents in the order of
// the core's structs of then, no product keys) imports whole, and its users get the keys
// that release derived: it exports as the version 5 golden file.
func TestReadsVersion4(t *testing.T) {
	dst, _ := importFile(t, "export-v4.jsonl")
	if got, want := exportAt(t, dst), readGolden(t); !bytes.Equal(got, want) {
		t.Fatalf("version 4 imported and exported differs from %s:\n%s", golden, firstDiff(string(want), string(got)))
	}
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
	if !bytes.HasPrefix(want, []byte(`{"format":"rollcall-export","version":5,`)) {
		t.Errorf("%s does not start with the version 5 header", golden)
	}
	if !bytes.Contains(want, []byte(`"traceParent":"`+storetest.TraceParent+`"`)) {
		t.Errorf("%s has no message with a trace context", golden)
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
	for _, v := range []string{"0", "6", "99"} {
		file := bytes.Replace(readGolden(t), []byte(`"version":5`), []byte(`"version":`+v), 1)
		dst := openSQLite(t)
		_, err := transfer.Import(context.Background(), dst, bytes.NewReader(file), transfer.Options{})
		if err == nil || !strings.Contains(err.Error(), "export format version "+v+": this rollcall reads versions 1 to 5") {
			t.Fatalf("import of version %s: %v", v, err)
		}
		if c, _ := transfer.Count(context.Background(), dst); c.Total() != 0 {
			t.Fatalf("a refused import left rows: %s", c)
		}
	}
}

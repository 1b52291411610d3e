package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/chime"
	"github.com/jackc/pgx/v5"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
)

// TestMigrateCommand: `rollcall migrate` creates the schema and exits, on PostgreSQL
// and on SQLite, and running it again changes nothing.
func TestMigrateCommand(t *testing.T) {
	ctx := context.Background()
	dsn := pgtest.FreshDB(t)
	for range 2 {
		var out bytes.Buffer
		if err := migrateCmd(ctx, []string{"--store", dsn}, &out, &out); err != nil {
			t.Fatalf("migrate: %v\n%s", err, out.String())
		}
		if !strings.Contains(out.String(), "is up to date") {
			t.Fatalf("migrate printed %q", out.String())
		}
	}
	if err := run(ctx, []string{"migrate", "--store", dsn}); err != nil { // as the binary dispatches it
		t.Fatalf("rollcall migrate: %v", err)
	}
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var users, settings int
	if err := conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM settings)`).Scan(&users, &settings); err != nil {
		t.Fatalf("the schema is not there after migrate: %v", err)
	}
	if users != 0 || settings != 0 {
		t.Fatalf("migrate wrote data: %d users, %d settings", users, settings)
	}

	path := filepath.Join(t.TempDir(), "sub", "rollcall.db")
	if err := migrateCmd(ctx, []string{"--store", "sqlite:" + path}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Fatalf("migrate sqlite: %v", err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("migrate created no SQLite file: %v", err)
	}
	if err := migrateCmd(ctx, []string{"--store", "mysql://x"}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
		t.Fatal("migrate accepted an unknown store")
	}
}

// TestExportImportCommands moves a served SQLite store to PostgreSQL with the two
// commands, serves it from there, and moves it back.
func TestExportImportCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	m := MustRunMain(t, dir)
	acct := mustChimeAccount(t, devChime(t, m), "Moving")
	accountID := aws.StringValue(acct.AccountId)
	if _, err := devChime(t, m).CreateUser(&chime.CreateUserInput{
		AccountId: aws.String(accountID), Email: aws.String("ada@example.com")}); err != nil {
		t.Fatal(err)
	}
	req := businessCreateRequest(m.URL, rollcall.DevAccessToken,
		`{"accountHolder":{"email":"grace@example.com","givenName":"Grace","familyName":"Hopper"},"region":"US"}`)
	if resp, body := mustDo(t, req); resp.StatusCode != http.StatusCreated {
		t.Fatalf("business create: %d %s", resp.StatusCode, body)
	}
	if msgs := adminMessages(t, m); len(msgs) != 1 {
		t.Fatalf("the outbox before the move: %+v", msgs)
	}
	key := string(m.PageTokenKey)
	m.Close()

	file := filepath.Join(t.TempDir(), "rollcall.jsonl")
	var out bytes.Buffer
	if err := exportCmd(ctx, []string{"--data-dir", dir, "--out", file}, &out, &out); err != nil {
		t.Fatalf("export: %v\n%s", err, out.String())
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("the export file: %v, %v; want mode 0600", fi, err)
	}
	if !strings.Contains(out.String(), "exported") || !strings.Contains(out.String(), "user") {
		t.Fatalf("export printed %q", out.String())
	}

	dsn := pgtest.FreshDB(t)
	out.Reset()
	if err := importCmd(ctx, []string{"--store", dsn, "--in", file}, &out, &out); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "the counts check out") || !strings.Contains(out.String(), "in file") {
		t.Fatalf("import printed %q", out.String())
	}
	out.Reset()
	err := importCmd(ctx, []string{"--store", dsn, "--in", file}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("a second import: %v, want a refusal of the non-empty store", err)
	}
	out.Reset()
	if err := importCmd(ctx, []string{"--store", dsn, "--in", file, "--merge"}, &out, &out); err != nil {
		t.Fatalf("import --merge of the same file: %v\n%s", err, out.String())
	}

	// Served from PostgreSQL: the account, its user, the queued mail and the page
	// token key came along.
	pg := MustRunMain(t, t.TempDir(), "--store", dsn)
	if string(pg.PageTokenKey) != key {
		t.Error("the page token key did not move")
	}
	_, err = chime.New(sdkSession(t, pg.URL, "test", "test")).CreateUser(&chime.CreateUserInput{
		AccountId: aws.String(accountID), Email: aws.String("ada@example.com")})
	if awsCode(err) != chime.ErrCodeConflictException {
		t.Fatalf("the moved Chime user: CreateUser again = %v, want ConflictException", err)
	}
	if msgs := adminMessages(t, pg); len(msgs) != 1 || msgs[0].To != "grace@example.com" {
		t.Fatalf("the moved outbox: %+v", msgs)
	}
	pg.Close()

	// And back to a new SQLite file.
	back := filepath.Join(t.TempDir(), "back.jsonl")
	if err := exportCmd(ctx, []string{"--store", dsn, "--out", back}, &out, &out); err != nil {
		t.Fatalf("export from PostgreSQL: %v", err)
	}
	out.Reset()
	if err := importCmd(ctx, []string{"--store", "sqlite:" + filepath.Join(t.TempDir(), "back.db"), "--in", back}, &out, &out); err != nil {
		t.Fatalf("import into SQLite: %v\n%s", err, out.String())
	}
	if err := importCmd(ctx, []string{"--store", dsn}, &out, &out); err == nil {
		t.Fatal("import without --in was accepted")
	}
}

// TestStoreCmdRequiredFlags: a store subcommand without its file or folder says which
// flag it needs, and opens no store (no SQLite database appears in --data-dir).
func TestStoreCmdRequiredFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"export"}, "export: --out FILE is required"},
		{[]string{"import", "--merge"}, "import: --in FILE is required"},
		{[]string{"events", "export", "--tenant", "000000000000"}, "events export: --out DIR is required"},
	} {
		dir := filepath.Join(t.TempDir(), "data")
		err := run(context.Background(), append(c.args, "--data-dir", dir))
		if err == nil || err.Error() != c.want {
			t.Errorf("%v: %v, want %q", c.args, err, c.want)
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("%v: the data dir exists (%v): a store was opened", c.args, err)
		}
	}
}

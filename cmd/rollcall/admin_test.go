package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/chime"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/business"
)

// runAdmin runs `rollcall admin` against m and returns what it printed.
func runAdmin(tb testing.TB, m *testMain, args ...string) (string, error) {
	tb.Helper()
	var out bytes.Buffer
	env := map[string]string{"ROLLCALL_URL": m.URL, "ROLLCALL_ADMIN_TOKEN": testAdminToken}
	err := adminCommand(context.Background(), args, func(k string) string { return env[k] }, &out)
	return out.String(), err
}

func mustAdmin(tb testing.TB, m *testMain, args ...string) string {
	tb.Helper()
	out, err := runAdmin(tb, m, args...)
	if err != nil {
		tb.Fatalf("rollcall admin %s: %v", strings.Join(args, " "), err)
	}
	return out
}

// TestAdminCLI lists, shows and removes users of every face through `rollcall admin`.
func TestAdminCLI(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	if status := businessCreate(t, m, rollcall.DevAccessToken, "ada@example.com"); status != 201 {
		t.Fatalf("business create: %d", status)
	}
	ch := devChime(t, m)
	acct := mustChimeAccount(t, ch, "Team")
	if _, err := ch.CreateUser(&chime.CreateUserInput{AccountId: acct.AccountId, Email: aws.String("grace@example.com")}); err != nil {
		t.Fatal(err)
	}

	tenants := mustAdmin(t, m, "tenants")
	if !strings.HasPrefix(tenants, "TENANT") || !strings.Contains(tenants, rollcall.DevAccountID) {
		t.Fatalf("tenants:\n%s", tenants)
	}
	dirs := mustAdmin(t, m, "directories", rollcall.DevAccountID, "chime")
	if !strings.Contains(dirs, aws.StringValue(acct.AccountId)) || strings.Contains(dirs, rollcall.DevOrganizationID) {
		t.Fatalf("chime directories:\n%s", dirs)
	}

	// Amazon Business: its users with group, role, region and invitation state.
	var users struct {
		Users []struct {
			ID, Email, Status string
			HasPassword       bool
			Attributes        map[string]any
		}
	}
	if err := json.Unmarshal([]byte(mustAdmin(t, m, "--json", "users", rollcall.DevBusinessID)), &users); err != nil {
		t.Fatal(err)
	}
	if len(users.Users) != 1 || users.Users[0].Email != "ada@example.com" || users.Users[0].Status != business.Invited ||
		users.Users[0].Attributes["groupId"] != rollcall.DevGroupID || users.Users[0].Attributes["region"] != "DE" ||
		users.Users[0].Attributes["role"] == nil {
		t.Fatalf("business users: %+v", users)
	}
	table := mustAdmin(t, m, "users", rollcall.DevBusinessID)
	if !strings.Contains(table, "group="+rollcall.DevGroupID) || !strings.Contains(table, "INVITED") {
		t.Fatalf("users table:\n%s", table)
	}
	id := users.Users[0].ID
	shown := mustAdmin(t, m, "user", rollcall.DevBusinessID, id)
	if !strings.Contains(shown, "ada@example.com") || strings.Contains(shown, "argon2") || strings.Contains(shown, "$") {
		t.Fatalf("user:\n%s", shown)
	}
	groups := mustAdmin(t, m, "groups", rollcall.DevBusinessID)
	if !strings.Contains(groups, rollcall.DevGroupID) || !strings.Contains(groups, "default") {
		t.Fatalf("groups:\n%s", groups)
	}
	msgs := mustAdmin(t, m, "messages", "--status", "queued")
	if !strings.Contains(msgs, "ada@example.com") {
		t.Fatalf("messages:\n%s", msgs)
	}

	mustAdmin(t, m, "delete-user", rollcall.DevBusinessID, id)
	if _, err := runAdmin(t, m, "user", rollcall.DevBusinessID, id); err == nil || !strings.Contains(err.Error(), "not_found") {
		t.Fatalf("user after delete-user: %v", err)
	}
	// The email is free again: the same holder can be created anew.
	if status := businessCreate(t, m, rollcall.DevAccessToken, "ada@example.com"); status != 201 {
		t.Fatalf("business create after delete: %d", status)
	}

	// Paging: the CLI follows every page of the admin API.
	for i := range 3 {
		if _, err := ch.CreateUser(&chime.CreateUserInput{AccountId: acct.AccountId, Email: aws.String(strings.Repeat("x", i+1) + "@example.com")}); err != nil {
			t.Fatal(err)
		}
	}
	if n := strings.Count(mustAdmin(t, m, "users", aws.StringValue(acct.AccountId)), "@example.com"); n != 4 {
		t.Fatalf("%d chime users listed, want 4", n)
	}

	// Without the right token nothing is shown.
	var out bytes.Buffer
	env := map[string]string{"ROLLCALL_URL": m.URL, "ROLLCALL_ADMIN_TOKEN": "wrong"}
	if err := adminCommand(context.Background(), []string{"tenants"}, func(k string) string { return env[k] }, &out); err == nil || out.Len() != 0 {
		t.Fatalf("wrong token: %v, printed %q", err, out.String())
	}
	if _, err := runAdmin(t, m, "users", "no-such-directory"); err == nil || !strings.Contains(err.Error(), "not_found") {
		t.Fatalf("unknown directory: %v", err)
	}
	if _, err := runAdmin(t, m, "directories", rollcall.DevAccountID, "nonsense"); err == nil {
		t.Fatal("an unknown kind was accepted")
	}
}

// TestHelpHidesSecrets: -h shows the defaults the environment set, but none of the
// secrets in them.
func TestHelpHidesSecrets(t *testing.T) {
	env := map[string]string{
		"ROLLCALL_ADMIN_TOKEN": "env-admin-secret",
		"ROLLCALL_STORE":       "postgres://rc:env-db-secret@db.example.com/rollcall",
		"ROLLCALL_SMTP_URL":    "smtp://mailer:env-smtp-secret@relay.example.com:587",
	}
	var c Config
	var help strings.Builder
	if err := c.parse([]string{"-h"}, func(k string) string { return env[k] }, &help); err == nil {
		t.Fatal("-h did not stop the parse")
	}
	for _, secret := range []string{"env-admin-secret", "env-db-secret", "env-smtp-secret"} {
		if strings.Contains(help.String(), secret) {
			t.Errorf("-h shows %q:\n%s", secret, help.String())
		}
	}
	if !strings.Contains(help.String(), "db.example.com") {
		t.Errorf("-h hides the store's host too:\n%s", help.String())
	}
	for dsn, want := range map[string]string{
		"host=db password=s3cret user=rc":      "host=db password=xxxxx user=rc",
		"host=db password='a b\\' c' user=rc":  "host=db password=xxxxx user=rc",
		"postgres://rc:s3cret@db/rollcall":     "postgres://rc:xxxxx@db/rollcall",
		"sqlite:/var/lib/rollcall/rollcall.db": "sqlite:/var/lib/rollcall/rollcall.db",
	} {
		if got := redactDSN(dsn); got != want {
			t.Errorf("redactDSN(%q) = %q, want %q", dsn, got, want)
		}
	}
}

func TestShortAdminTokenRefused(t *testing.T) {
	var c Config
	err := c.parse([]string{"--admin-token", "short-token"}, func(string) string { return "" }, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "at least 20") {
		t.Fatalf("a 11-character admin token: %v", err)
	}
}

// TestAdminQuery: a command's optional flags reach the admin API only when given, and
// a command the CLI does not know is refused before any request.
func TestAdminQuery(t *testing.T) {
	q := withSet(url.Values{"limit": {"5"}}, "email", "", "status", "ACTIVE", "tenant", "t1")
	if got, want := q.Encode(), "limit=5&status=ACTIVE&tenant=t1"; got != want {
		t.Errorf("withSet: %s, want %s", got, want)
	}
	env := map[string]string{"ROLLCALL_URL": "http://127.0.0.1:1", "ROLLCALL_ADMIN_TOKEN": testAdminToken}
	err := adminCommand(context.Background(), []string{"no-such-command"}, func(k string) string { return env[k] }, io.Discard)
	if err == nil || err.Error() != `unknown admin command "no-such-command" (run rollcall admin -h)` {
		t.Errorf("an unknown command: %v", err)
	}
}

// TestAdminCLIServerNotRunning: with no server at the URL, the error says which URL it
// tried and how to give another, not just what the dialer said.
func TestAdminCLIServerNotRunning(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	ln.Close() // nothing listens there now
	env := map[string]string{"ROLLCALL_URL": base, "ROLLCALL_ADMIN_TOKEN": testAdminToken}
	err = adminCommand(context.Background(), []string{"tenants"}, func(k string) string { return env[k] }, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "no rollcall server answers at "+base) || !strings.Contains(err.Error(), "ROLLCALL_URL") {
		t.Fatalf("err = %v", err)
	}
}

// TestAdminCLIJSONIsTheAPIs: `rollcall admin --json` prints what the admin API answers,
// with the API's names (id, directoryId, attributes, ...) and every field, not the CLI's
// re-encoding of the fields it reads for its tables (which printed ID, DirectoryID, ...).
func TestAdminCLIJSONIsTheAPIs(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	if status := businessCreate(t, m, rollcall.DevAccessToken, "ada@example.com"); status != 201 {
		t.Fatalf("business create: %d", status)
	}
	var listed struct{ Users []struct{ ID string } }
	adminJSON(t, m, "GET", "directories/"+rollcall.DevBusinessID+"/users", "", &listed)
	if len(listed.Users) != 1 {
		t.Fatalf("users: %+v", listed)
	}
	for _, c := range []struct {
		cli  []string
		path string // the API's answer
		key  string // "": the whole answer; else only this member of it
	}{
		{[]string{"tenants"}, "tenants", ""},
		{[]string{"directories", rollcall.DevAccountID}, "tenants/" + rollcall.DevAccountID + "/directories", ""},
		{[]string{"directory", rollcall.DevBusinessID}, "directories/" + rollcall.DevBusinessID, ""},
		{[]string{"users", rollcall.DevBusinessID}, "directories/" + rollcall.DevBusinessID + "/users", "users"},
		{[]string{"user", rollcall.DevBusinessID, listed.Users[0].ID}, "directories/" + rollcall.DevBusinessID + "/users/" + listed.Users[0].ID, ""},
	} {
		var printed, api map[string]any
		if err := json.Unmarshal([]byte(mustAdmin(t, m, append([]string{"--json"}, c.cli...)...)), &printed); err != nil {
			t.Fatalf("%v: %v", c.cli, err)
		}
		if status := adminJSON(t, m, "GET", c.path, "", &api); status != 200 {
			t.Fatalf("GET %s: %d", c.path, status)
		}
		if c.key != "" {
			printed, api = map[string]any{c.key: printed[c.key]}, map[string]any{c.key: api[c.key]}
		}
		if !reflect.DeepEqual(printed, api) {
			t.Errorf("rollcall admin --json %s printed\n%v\nthe API answered\n%v", strings.Join(c.cli, " "), printed, api)
		}
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/chime"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
	"github.com/rollcall/rollcall/store/storetest"
)

// adminObject calls the admin API with the test's admin token (adminJSON) and returns
// the answer's JSON object.
func adminObject(tb testing.TB, m *testMain, method, path, body string) (int, map[string]any) {
	tb.Helper()
	var out map[string]any
	status := adminJSON(tb, m, method, path, body, &out)
	return status, out
}

const resetSeed = `
accounts:
  - id: "111122223333"
    name: Acme
    accessKeys: [{id: AKIAEXAMPLE, secret: example-secret}]
    chimeAccounts: [{id: 5f0e0000-0000-4000-8000-000000000001, name: Acme Chime}]
`

// chimeUsers lists the users of a Chime account; a missing account is nil.
func chimeUsers(tb testing.TB, ch *chime.Chime, account string) []string {
	tb.Helper()
	out, err := ch.ListUsers(&chime.ListUsersInput{AccountId: aws.String(account)})
	if awsCode(err) == "NotFoundException" {
		return nil
	}
	if err != nil {
		tb.Fatalf("ListUsers %s: %v", account, err)
	}
	emails := []string{}
	for _, u := range out.Users {
		emails = append(emails, aws.StringValue(u.PrimaryEmail))
	}
	return emails
}

// TestReset creates users through aws-sdk-go, resets one tenant with `rollcall admin
// reset --tenant` and then everything through POST /_rollcall/reset: what the seed
// declares is there again, the users are gone, temporary credentials stop working at
// once (the key cache) and rate-limit buckets are full again.
func TestReset(t *testing.T) {
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.yaml")
	os.WriteFile(seed, []byte(resetSeed), 0o600)
	m := MustRunMain(t, dir, "--init", seed)
	acme := "5f0e0000-0000-4000-8000-000000000001"
	dev := devChime(t, m)
	acmeCh := chime.New(sdkSession(t, m.URL, "AKIAEXAMPLE", "example-secret"))
	acct := mustChimeAccount(t, dev, "Team")
	devAccount := aws.StringValue(acct.AccountId)
	for ch, account := range map[*chime.Chime]string{dev: devAccount, acmeCh: acme} {
		if _, err := ch.CreateUser(&chime.CreateUserInput{AccountId: aws.String(account), Email: aws.String("ada@example.com")}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := acmeCh.UpdateAccount(&chime.UpdateAccountInput{AccountId: aws.String(acme), Name: aws.String("Renamed")}); err != nil {
		t.Fatal(err)
	}

	// One tenant, through the CLI: Acme's account is back as declared, empty; the dev
	// account's user stays.
	if out := mustAdmin(t, m, "reset", "--tenant", "111122223333"); !strings.Contains(out, "reset tenant 111122223333") {
		t.Errorf("rollcall admin reset --tenant printed %q", out)
	}
	if got := chimeUsers(t, acmeCh, acme); len(got) != 0 {
		t.Errorf("Acme's users after its reset: %v", got)
	}
	if a, err := acmeCh.GetAccount(&chime.GetAccountInput{AccountId: aws.String(acme)}); err != nil || aws.StringValue(a.Account.Name) != "Acme Chime" {
		t.Errorf("Acme's Chime account after its reset: %v, %v; want it as the seed declares it", a, err)
	}
	if got := chimeUsers(t, dev, devAccount); len(got) != 1 {
		t.Errorf("the dev account's users after Acme's reset: %v", got)
	}
	if _, err := runAdmin(t, m, "reset", "--tenant", "999999999999"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("reset of an unknown tenant: %v", err)
	}

	// Temporary credentials, and a rate-limited operation used up.
	status, out := adminObject(t, m, "POST", "credentials", `{"accountId":"`+rollcall.DevAccountID+`"}`)
	if status != 201 {
		t.Fatalf("credentials: %d %v", status, out)
	}
	c := out["Credentials"].(map[string]any)
	temp := chime.New(tempSession(t, m.URL, c["AccessKeyId"].(string), c["SecretAccessKey"].(string), c["SessionToken"].(string)))
	if _, err := temp.ListAccounts(&chime.ListAccountsInput{}); err != nil {
		t.Fatalf("temporary credentials before the reset: %v", err)
	}
	limited := 0
	for i := range 10 {
		if businessCreate(t, m, rollcall.DevAccessToken, "buyer"+string(rune('a'+i))+"@example.com") == 429 {
			limited++
		}
	}
	if limited == 0 {
		t.Fatal("the business create limit (burst 5) never answered 429")
	}

	// Everything, through the admin API.
	if status, out := adminObject(t, m, "POST", "reset", ""); status != 200 || out["reset"] != "all" {
		t.Fatalf("POST /_rollcall/reset: %d %v", status, out)
	}
	if _, err := dev.GetAccount(&chime.GetAccountInput{AccountId: aws.String(devAccount)}); awsCode(err) != "NotFoundException" {
		t.Errorf("the dev tenant's Chime account after the reset: %v", err)
	}
	if got := chimeUsers(t, acmeCh, acme); got == nil || len(got) != 0 {
		t.Errorf("Acme's account after the reset: users %v; want it there and empty", got)
	}
	if _, err := temp.ListAccounts(&chime.ListAccountsInput{}); err == nil {
		t.Error("temporary credentials work right after the reset removed them")
	}
	if status := businessCreate(t, m, rollcall.DevAccessToken, "after@example.com"); status != 201 {
		t.Errorf("business create after the reset: %d; want 201 (full bucket, the dev business declared)", status)
	}
	if status, out := adminObject(t, m, "GET", "messages", ""); status != 200 || len(out["messages"].([]any)) != 1 {
		t.Errorf("outbox after the reset and one create: %d %v", status, out)
	}
}

// TestResetRemovesEveryKindOfRow: POST /_rollcall/reset?tenant=ID removes every kind of
// row the tenant has (operator.ResetContents) and no other tenant's; a reset of
// everything removes every tenant's.
func TestResetRemovesEveryKindOfRow(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	storetest.PutTenantRows(t, m.Store, "1")
	storetest.PutTenantRows(t, m.Store, "21")
	if status, out := adminObject(t, m, "POST", "reset?tenant=1", ""); status != 200 {
		t.Fatalf("reset of tenant 1: %d %v", status, out)
	}
	storetest.WantTenantRows(t, m.Store, "1", false)
	storetest.WantTenantRows(t, m.Store, "21", true)
	if status, out := adminObject(t, m, "POST", "reset", ""); status != 200 {
		t.Fatalf("reset: %d %v", status, out)
	}
	storetest.WantTenantRows(t, m.Store, "21", false)
}

// TestSnapshots saves a snapshot with `rollcall snapshot save`, changes the store,
// and restores it through the admin API while SDK clients keep calling: the change is
// gone and no request failed.
func TestSnapshots(t *testing.T) {
	dir := t.TempDir()
	m := MustRunMain(t, dir)
	dev := devChime(t, m)
	acct := mustChimeAccount(t, dev, "Team")
	account := aws.StringValue(acct.AccountId)
	if _, err := dev.CreateUser(&chime.CreateUserInput{AccountId: aws.String(account), Email: aws.String("ada@example.com")}); err != nil {
		t.Fatal(err)
	}
	if out := mustAdmin(t, m, snapshotArgs([]string{"save", "base"})...); out != "saved snapshot base\n" {
		t.Errorf("rollcall snapshot save printed %q", out)
	}
	if _, err := dev.CreateUser(&chime.CreateUserInput{AccountId: aws.String(account), Email: aws.String("grace@example.com")}); err != nil {
		t.Fatal(err)
	}

	var stop atomic.Bool
	var wg sync.WaitGroup
	var calls, failed atomic.Int64
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				out, err := dev.ListUsers(&chime.ListUsersInput{AccountId: aws.String(account)})
				calls.Add(1)
				if err != nil || (len(out.Users) != 1 && len(out.Users) != 2) {
					failed.Add(1)
					t.Errorf("ListUsers during the restore: %v", err)
					return
				}
			}
		}()
	}
	status, out := adminObject(t, m, "POST", "snapshots/base/restore", "")
	stop.Store(true)
	wg.Wait()
	if status != 200 {
		t.Fatalf("restore: %d %v", status, out)
	}
	t.Logf("%d ListUsers calls during the restore, %d failed", calls.Load(), failed.Load())
	if got := chimeUsers(t, dev, account); len(got) != 1 || got[0] != "ada@example.com" {
		t.Errorf("users after the restore: %v; want only ada", got)
	}
	if out := mustAdmin(t, m, snapshotArgs([]string{"list"})...); !strings.Contains(out, "base") {
		t.Errorf("rollcall snapshot list:\n%s", out)
	}
	if _, err := runAdmin(t, m, snapshotArgs([]string{"restore", "nope"})...); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("restore of a missing snapshot: %v", err)
	}
	// A damaged file is refused and changes nothing.
	if err := os.WriteFile(filepath.Join(dir, "snapshots", "bad.db"), []byte("SQLite format 3\x00 but no more"), 0o600); err != nil {
		t.Fatal(err)
	}
	if status, out := adminObject(t, m, "POST", "snapshots/bad/restore", ""); status != 400 {
		t.Errorf("restore of a damaged snapshot: %d %v", status, out)
	}
	if got := chimeUsers(t, dev, account); len(got) != 1 {
		t.Errorf("users after a refused restore: %v", got)
	}
	if status, _ := adminObject(t, m, "PUT", "snapshots/..%2Fescape", ""); status != 400 {
		t.Errorf("save as ../escape: %d, want 400", status)
	}
	mustAdmin(t, m, snapshotArgs([]string{"delete", "base"})...)
	mustAdmin(t, m, snapshotArgs([]string{"delete", "bad"})...)
	if status, out := adminObject(t, m, "GET", "snapshots", ""); status != 200 || len(out["snapshots"].([]any)) != 0 {
		t.Errorf("snapshots after the delete: %d %v", status, out)
	}
}

func TestSnapshotArgs(t *testing.T) {
	for in, want := range map[string]string{
		"save base":                   "snapshot save base",
		"--url http://x save base":    "--url http://x snapshot save base",
		"--url=http://x --json list":  "--url=http://x --json snapshot list",
		"-admin-token t restore base": "-admin-token t snapshot restore base",
		"--json":                      "--json snapshot",
	} {
		if got := strings.Join(snapshotArgs(strings.Fields(in)), " "); got != want {
			t.Errorf("snapshotArgs(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestResetPostgres resets on PostgreSQL, where snapshots are refused in clear words.
func TestResetPostgres(t *testing.T) {
	dsn := pgtest.FreshDB(t)
	m := MustRunMain(t, t.TempDir(), "--store", dsn)
	dev := devChime(t, m)
	acct := mustChimeAccount(t, dev, "Team")
	if status, out := adminObject(t, m, "POST", "reset", ""); status != 200 {
		t.Fatalf("reset: %d %v", status, out)
	}
	if _, err := dev.GetAccount(&chime.GetAccountInput{AccountId: acct.AccountId}); awsCode(err) != "NotFoundException" {
		t.Errorf("the Chime account after the reset: %v", err)
	}
	status, out := adminObject(t, m, "PUT", "snapshots/base", "")
	if msg, _ := out["error"].(map[string]any)["message"].(string); status != 400 || !strings.Contains(msg, "SQLite") {
		t.Errorf("snapshot on PostgreSQL: %d %v", status, out)
	}
}

// TestRestoreForgetsIAMPolicies: a principal's policy changed after the save, used
// (so this replica caches it), then the snapshot restored: the next request is judged
// by the policy as saved, though the restored principal's version may be one cached
// meanwhile with other policies.
func TestRestoreForgetsIAMPolicies(t *testing.T) {
	m := MustRunMain(t, t.TempDir(), "--init", writeSeed(t, iamSeed))
	arn := "arn:aws:iam::" + iamAccount + ":user/open"
	ch := chime.New(sdkSession(t, m.URL, "AKIAOPEN", "open-secret"))
	if _, err := ch.ListAccounts(&chime.ListAccountsInput{}); err != nil {
		t.Fatalf("ListAccounts before: %v", err)
	}
	if status, out := adminObject(t, m, "PUT", "snapshots/base", ""); status != 200 {
		t.Fatalf("save: %d %v", status, out)
	}
	deny := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"chime:ListAccounts","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	if status, out := adminObject(t, m, "PUT", "iam/policy?arn="+arn+"&name=nolist", deny); status != 200 {
		t.Fatalf("put policy: %d %v", status, out)
	}
	if _, err := ch.ListAccounts(&chime.ListAccountsInput{}); awsCode(err) != "ForbiddenException" {
		t.Fatalf("ListAccounts under the deny: %v", err)
	}
	if status, out := adminObject(t, m, "POST", "snapshots/base/restore", ""); status != 200 {
		t.Fatalf("restore: %d %v", status, out)
	}
	if _, err := ch.ListAccounts(&chime.ListAccountsInput{}); err != nil {
		t.Errorf("ListAccounts right after the restore: %v; want the policy as saved (none: full access)", err)
	}
}

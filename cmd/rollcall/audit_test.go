package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/alexaforbusiness"
	"github.com/aws/aws-sdk-go/service/chime"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall"
)

// storedEvents flushes m's audit trail and returns tenant's events, newest first, decoded.
func storedEvents(tb testing.TB, m *testMain, f rollcall.AuditFilter) []map[string]any {
	tb.Helper()
	m.Trail.Flush()
	var out []map[string]any
	err := m.Store.View(context.Background(), func(tx rollcall.Tx) error {
		es, err := tx.AuditEvents(f)
		for _, e := range es {
			var rec map[string]any
			if err := json.Unmarshal(e.Record, &rec); err != nil {
				return err
			}
			out = append(out, rec)
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

// field digs a string out of a decoded record: field(rec, "userIdentity", "accessKeyId").
func field(rec map[string]any, path ...string) string {
	var v any = rec
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	s, _ := v.(string)
	return s
}

// TestAuditOfficialClients: a call with each face's official client makes one event
// with CloudTrail's fields, secrets hidden.
func TestAuditOfficialClients(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	sess := sdkSession(t, m.URL, "test", "test")
	dev := rollcall.AuditFilter{TenantID: rollcall.DevAccountID}

	// Chime: CreateAccount, CreateUser, then a duplicate that fails.
	ch := chime.New(sess)
	acct, err := ch.CreateAccount(&chime.CreateAccountInput{Name: aws.String("Demo")})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := ch.CreateUserRequest(&chime.CreateUserInput{AccountId: acct.Account.AccountId, Email: aws.String("ada@example.com")})
	if err := req.Send(); err != nil {
		t.Fatal(err)
	}
	f := dev
	f.Name = "CreateUser"
	got := storedEvents(t, m, f)
	if len(got) != 1 {
		t.Fatalf("chime CreateUser: %d events, want 1: %v", len(got), got)
	}
	e := got[0]
	for _, c := range [][2]string{
		{field(e, "eventSource"), "chime.amazonaws.com"},
		{field(e, "eventVersion"), "1.11"},
		{field(e, "awsRegion"), "us-east-1"},
		{field(e, "sourceIPAddress"), "127.0.0.1"},
		{field(e, "requestID"), req.RequestID},
		{field(e, "recipientAccountId"), rollcall.DevAccountID},
		{field(e, "userIdentity", "type"), "Root"},
		{field(e, "userIdentity", "accessKeyId"), "test"},
		{field(e, "userIdentity", "accountId"), rollcall.DevAccountID},
		{field(e, "requestParameters", "Email"), "ada@example.com"},
		{field(e, "responseElements", "User", "PrimaryEmail"), "ada@example.com"},
	} {
		if c[0] != c[1] {
			t.Errorf("chime CreateUser event: got %q, want %q in %v", c[0], c[1], e)
		}
	}
	if !strings.Contains(field(e, "userAgent"), "aws-sdk-go") || e["readOnly"] != false || e["managementEvent"] != true || field(e, "eventID") == "" {
		t.Errorf("chime CreateUser event = %v", e)
	}
	_, err = ch.CreateUser(&chime.CreateUserInput{AccountId: acct.Account.AccountId, Email: aws.String("ada@example.com")})
	if awsCode(err) != chime.ErrCodeConflictException {
		t.Fatal(err)
	}
	f = dev
	f.FailedOnly = true
	got = storedEvents(t, m, f)
	if len(got) != 1 || field(got[0], "errorCode") != "ConflictException" || field(got[0], "errorMessage") == "" || got[0]["responseElements"] != nil {
		t.Fatalf("failed chime CreateUser: events %v", got)
	}

	// WorkDocs: the password is hidden.
	_, err = workdocs.New(sess).CreateUser(&workdocs.CreateUserInput{
		OrganizationId: aws.String(rollcall.DevOrganizationID), Username: aws.String("ada"),
		GivenName: aws.String("Ada"), Surname: aws.String("Lovelace"), Password: aws.String("correct-horse-1"),
	})
	if err != nil {
		t.Fatal(err)
	}
	// Alexa for Business.
	if _, err := alexaforbusiness.New(sess).CreateUser(&alexaforbusiness.CreateUserInput{UserId: aws.String("ada")}); err != nil {
		t.Fatal(err)
	}
	sources := map[string]map[string]any{}
	for _, e := range storedEvents(t, m, rollcall.AuditFilter{TenantID: rollcall.DevAccountID, Name: "CreateUser"}) {
		sources[field(e, "eventSource")] = e
	}
	if w := sources["workdocs.amazonaws.com"]; field(w, "requestParameters", "Password") != "HIDDEN_DUE_TO_SECURITY_REASONS" || field(w, "requestParameters", "Username") != "ada" {
		t.Errorf("workdocs CreateUser event = %v", w)
	}
	if a := sources["a4b.amazonaws.com"]; field(a, "requestParameters", "UserId") != "ada" || field(a, "responseElements", "UserArn") == "" {
		t.Errorf("a4b CreateUser event = %v", a)
	}

	// Amazon Business (no official SDK): the business token identity.
	resp, body := mustDo(t, businessCreateRequest(m.URL, rollcall.DevAccessToken, holderBody("ada@example.com")))
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("createBusinessUserAccount: %d %s", resp.StatusCode, body)
	}
	got = storedEvents(t, m, rollcall.AuditFilter{TenantID: rollcall.DevBusinessID, Name: "createBusinessUserAccount"})
	if len(got) != 1 || field(got[0], "eventSource") != "business-api.amazon.com" || field(got[0], "userIdentity", "type") != "WebIdentityUser" ||
		field(got[0], "requestID") != resp.Header.Get("x-amzn-RequestId") || field(got[0], "requestParameters", "accountHolder", "email") != "ada@example.com" {
		t.Fatalf("createBusinessUserAccount events = %v", got)
	}
	if raw, _ := json.Marshal(got); strings.Contains(string(raw), rollcall.DevAccessToken) {
		t.Fatal("an event holds the access token")
	}
}

// TestAuditReads: reads are recorded, unless --audit-reads=false.
func TestAuditReads(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want int
	}{{nil, 1}, {[]string{"--audit-reads=false"}, 0}} {
		m := MustRunMain(t, t.TempDir(), tc.args...)
		ch := chime.New(sdkSession(t, m.URL, "test", "test"))
		if _, err := ch.ListAccounts(&chime.ListAccountsInput{}); err != nil {
			t.Fatal(err)
		}
		got := storedEvents(t, m, rollcall.AuditFilter{TenantID: rollcall.DevAccountID, Name: "ListAccounts"})
		if len(got) != tc.want || (tc.want == 1 && got[0]["readOnly"] != true) {
			t.Fatalf("%v: ListAccounts events = %v, want %d", tc.args, got, tc.want)
		}
	}
}

package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/alexaforbusiness"
	"github.com/aws/aws-sdk-go/service/chime"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/audit"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
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
			if err := json.Unmarshal(audit.Complete(e.Record, e.Response), &rec); err != nil {
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
	acct := mustChimeAccount(t, ch, "Demo")
	req, _ := ch.CreateUserRequest(&chime.CreateUserInput{AccountId: acct.AccountId, Email: aws.String("ada@example.com")})
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
	_, err := ch.CreateUser(&chime.CreateUserInput{AccountId: acct.AccountId, Email: aws.String("ada@example.com")})
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
		ch := devChime(t, m)
		if _, err := ch.ListAccounts(&chime.ListAccountsInput{}); err != nil {
			t.Fatal(err)
		}
		got := storedEvents(t, m, rollcall.AuditFilter{TenantID: rollcall.DevAccountID, Name: "ListAccounts"})
		if len(got) != tc.want || (tc.want == 1 && got[0]["readOnly"] != true) {
			t.Fatalf("%v: ListAccounts events = %v, want %d", tc.args, got, tc.want)
		}
	}
}

// adminEvents calls GET /_rollcall/events with query and returns the records and the
// next page's token.
func adminEvents(tb testing.TB, m *testMain, query string) (int, []map[string]any, string) {
	tb.Helper()
	m.Trail.Flush()
	req, _ := http.NewRequest("GET", m.URL+"/_rollcall/events?"+query, nil)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, body := mustDo(tb, req)
	var out struct {
		Events    []map[string]any `json:"events"`
		NextToken string           `json:"nextToken"`
	}
	if resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal([]byte(body), &out); err != nil {
			tb.Fatalf("%s: %v", body, err)
		}
	}
	return resp.StatusCode, out.Events, out.NextToken
}

// TestAuditAdminQuery: the admin API's filters and sealed paging; admin and Login with
// Amazon calls are recorded too.
func TestAuditAdminQuery(t *testing.T) {
	m := MustRunMain(t, t.TempDir(), "--audit-reads=false")
	ch := devChime(t, m)
	var ids []string
	for i := range 5 {
		a, err := ch.CreateAccount(&chime.CreateAccountInput{Name: aws.String("A" + string(rune('a'+i)))})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, aws.StringValue(a.Account.AccountId))
	}
	// A failed read is recorded even with reads off.
	if _, err := ch.GetAccount(&chime.GetAccountInput{AccountId: aws.String("no-such-account")}); awsCode(err) != chime.ErrCodeNotFoundException {
		t.Fatalf("GetAccount of no account: %v", err)
	}
	tenant := "tenant=" + rollcall.DevAccountID
	// Paging: 5 CreateAccount calls, newest first, two a page.
	var names []string
	query := tenant + "&eventName=CreateAccount&limit=2"
	tok := ""
	for page := 0; ; page++ {
		q := query
		if tok != "" {
			q += "&pageToken=" + tok
		}
		status, es, next := adminEvents(t, m, q)
		if status != http.StatusOK || page > 5 {
			t.Fatalf("page %d: status %d", page, status)
		}
		for _, e := range es {
			names = append(names, field(e, "responseElements", "Account", "AccountId"))
		}
		if tok = next; tok == "" {
			break
		}
	}
	// The pages must read as one page of them all does: newest first, and calls made in
	// the same millisecond (a tie on time) in event-ID order, not in the order made.
	_, all, _ := adminEvents(t, m, tenant+"&eventName=CreateAccount&limit=50")
	var want []string
	for i, e := range all {
		want = append(want, field(e, "responseElements", "Account", "AccountId"))
		if i > 0 && field(e, "eventTime") > field(all[i-1], "eventTime") {
			t.Errorf("event %d (%s) is newer than the one before it", i, field(e, "eventTime"))
		}
	}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Fatalf("paged CreateAccount events = %v, want %v", names, want)
	}
	if got, made := slices.Sorted(slices.Values(names)), slices.Sorted(slices.Values(ids)); !slices.Equal(got, made) {
		t.Fatalf("paged CreateAccount events = %v, want the accounts made: %v", got, made)
	}
	// A page token works only with the filters it was made for.
	_, _, tok = adminEvents(t, m, query)
	if status, _, _ := adminEvents(t, m, tenant+"&limit=2&pageToken="+tok); status != http.StatusBadRequest {
		t.Fatalf("a page token under other filters: status %d, want 400", status)
	}
	// errorsOnly, user, time range. (The admin calls above are recorded too, as the
	// tenant's: they name it.)
	if _, es, _ := adminEvents(t, m, tenant+"&errorsOnly=true&user="+rollcall.DevAccountID); len(es) != 1 || field(es[0], "errorCode") != "NotFoundException" || es[0]["readOnly"] != true {
		t.Fatalf("errorsOnly = %v", es)
	}
	if _, es, _ := adminEvents(t, m, tenant+"&user="+rollcall.DevAccountID); len(es) != 6 {
		t.Fatalf("user filter: %d events, want 6", len(es))
	}
	if _, es, _ := adminEvents(t, m, tenant+"&user=nobody"); len(es) != 0 {
		t.Fatalf("user nobody: %d events", len(es))
	}
	if _, es, _ := adminEvents(t, m, tenant+"&eventName=CreateAccount&until=2000-01-01T00:00:00Z"); len(es) != 0 {
		t.Fatalf("until 2000: %d events", len(es))
	}
	if _, es, _ := adminEvents(t, m, tenant+"&eventName=CreateAccount&since=2000-01-01T00:00:00Z"); len(es) != 5 {
		t.Fatalf("since 2000: %d events, want 5", len(es))
	}
	for _, bad := range []string{"", "tenant=x&since=yesterday", tenant + "&limit=5000", tenant + "&errorsOnly=yes", tenant + "&eventName=no-such"} {
		if status, _, _ := adminEvents(t, m, bad); status != http.StatusBadRequest {
			t.Errorf("%q: status %d, want 400", bad, status)
		}
	}

	// Login with Amazon: the client secret is hidden; the admin API's own calls are recorded.
	if status, out := tokenRequest(t, m, url.Values{"grant_type": {"client_credentials"}, "client_id": {rollcall.DevClientID},
		"client_secret": {rollcall.DevClientSecret}}); status != http.StatusOK {
		t.Fatalf("token: %d %v", status, out)
	}
	_, es, _ := adminEvents(t, m, "tenant=rollcall&eventName=CreateToken")
	if len(es) != 1 || field(es[0], "eventSource") != "api.amazon.com" || field(es[0], "requestParameters", "client_secret") != "HIDDEN_DUE_TO_SECURITY_REASONS" ||
		field(es[0], "responseElements", "access_token") != "HIDDEN_DUE_TO_SECURITY_REASONS" {
		t.Fatalf("CreateToken events = %v", es)
	}
	req, _ := http.NewRequest("POST", m.URL+"/_rollcall/credentials", strings.NewReader(`{"accountId":"`+rollcall.DevAccountID+`"}`))
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	if resp, body := mustDo(t, req); resp.StatusCode != http.StatusCreated {
		t.Fatalf("credentials: %d %s", resp.StatusCode, body)
	}
	_, es, _ = adminEvents(t, m, "tenant=rollcall&eventName=IssueTemporaryCredentials")
	if len(es) != 1 || field(es[0], "eventSource") != "admin.rollcall.local" || field(es[0], "userIdentity", "principalId") != "rollcall-admin" ||
		field(es[0], "responseElements", "Credentials", "SecretAccessKey") != "HIDDEN_DUE_TO_SECURITY_REASONS" {
		t.Fatalf("IssueTemporaryCredentials events = %v", es)
	}
}

// TestAuditShortPages: a filtered page examines a bounded number of events (2 here), so
// a page may be short, or empty, with a token; following the tokens gives every event of
// the filter once, as one page of them all does. `rollcall admin events` follows them.
func TestAuditShortPages(t *testing.T) {
	m := mustRunMainWith(t, t.TempDir(), func(m *Main) { m.AuditScan = 2 }, "--audit-reads=false")
	ch := devChime(t, m)
	for i := range 5 {
		if _, err := ch.CreateAccount(&chime.CreateAccountInput{Name: aws.String("S" + string(rune('a'+i)))}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := ch.GetAccount(&chime.GetAccountInput{AccountId: aws.String("no-such-account")}); awsCode(err) != chime.ErrCodeNotFoundException {
		t.Fatalf("GetAccount of no account: %v", err)
	}
	tenant := "tenant=" + rollcall.DevAccountID
	for _, c := range []struct {
		query string
		want  rollcall.AuditFilter
	}{
		{"&eventName=CreateAccount&limit=3", rollcall.AuditFilter{Name: "CreateAccount"}},
		{"&errorsOnly=true&limit=50", rollcall.AuditFilter{FailedOnly: true}},
	} {
		var got []string
		short, tok := false, ""
		for page := 0; ; page++ {
			q := tenant + c.query
			if tok != "" {
				q += "&pageToken=" + tok
			}
			status, es, next := adminEvents(t, m, q)
			if status != http.StatusOK || page > 20 {
				t.Fatalf("%s page %d: status %d", c.query, page, status)
			}
			for _, e := range es {
				got = append(got, field(e, "eventID"))
			}
			if tok = next; tok == "" {
				break
			}
			short = short || len(es) < 3
		}
		c.want.TenantID = rollcall.DevAccountID
		var want []string
		for _, e := range storedEvents(t, m, c.want) {
			want = append(want, field(e, "eventID"))
		}
		if !short || len(want) == 0 || strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("%s: pages gave %v (a short page with a token: %v), want %v", c.query, got, short, want)
		}
	}
	out := mustAdmin(t, m, "events", rollcall.DevAccountID, "--name", "CreateAccount", "--limit", "4")
	if strings.Count(out, "CreateAccount") != 4 || !strings.Contains(out, "next page: --page-token ") {
		t.Fatalf("rollcall admin events --limit 4, 2 events examined a page:\n%s", out)
	}
}

// TestAuditDeclaredResponses: an Amazon Business create's answer, {}, and an Alexa for
// Business CreateUser's, its new user's ARN, are known before the write, so the
// create's event carries the answer from the write's transaction and no response row
// follows it (trail.Call.Declare), on either store; the record still says what was
// answered.
func TestAuditDeclaredResponses(t *testing.T) {
	for _, store := range []string{"sqlite", "postgres"} {
		t.Run(store, func(t *testing.T) {
			var args []string
			if store == "postgres" {
				args = []string{"--store", pgtest.FreshDB(t)}
			}
			m := MustRunMain(t, t.TempDir(), args...)
			check := func(tenant, op, response string) {
				t.Helper()
				m.Trail.Flush()
				var es []*rollcall.AuditEvent
				if err := m.Store.View(context.Background(), func(tx rollcall.Tx) (err error) {
					es, err = tx.AuditEvents(rollcall.AuditFilter{TenantID: tenant, Name: op})
					return err
				}); err != nil {
					t.Fatal(err)
				}
				if len(es) != 1 || len(es[0].Response) != 0 ||
					!strings.Contains(string(audit.Complete(es[0].Record, es[0].Response)), `"responseElements":`+response+`,`) {
					t.Fatalf("%s events = %v, want one whose record holds %s without a response row", op, es, response)
				}
			}
			resp, body := mustDo(t, businessCreateRequest(m.URL, rollcall.DevAccessToken, holderBody("ada@example.com")))
			if resp.StatusCode != http.StatusCreated || string(body) != "{}" {
				t.Fatalf("createBusinessUserAccount: %d %s", resp.StatusCode, body)
			}
			check(rollcall.DevBusinessID, "createBusinessUserAccount", "{}")
			out, err := alexaforbusiness.New(sdkSession(t, m.URL, "test", "test")).CreateUser(&alexaforbusiness.CreateUserInput{UserId: aws.String("ada")})
			if err != nil {
				t.Fatal(err)
			}
			check(rollcall.DevAccountID, "CreateUser", `{"UserArn":"`+aws.StringValue(out.UserArn)+`"}`)
		})
	}
}

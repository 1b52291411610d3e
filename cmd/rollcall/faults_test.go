package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/aws/awserr"
	"github.com/aws/aws-sdk-go/service/alexaforbusiness"
	"github.com/aws/aws-sdk-go/service/chime"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall"
)

// adminRequest calls the admin API with the admin token.
func adminRequest(tb testing.TB, m *testMain, method, path, body string) (*http.Response, string) {
	tb.Helper()
	req := mustRequest(tb, method, m.URL+"/_rollcall/"+path, body)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	return mustDo(tb, req)
}

// mustFault creates a rule through the admin API.
func mustFault(tb testing.TB, m *testMain, rule string) adminFault {
	tb.Helper()
	resp, body := adminRequest(tb, m, "POST", "faults", rule)
	if resp.StatusCode != http.StatusCreated {
		tb.Fatalf("POST /_rollcall/faults %s: %d %s", rule, resp.StatusCode, body)
	}
	var f adminFault
	if err := json.Unmarshal([]byte(body), &f); err != nil {
		tb.Fatal(err)
	}
	return f
}

// faultRules lists the rules through the admin API, by ID.
func faultRules(tb testing.TB, m *testMain) map[string]adminFault {
	tb.Helper()
	resp, body := adminRequest(tb, m, "GET", "faults", "")
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("GET /_rollcall/faults: %d %s", resp.StatusCode, body)
	}
	var out struct{ Faults []adminFault }
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		tb.Fatal(err)
	}
	rules := map[string]adminFault{}
	for _, f := range out.Faults {
		rules[f.ID] = f
	}
	return rules
}

func wantFired(tb testing.TB, m *testMain, id string, n int64) {
	tb.Helper()
	if got := faultRules(tb, m)[id].Fired; got != n {
		tb.Fatalf("rule %s fired %d times, want %d", id, got, n)
	}
}

// TestFaultThrottleRetried: the SDK retries an injected throttle on each AWS face and
// succeeds; the rule fired as often as it was told to.
func TestFaultThrottleRetried(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	sess := retryingSession(t, m.URL)
	for _, c := range []struct {
		face, op string
		call     func() error
	}{
		{"chime", "ListAccounts", func() error {
			_, err := chime.New(sess).ListAccounts(&chime.ListAccountsInput{})
			return err
		}},
		{"workdocs", "DescribeUsers", func() error {
			_, err := workdocs.New(sess).DescribeUsers(&workdocs.DescribeUsersInput{OrganizationId: aws.String(rollcall.DevOrganizationID)})
			return err
		}},
		{"alexaforbusiness", "SearchUsers", func() error {
			_, err := alexaforbusiness.New(sess).SearchUsers(&alexaforbusiness.SearchUsersInput{})
			return err
		}},
	} {
		t.Run(c.face, func(t *testing.T) {
			f := mustFault(t, m, `{"face":"`+c.face+`","operation":"`+c.op+`","action":"throttle","count":2}`)
			if err := c.call(); err != nil {
				t.Fatalf("%s %s under two injected throttles: %v", c.face, c.op, err)
			}
			wantFired(t, m, f.ID, 2)
		})
	}
	// Amazon Business has no SDK; its throttle is its own 429 TOO_MANY_REQUESTS, which a
	// client that retries gets past.
	t.Run("amazonbusiness", func(t *testing.T) {
		f := mustFault(t, m, `{"face":"amazonbusiness","operation":"createBusinessUserAccount","action":"throttle","count":1}`)
		status, body, err := businessCreateBody(http.DefaultClient, m.URL, "throttled@example.com")
		if err != nil || status != http.StatusTooManyRequests || !strings.Contains(body, `"code":"TOO_MANY_REQUESTS"`) {
			t.Fatalf("under an injected throttle: %d %s %v", status, body, err)
		}
		if status, body, err := businessCreateBody(http.DefaultClient, m.URL, "throttled@example.com"); err != nil || status != http.StatusCreated {
			t.Fatalf("the retry: %d %s %v", status, body, err)
		}
		wantFired(t, m, f.ID, 1)
	})
}

// TestFaultLostResponseIdempotent: Alexa for Business CreateUser commits, its response
// is lost to a reset connection, and the SDK's retry with the same ClientRequestToken
// answers the user it created: exactly one user.
func TestFaultLostResponseIdempotent(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	f := mustFault(t, m, `{"face":"alexaforbusiness","operation":"CreateUser","action":"lose-response","count":1}`)
	a4b := alexaforbusiness.New(retryingSession(t, m.URL))
	out, err := a4b.CreateUser(&alexaforbusiness.CreateUserInput{UserId: aws.String("ada"), FirstName: aws.String("Ada"),
		ClientRequestToken: aws.String("token-lost-0000001")})
	if err != nil {
		t.Fatalf("CreateUser through a lost response: %v", err)
	}
	wantFired(t, m, f.ID, 1)
	users, err := a4b.SearchUsers(&alexaforbusiness.SearchUsersInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(users.Users) != 1 || aws.StringValue(users.Users[0].UserArn) != aws.StringValue(out.UserArn) {
		t.Fatalf("after the retry: %d users %v; want the one created, %s", len(users.Users), users.Users, aws.StringValue(out.UserArn))
	}
}

// TestFaultLostResponseConflict: Chime CreateUser has no idempotency token. Its write
// commits, the response is lost, and the SDK's retry is refused: ConflictException, for
// a user the client never heard was created.
func TestFaultLostResponseConflict(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	sess := retryingSession(t, m.URL)
	ch := chime.New(sess)
	acct := mustChimeAccount(t, ch, "Lossy")
	f := mustFault(t, m, `{"face":"chime","operation":"CreateUser","action":"lose-response","count":1}`)
	_, err := ch.CreateUser(&chime.CreateUserInput{AccountId: acct.AccountId, Email: aws.String("ada@example.com")})
	if awsCode(err) != chime.ErrCodeConflictException {
		t.Fatalf("CreateUser through a lost response: err = %v, want ConflictException on the retry", err)
	}
	wantFired(t, m, f.ID, 1)
	users, err := ch.ListUsers(&chime.ListUsersInput{AccountId: acct.AccountId})
	if err != nil {
		t.Fatal(err)
	}
	if len(users.Users) != 1 || aws.StringValue(users.Users[0].PrimaryEmail) != "ada@example.com" {
		t.Fatalf("the user the first call created: %v", users.Users)
	}
}

// TestFaultActionsOnTheWire: 500 and 503 in the face's shape, a reset the client reads
// as ECONNRESET, added latency; and a rule that matches a header leaves other requests
// alone. With the rules deleted, requests are served again.
func TestFaultActionsOnTheWire(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	sess := sdkSession(t, m.URL, "test", "test") // no retries
	ch := chime.New(sess)

	f500 := mustFault(t, m, `{"face":"chime","operation":"ListAccounts","action":"error500","count":1}`)
	_, err := ch.ListAccounts(&chime.ListAccountsInput{})
	if awsCode(err) != chime.ErrCodeServiceFailureException {
		t.Fatalf("error500: err = %v, want ServiceFailureException", err)
	}
	f503 := mustFault(t, m, `{"face":"chime","operation":"ListAccounts","action":"error503","count":1}`)
	_, err = ch.ListAccounts(&chime.ListAccountsInput{})
	if awsCode(err) != chime.ErrCodeServiceUnavailableException {
		t.Fatalf("error503: err = %v, want ServiceUnavailableException", err)
	}

	reset := mustFault(t, m, `{"face":"chime","operation":"*","action":"reset","header":"X-Chaos=reset"}`)
	// The SDK's default retryer does not retry a reset read (aws/request/
	// connection_reset_error.go): the server may have acted on the request. (A fresh
	// transport: net/http itself retries an idempotent request once when a reused
	// connection fails.)
	fresh := retryingSession(t, m.URL).Copy(&aws.Config{HTTPClient: &http.Client{Transport: &http.Transport{}}})
	r, _ := chime.New(fresh).ListAccountsRequest(&chime.ListAccountsInput{})
	r.HTTPRequest.Header.Set("X-Chaos", "reset")
	err = r.Send()
	var ae awserr.Error
	if !errors.As(err, &ae) || !errors.Is(ae.OrigErr(), syscall.ECONNRESET) {
		t.Fatalf("reset: err = %v, want ECONNRESET", err)
	}
	wantFired(t, m, reset.ID, 1)
	// The request log names the rule (the reset request's line is written as its
	// handler returns, just after the client saw the reset).
	for _, id := range []string{f500.ID, f503.ID, reset.ID} {
		for deadline := time.Now().Add(2 * time.Second); !strings.Contains(m.log.String(), "fault="+id); time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatalf("the request log does not name rule %s", id)
			}
		}
	}
	if _, err := ch.ListAccounts(&chime.ListAccountsInput{}); err != nil {
		t.Fatalf("a request without the header: %v", err)
	}

	slow := mustFault(t, m, `{"face":"chime","operation":"ListAccounts","action":"latency","latencyMs":300,"count":1}`)
	start := time.Now()
	if _, err := ch.ListAccounts(&chime.ListAccountsInput{}); err != nil {
		t.Fatalf("latency: %v", err)
	}
	if d := time.Since(start); d < 300*time.Millisecond {
		t.Fatalf("latency 300ms: answered in %v", d)
	}
	for _, id := range []string{f500.ID, f503.ID, reset.ID, slow.ID} {
		if resp, body := adminRequest(t, m, "DELETE", "faults/"+id, ""); resp.StatusCode != http.StatusNoContent {
			t.Fatalf("DELETE faults/%s: %d %s", id, resp.StatusCode, body)
		}
	}
	if len(faultRules(t, m)) != 0 {
		t.Fatal("rules left after deleting them all")
	}
	if resp, body := adminRequest(t, m, "DELETE", "faults/"+reset.ID, ""); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("DELETE of a deleted rule: %d %s", resp.StatusCode, body)
	}
}

// TestFaultAdminValidates: the admin API refuses a rule it cannot apply, saying why.
func TestFaultAdminValidates(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	for _, c := range []struct{ rule, want string }{
		{`{"face":"s3","operation":"*","action":"throttle"}`, `face \"s3\" is not one of alexaforbusiness, amazonbusiness, chime, workdocs`},
		{`{"face":"chime","operation":"PutObject","action":"throttle"}`, `operation \"PutObject\" is not one of chime's`},
		{`{"face":"chime","operation":"CreateUser","action":"explode"}`, `action \"explode\" is not one of throttle, error500, error503, latency, reset, lose-response`},
		{`{"face":"chime","operation":"CreateUser","action":"latency"}`, `a latency rule needs latencyMs`},
		{`{"face":"chime","operation":"CreateUser","action":"throttle","probability":2}`, `probability must be greater than 0 and at most 1`},
		{`{"face":"chime","operation":"CreateUser","action":"throttle","count":0}`, `count must be at least 1`},
		{`{"face":"chime","operation":"CreateUser","action":"throttle","header":"X-Chaos"}`, `header must be name=value`},
		{`{"face":"chime","operation":"CreateUser","action":"throttle","ttlSeconds":-1}`, `ttlSeconds must be positive`},
		{`{"face":"chime","operation":"CreateUser","action":"throttle","colour":"red"}`, `unknown field`},
	} {
		resp, body := adminRequest(t, m, "POST", "faults", c.rule)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(body, `"invalid_parameter"`) || !strings.Contains(body, c.want) {
			t.Errorf("POST %s: %d %s; want 400 with %q", c.rule, resp.StatusCode, body, c.want)
		}
	}
	req := mustRequest(t, "GET", m.URL+"/_rollcall/faults", "")
	if resp, _ := mustDo(t, req); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("GET /_rollcall/faults without the admin token: %d", resp.StatusCode)
	}
	if len(faultRules(t, m)) != 0 {
		t.Fatal("a refused rule was stored")
	}
}

// TestFaultAdminCLI adds, lists and deletes rules with `rollcall admin faults`.
func TestFaultAdminCLI(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	added := mustAdmin(t, m, "faults", "add", "--face", "chime", "--op", "ListAccounts", "--action", "throttle", "--count", "1",
		"--header", "X-Chaos=on", "--ttl", "1h")
	if !strings.HasPrefix(added, "RULE") || !strings.Contains(added, "header=X-Chaos=on") || !strings.Contains(added, "throttle") {
		t.Fatalf("faults add:\n%s", added)
	}
	mustAdmin(t, m, "faults", "add", "--face", "workdocs", "--action", "latency", "--latency", "20ms", "--probability", "0.5")
	if _, err := runAdmin(t, m, "faults", "add", "--face", "chime", "--action", "explode"); err == nil ||
		!strings.Contains(err.Error(), `action "explode" is not one of`) {
		t.Fatalf("faults add of a bad action: %v", err)
	}

	// The header rule fires once, for a request with the header.
	r, _ := devChime(t, m).ListAccountsRequest(&chime.ListAccountsInput{})
	r.HTTPRequest.Header.Set("X-Chaos", "on")
	if err := r.Send(); awsCode(err) != "ThrottledClientException" {
		t.Fatalf("a call the rule matches: %v", err)
	}
	var listed struct{ Faults []adminFault }
	if err := json.Unmarshal([]byte(mustAdmin(t, m, "--json", "faults")), &listed); err != nil {
		t.Fatal(err)
	}
	if len(listed.Faults) != 2 {
		t.Fatalf("faults --json: %+v", listed)
	}
	var chimeRule adminFault
	for _, f := range listed.Faults {
		if f.Face == "chime" {
			chimeRule = f
		}
	}
	if chimeRule.Fired != 1 || chimeRule.Count == nil || *chimeRule.Count != 0 || chimeRule.Active || chimeRule.ExpiresAt == nil {
		t.Fatalf("the chime rule after firing: %+v", chimeRule)
	}
	table := mustAdmin(t, m, "faults", "list")
	if !strings.Contains(table, chimeRule.ID) || !strings.Contains(table, "latency 20ms") {
		t.Fatalf("faults list:\n%s", table)
	}
	if out := mustAdmin(t, m, "faults", "delete", chimeRule.ID); !strings.Contains(out, "deleted fault rule "+chimeRule.ID) {
		t.Fatalf("faults delete: %s", out)
	}
	if _, err := runAdmin(t, m, "faults", "delete", chimeRule.ID); err == nil || !strings.Contains(err.Error(), "HTTP 404") {
		t.Fatalf("deleting it again: %v", err)
	}
}

package audit_test

import (
	"bytes"
	"crypto/tls"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/audit"
)

func mustBuild(tb testing.TB, c audit.Call) audit.Event {
	tb.Helper()
	e, err := audit.Build(c)
	if err != nil {
		tb.Fatal(err)
	}
	return e
}

// createUserCall is a WorkDocs CreateUser, signed with the account's key, as the pipeline
// describes it: the decoded request (with its password) and the encoded response.
func createUserCall() audit.Call {
	return audit.Call{
		Face: "workdocs", Operation: "CreateUser", Tenant: "000000000000", Region: "us-east-1",
		Caller:   audit.Identity{Kind: audit.AccessKey, AccountID: "000000000000", AccessKeyID: "test"},
		SourceIP: "127.0.0.1", UserAgent: "aws-cli/2.9.19 Python/3.11.2 Linux/6.1.0 source/x86_64.debian.12",
		RequestID: "5f8c3c1e-6a0b-4c59-9a57-1f0c3b7b9e01", EventID: "2b1c7c4e-9d7a-4f7e-8a51-6c0f3e1d2a9b",
		Time: time.Date(2026, 11, 30, 14, 5, 9, 123e6, time.FixedZone("CET", 3600)),
		Request: map[string]any{
			"OrganizationId": "d-0000000000", "Username": "ada", "GivenName": "Ada", "Surname": "Lovelace",
			"Password": "correct-horse-1",
		},
		Response: json.RawMessage(`{"User":{"Id":"S-1-1-11-1111111111-2222222222-3333333333-3333","Username":"ada","OrganizationId":"d-0000000000","Status":"ACTIVE","CreatedTimestamp":1.79e9}}`),
	}
}

// TestBuildCreateUser pins the whole record of one call: CloudTrail's field names, order,
// types and values.
func TestBuildCreateUser(t *testing.T) {
	e := mustBuild(t, createUserCall())
	want := `{"eventVersion":"1.11","userIdentity":{"type":"Root","principalId":"000000000000","arn":"arn:aws:iam::000000000000:root","accountId":"000000000000","accessKeyId":"test"},` +
		`"eventTime":"2026-11-30T13:05:09Z","eventSource":"workdocs.amazonaws.com","eventName":"CreateUser","awsRegion":"us-east-1",` +
		`"sourceIPAddress":"127.0.0.1","userAgent":"aws-cli/2.9.19 Python/3.11.2 Linux/6.1.0 source/x86_64.debian.12",` +
		`"requestParameters":{"GivenName":"Ada","OrganizationId":"d-0000000000","Password":"HIDDEN_DUE_TO_SECURITY_REASONS","Surname":"Lovelace","Username":"ada"},` +
		`"responseElements":{"User":{"Id":"S-1-1-11-1111111111-2222222222-3333333333-3333","Username":"ada","OrganizationId":"d-0000000000","Status":"ACTIVE","CreatedTimestamp":1.79e9}},` +
		`"requestID":"5f8c3c1e-6a0b-4c59-9a57-1f0c3b7b9e01","eventID":"2b1c7c4e-9d7a-4f7e-8a51-6c0f3e1d2a9b","readOnly":false,"eventType":"AwsApiCall",` +
		`"managementEvent":true,"recipientAccountId":"000000000000","eventCategory":"Management"}`
	if string(audit.Complete(e.Stored, nil)) != want {
		t.Errorf("record\n got %s\nwant %s", audit.Complete(e.Stored, nil), want)
	}
	if e.Tenant != "000000000000" || e.User != "000000000000" || e.Failed ||
		!e.Time.Equal(time.Date(2026, 11, 30, 13, 5, 9, 123e6, time.UTC)) {
		t.Errorf("index columns: %+v", e)
	}
	if bytes.Contains(audit.Complete(e.Stored, nil), []byte("correct-horse-1")) {
		t.Error("the password is in the record")
	}
}

func TestBuildFailedReadAndDefaults(t *testing.T) {
	c := createUserCall()
	c.Face, c.Operation, c.Tenant, c.Region = "amazonbusiness", "createBusinessUserAccount", "dev-business", ""
	c.Caller = audit.Identity{Kind: audit.BusinessToken, AccountID: "dev-business", Business: "dev-business", TokenKind: "static"}
	c.EventID, c.Response, c.ReadOnly = "", nil, true
	c.ErrorCode, c.ErrorMessage = "INVALID_REQUEST_PARAMETER", "The required request parameter is missing: accountHolder."
	e := mustBuild(t, c)
	r := e.Record
	if r.EventSource != "business-api.amazon.com" || r.AWSRegion != audit.GlobalRegion || !r.ReadOnly || !e.Failed ||
		r.ErrorCode != c.ErrorCode || r.ErrorMessage != c.ErrorMessage || r.ResponseElements != nil {
		t.Errorf("record %s", audit.Complete(e.Stored, nil))
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(r.EventID) {
		t.Errorf("eventID %q is not a UUID", r.EventID)
	}
	if !strings.Contains(string(audit.Complete(e.Stored, nil)), `"responseElements":null`) {
		t.Errorf("a read's responseElements should be null: %s", audit.Complete(e.Stored, nil))
	}
	if again := mustBuild(t, c); again.Record.EventID == r.EventID {
		t.Error("two events got one ID")
	}
}

func TestBuildIdentities(t *testing.T) {
	created := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		id   audit.Identity
		want string
	}{
		{"IAM user", audit.Identity{Kind: audit.AccessKey, AccountID: "111122223333", AccessKeyID: "AKIAACME", UserName: "ops"},
			`{"type":"IAMUser","principalId":"111122223333:ops","arn":"arn:aws:iam::111122223333:user/ops","accountId":"111122223333","accessKeyId":"AKIAACME","userName":"ops"}`},
		{"temporary credentials", audit.Identity{Kind: audit.AccessKey, AccountID: "111122223333", AccessKeyID: "ASIATEMP", Session: &audit.Session{Created: created}},
			`{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333","accessKeyId":"ASIATEMP","sessionContext":{"attributes":{"creationDate":"2026-11-30T12:00:00Z","mfaAuthenticated":"false"}}}`},
		{"assumed role", audit.Identity{Kind: audit.AccessKey, AccountID: "111122223333", AccessKeyID: "ASIAROLE", Session: &audit.Session{Created: created, MFA: true, Role: "Provisioner", Name: "hr-sync"}},
			`{"type":"AssumedRole","principalId":"Provisioner:hr-sync","arn":"arn:aws:sts::111122223333:assumed-role/Provisioner/hr-sync","accountId":"111122223333","accessKeyId":"ASIAROLE",` +
				`"sessionContext":{"sessionIssuer":{"type":"Role","principalId":"Provisioner","arn":"arn:aws:iam::111122223333:role/Provisioner","accountId":"111122223333","userName":"Provisioner"},"attributes":{"creationDate":"2026-11-30T12:00:00Z","mfaAuthenticated":"true"}}}`},
		{"Amazon Business token", audit.Identity{Kind: audit.BusinessToken, AccountID: "acme-business", Business: "acme-business", TokenKind: "access"},
			`{"type":"WebIdentityUser","principalId":"www.amazon.com:acme-business","accountId":"acme-business","userName":"acme-business","identityProvider":"www.amazon.com",` +
				`"sessionContext":{"webIdFederationData":{"federatedProvider":"www.amazon.com","attributes":{"business":"acme-business","tokenKind":"access"}}}}`},
		{"WorkDocs token", audit.Identity{Kind: audit.WorkDocsToken, AccountID: "000000000000", UserID: "S-1-1-11-1", Directory: "d-0000000000"},
			`{"type":"Unknown","principalId":"S-1-1-11-1","accountId":"000000000000","userName":"S-1-1-11-1",` +
				`"sessionContext":{"webIdFederationData":{"federatedProvider":"workdocs.amazonaws.com","attributes":{"organizationId":"d-0000000000"}}}}`},
		{"admin", audit.Identity{Kind: audit.Admin}, `{"type":"Unknown","principalId":"rollcall-admin","userName":"rollcall-admin"}`},
		{"unauthenticated", audit.Identity{AccessKeyID: "AKIAFORGED"}, `{"type":"Unknown","accessKeyId":"AKIAFORGED"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := createUserCall()
			c.Caller = tc.id
			e := mustBuild(t, c)
			got, _ := json.Marshal(e.Record.UserIdentity)
			if string(got) != tc.want {
				t.Errorf("userIdentity\n got %s\nwant %s", got, tc.want)
			}
			if e.User != e.Record.UserIdentity.PrincipalID {
				t.Errorf("User %q, principalId %q", e.User, e.Record.UserIdentity.PrincipalID)
			}
		})
	}
}

func TestBuildSourcesAndAdmin(t *testing.T) {
	for face, source := range map[string]string{
		"chime": "chime.amazonaws.com", "workdocs": "workdocs.amazonaws.com", "alexaforbusiness": "a4b.amazonaws.com",
		"amazonbusiness": "business-api.amazon.com", "loginwithamazon": "api.amazon.com", "admin": "admin.rollcall.local",
	} {
		c := createUserCall()
		c.Face = face
		if got := mustBuild(t, c).Record.EventSource; got != source {
			t.Errorf("%s: eventSource %q, want %q", face, got, source)
		}
	}
	c := createUserCall()
	c.Face, c.Operation, c.Tenant, c.Region, c.Caller = "admin", "ListTenants", "", "", audit.Identity{Kind: audit.Admin}
	if e := mustBuild(t, c); e.Tenant != audit.AdminAccount || e.Record.RecipientAccountID != audit.AdminAccount {
		t.Errorf("admin call without a tenant: %s", audit.Complete(e.Stored, nil))
	}
	c = createUserCall()
	c.Tenant, c.Caller, c.ErrorCode = "", audit.Identity{AccessKeyID: "AKIAUNKNOWN"}, "UnrecognizedClientException"
	if e := mustBuild(t, c); e.Tenant != audit.AdminAccount || !e.Failed {
		t.Errorf("a call refused before it named a tenant: %s", audit.Complete(e.Stored, nil))
	}
}

func TestBuildRefuses(t *testing.T) {
	for name, change := range map[string]func(*audit.Call){
		"unknown face":       func(c *audit.Call) { c.Face = "s3" },
		"no operation":       func(c *audit.Call) { c.Operation = "" },
		"no time":            func(c *audit.Call) { c.Time = time.Time{} },
		"no tenant":          func(c *audit.Call) { c.Tenant = "" }, // an authenticated caller has one
		"unencodable value":  func(c *audit.Call) { c.Request = map[string]any{"f": func() {}} },
		"unencodable answer": func(c *audit.Call) { c.Response = make(chan int) },
	} {
		c := createUserCall()
		change(&c)
		if _, err := audit.Build(c); err == nil {
			t.Errorf("%s: built", name)
		}
	}
}

func TestBuildElements(t *testing.T) {
	c := createUserCall()
	c.Request = []byte(`not json {"Password":"x"}`)
	c.Response = strings.Repeat("x", audit.MaxElementSize) // a Go string: encoded, then too large
	c.Sensitive = []string{"Surname"}
	e := mustBuild(t, c)
	if string(e.Record.RequestParameters) != `{"omitted":true}` || string(e.Record.ResponseElements) != `{"omitted":true}` {
		t.Errorf("got %s", audit.Complete(e.Stored, nil))
	}
	c = createUserCall()
	c.Sensitive = []string{"Surname"}
	if e := mustBuild(t, c); !strings.Contains(string(e.Record.RequestParameters), `"Surname":"HIDDEN_DUE_TO_SECURITY_REASONS"`) {
		t.Errorf("Sensitive not hidden: %s", e.Record.RequestParameters)
	}
	c.Request = struct {
		Email    string `json:"Email"`
		PIN      string `json:"PersonalPIN"`
		Settings struct {
			Token string `json:"refresh_token"`
		}
	}{Email: "a@b", PIN: "12345678"}
	if got := string(mustBuild(t, c).Record.RequestParameters); got != `{"Email":"a@b","PersonalPIN":"HIDDEN_DUE_TO_SECURITY_REASONS","Settings":{"refresh_token":"HIDDEN_DUE_TO_SECURITY_REASONS"}}` {
		t.Errorf("a Go value: %s", got)
	}
}

func TestTLSFrom(t *testing.T) {
	if audit.TLSFrom(nil, "h") != nil {
		t.Error("plain HTTP has tlsDetails")
	}
	got := audit.TLSFrom(&tls.ConnectionState{Version: tls.VersionTLS13, CipherSuite: tls.TLS_AES_128_GCM_SHA256}, "rollcall.example:4566")
	want := audit.TLSDetails{TLSVersion: "TLSv1.3", CipherSuite: "TLS_AES_128_GCM_SHA256", ClientProvidedHostHeader: "rollcall.example:4566"}
	if *got != want {
		t.Errorf("got %+v", *got)
	}
	c := createUserCall()
	c.TLS = got
	if e := mustBuild(t, c); !strings.HasSuffix(string(audit.Complete(e.Stored, nil)), `"tlsDetails":{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256","clientProvidedHostHeader":"rollcall.example:4566"}}`) {
		t.Errorf("record %s", audit.Complete(e.Stored, nil))
	}
}

// TestRecordJSONIsEncodingJSON: the hand-written encoder writes what encoding/json writes,
// for every field and for strings that need escaping.
func TestRecordJSONIsEncodingJSON(t *testing.T) {
	type plain audit.Record // the same fields, without MarshalJSON
	odd := "q\"b\\s/ \x00\x01\x1f\b\f\n\r\t é \u2028\u2029 \xff\xfe end <&>"
	c := createUserCall()
	c.UserAgent, c.SourceIP, c.ErrorCode, c.ErrorMessage = odd, odd, "E", odd
	c.Caller = audit.Identity{Kind: audit.BusinessToken, AccountID: odd, Business: odd, TokenKind: odd}
	c.TLS = &audit.TLSDetails{TLSVersion: "TLSv1.3", CipherSuite: odd, ClientProvidedHostHeader: odd}
	for _, rec := range []audit.Record{mustBuild(t, createUserCall()).Record, mustBuild(t, c).Record, {}} {
		got, err := rec.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(plain(rec))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("MarshalJSON\n got %s\nwant %s", got, want)
		}
		var back audit.Record
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatal(err)
		}
	}
	if e := mustBuild(t, c); !json.Valid(audit.Complete(e.Stored, nil)) || !strings.Contains(string(audit.Complete(e.Stored, nil)), `\u0000\u0001\u001f\b\f\n\r\t é \u2028\u2029 \ufffd\ufffd end \u003c\u0026\u003e`) {
		t.Errorf("Build's JSON: %s", audit.Complete(e.Stored, nil))
	}
}

// A write's record, stored before its response, and the response stored after it make
// the record Build makes of the whole call, whatever the request parameters hold.
func TestComplete(t *testing.T) {
	for _, req := range []any{
		map[string]any{"Email": "a@example.com"},
		json.RawMessage(`{"x":1,"responseElements":null,"requestID":"fake"}`), // the member's text, as a parameter
		nil,
	} {
		whole := createUserCall()
		whole.Request = req
		first := whole
		first.Response = nil
		written := mustBuild(t, first)
		// The answered call reuses the scrubbed request parameters, and its response is
		// scrubbed on its own.
		response, err := audit.Element(audit.Encoded(`{"User":{"Id":"u","Password":"p"}}`))
		if err != nil {
			t.Fatal(err)
		}
		again := whole
		again.Request, again.Response = audit.Scrubbed(written.Record.RequestParameters), audit.Encoded(`{"User":{"Id":"u","Password":"p"}}`)
		want := audit.Complete(mustBuild(t, again).Stored, nil)
		if got := audit.Complete(written.Stored, response); !bytes.Equal(got, want) {
			t.Errorf("request %s: Complete =\n%s\nwant\n%s", written.Record.RequestParameters, got, want)
		}
		if !bytes.Contains(response, []byte(audit.Hidden)) {
			t.Errorf("Element left a password: %s", response)
		}
	}
}

package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/alexaforbusiness"
	"github.com/aws/aws-sdk-go/service/chime"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/auth"
	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/iam"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
)

const iamAccount = "111122223333"

// iamSeed declares a user whose policy allows some operations of each face and denies
// others explicitly, a user declared without policies, a role for sessions, and keys.
var iamSeed = `{"accounts": [{"id": "` + iamAccount + `", "name": "IAM test",
  "workDocsOrganizations": [{"id": "d-1111111111", "name": "docs"}],
  "principals": [
    {"arn": "arn:aws:iam::` + iamAccount + `:user/limited", "policies": [{"name": "faces", "document": {
      "Version": "2012-10-17",
      "Statement": [
        {"Sid": "ChimeUsers", "Effect": "Allow", "Action": ["chime:CreateAccount", "chime:CreateUser", "chime:GetAccount", "chime:DeleteAccount"], "Resource": "*"},
        {"Sid": "NoChimeDelete", "Effect": "Deny", "Action": "chime:Delete*", "Resource": "*"},
        {"Sid": "WorkDocs", "Effect": "Allow", "Action": ["workdocs:CreateUser", "workdocs:DescribeUsers", "workdocs:DeleteUser"], "Resource": "*"},
        {"Sid": "NoWorkDocsDelete", "Effect": "Deny", "Action": "workdocs:DeleteUser", "Resource": "*"},
        {"Sid": "A4BBlueTeam", "Effect": "Allow", "Action": ["a4b:CreateUser", "a4b:DeleteUser"], "Resource": "arn:aws:a4b:*:` + iamAccount + `:user/*",
         "Condition": {"StringEquals": {"aws:RequestTag/team": "blue"}}},
        {"Sid": "A4BSearch", "Effect": "Allow", "Action": "a4b:SearchUsers", "Resource": "*"},
        {"Sid": "NoA4BDelete", "Effect": "Deny", "Action": "a4b:DeleteUser", "Resource": "*", "Condition": {"StringEquals": {"aws:ResourceTag/team": "blue"}}}
      ]}}]},
    {"arn": "arn:aws:iam::` + iamAccount + `:user/open"},
    {"arn": "arn:aws:iam::` + iamAccount + `:role/ci", "policies": [{"name": "chime", "document":
      "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"chime:*\",\"Resource\":\"*\"}]}"}]}
  ],
  "accessKeys": [
    {"id": "AKIALIMITED", "secret": "limited-secret", "principal": "arn:aws:iam::` + iamAccount + `:user/limited"},
    {"id": "AKIAOPEN", "secret": "open-secret", "principal": "arn:aws:iam::` + iamAccount + `:user/open"}
  ]}]}`

func writeSeed(tb testing.TB, seed string) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "seed.json")
	if err := os.WriteFile(path, []byte(seed), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// wantDenied checks an SDK error's code, status and message.
func wantDenied(tb testing.TB, what string, err error, code string, status int, message string) {
	tb.Helper()
	if e := facetest.SDKErrorOf(err); e.Code != code || e.Status != status || e.Message != message {
		tb.Fatalf("%s: got %s %d %q (%v)\nwant %s %d %q", what, e.Code, e.Status, e.Message, err, code, status, message)
	}
}

const limitedARN = "arn:aws:iam::" + iamAccount + ":user/limited"

func implicitDeny(principal, action, resource string) string {
	return "User: " + principal + " is not authorized to perform: " + action + " on resource: " + resource +
		" because no identity-based policy allows the " + action + " action"
}

func explicitDeny(principal, action, resource string) string {
	return "User: " + principal + " is not authorized to perform: " + action + " on resource: " + resource +
		" with an explicit deny in an identity-based policy"
}

// TestIAMChime: allowed, denied without an allowing statement, and denied explicitly,
// through aws-sdk-go v1, with Chime's ForbiddenException 403.
func TestIAMChime(t *testing.T) {
	m := MustRunMain(t, t.TempDir(), "--init", writeSeed(t, iamSeed))
	ch := chime.New(sdkSession(t, m.URL, "AKIALIMITED", "limited-secret"))
	acct := mustChimeAccount(t, ch, "Team")
	if _, err := ch.CreateUser(&chime.CreateUserInput{AccountId: acct.AccountId, Email: aws.String("ada@example.com")}); err != nil {
		t.Fatalf("allowed CreateUser: %v", err)
	}
	_, err := ch.ListAccounts(&chime.ListAccountsInput{})
	wantDenied(t, "ListAccounts", err, "ForbiddenException", 403, implicitDeny(limitedARN, "chime:ListAccounts", "*"))
	_, err = ch.DeleteAccount(&chime.DeleteAccountInput{AccountId: acct.AccountId})
	wantDenied(t, "DeleteAccount", err, "ForbiddenException", 403, explicitDeny(limitedARN, "chime:DeleteAccount", "*"))
	if _, err := ch.GetAccount(&chime.GetAccountInput{AccountId: acct.AccountId}); err != nil {
		t.Fatalf("the denied DeleteAccount deleted the account: %v", err)
	}
	// A principal declared without policies, and the dev key, have full access.
	for _, key := range [][2]string{{"AKIAOPEN", "open-secret"}, {"test", "test"}} {
		if _, err := chime.New(sdkSession(t, m.URL, key[0], key[1])).ListAccounts(&chime.ListAccountsInput{}); err != nil {
			t.Fatalf("%s: ListAccounts: %v", key[0], err)
		}
	}
	// --iam off evaluates nothing.
	off := MustRunMain(t, t.TempDir(), "--init", writeSeed(t, iamSeed), "--iam", "off")
	if _, err := chime.New(sdkSession(t, off.URL, "AKIALIMITED", "limited-secret")).ListAccounts(&chime.ListAccountsInput{}); err != nil {
		t.Fatalf("--iam off: ListAccounts: %v", err)
	}
}

// TestIAMWorkDocs: WorkDocs answers a denial with UnauthorizedOperationException 403,
// before the user is looked up or the password hashed.
func TestIAMWorkDocs(t *testing.T) {
	m := MustRunMain(t, t.TempDir(), "--init", writeSeed(t, iamSeed))
	wd := workdocs.New(sdkSession(t, m.URL, "AKIALIMITED", "limited-secret"))
	out, err := wd.CreateUser(&workdocs.CreateUserInput{OrganizationId: aws.String("d-1111111111"), Username: aws.String("ada"),
		GivenName: aws.String("Ada"), Surname: aws.String("Lovelace"), Password: aws.String("correct-horse-1")})
	if err != nil {
		t.Fatalf("allowed CreateUser: %v", err)
	}
	_, err = wd.UpdateUser(&workdocs.UpdateUserInput{UserId: out.User.Id, Surname: aws.String("Byron")})
	wantDenied(t, "UpdateUser", err, "UnauthorizedOperationException", 403, implicitDeny(limitedARN, "workdocs:UpdateUser", "*"))
	_, err = wd.UpdateUser(&workdocs.UpdateUserInput{UserId: aws.String("no-such-user"), Surname: aws.String("Byron")})
	wantDenied(t, "UpdateUser of a missing user", err, "UnauthorizedOperationException", 403, implicitDeny(limitedARN, "workdocs:UpdateUser", "*"))
	_, err = wd.DeleteUser(&workdocs.DeleteUserInput{UserId: out.User.Id})
	wantDenied(t, "DeleteUser", err, "UnauthorizedOperationException", 403, explicitDeny(limitedARN, "workdocs:DeleteUser", "*"))
	if _, err := wd.DescribeUsers(&workdocs.DescribeUsersInput{OrganizationId: aws.String("d-1111111111"), UserIds: out.User.Id}); err != nil {
		t.Fatalf("allowed DescribeUsers: %v", err)
	}
}

// TestIAMAlexaForBusiness: request tags and the user's resource tags decide; Alexa for
// Business answers with AWS JSON's AccessDeniedException 400.
func TestIAMAlexaForBusiness(t *testing.T) {
	m := MustRunMain(t, t.TempDir(), "--init", writeSeed(t, iamSeed))
	a4b := alexaforbusiness.New(sdkSession(t, m.URL, "AKIALIMITED", "limited-secret"))
	tag := func(v string) []*alexaforbusiness.Tag {
		return []*alexaforbusiness.Tag{{Key: aws.String("team"), Value: aws.String(v)}}
	}
	blue, err := a4b.CreateUser(&alexaforbusiness.CreateUserInput{UserId: aws.String("ada"), Tags: tag("blue")})
	if err != nil {
		t.Fatalf("allowed CreateUser: %v", err)
	}
	_, err = a4b.CreateUser(&alexaforbusiness.CreateUserInput{UserId: aws.String("bob"), Tags: tag("red")})
	wantDenied(t, "CreateUser tagged red", err, "AccessDeniedException", 400,
		implicitDeny(limitedARN, "a4b:CreateUser", "arn:aws:a4b:us-east-1:"+iamAccount+":user/*"))
	// A user of the open principal, tagged red: the explicit deny on blue users does not apply.
	open := alexaforbusiness.New(sdkSession(t, m.URL, "AKIAOPEN", "open-secret"))
	red, err := open.CreateUser(&alexaforbusiness.CreateUserInput{UserId: aws.String("carol"), Tags: tag("red")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = a4b.DeleteUser(&alexaforbusiness.DeleteUserInput{UserArn: blue.UserArn, EnrollmentId: aws.String("x")})
	wantDenied(t, "DeleteUser of a blue user", err, "AccessDeniedException", 400, explicitDeny(limitedARN, "a4b:DeleteUser", *blue.UserArn))
	_, err = a4b.DeleteUser(&alexaforbusiness.DeleteUserInput{UserArn: red.UserArn, EnrollmentId: aws.String("x")})
	wantDenied(t, "DeleteUser of a red user", err, "AccessDeniedException", 400, implicitDeny(limitedARN, "a4b:DeleteUser", *red.UserArn))
	if _, err := a4b.SearchUsers(&alexaforbusiness.SearchUsersInput{}); err != nil {
		t.Fatalf("allowed SearchUsers: %v", err)
	}
}

// adminJSON calls the admin API with a JSON body and decodes the answer.
func adminJSON(tb testing.TB, m *testMain, method, path string, body string, out any) int {
	tb.Helper()
	req, _ := http.NewRequest(method, m.URL+"/_rollcall/"+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			tb.Fatalf("%s %s: %v: %s", method, path, err, b)
		}
	}
	return resp.StatusCode
}

// TestIAMSessionPolicy: temporary credentials of a role session carry a session policy
// that narrows the role's.
func TestIAMSessionPolicy(t *testing.T) {
	m := MustRunMain(t, t.TempDir(), "--init", writeSeed(t, iamSeed))
	var out struct {
		Credentials struct{ AccessKeyId, SecretAccessKey, SessionToken string }
	}
	status := adminJSON(t, m, "POST", "credentials", `{"accountId":"`+iamAccount+`","principal":"arn:aws:iam::`+iamAccount+`:role/ci",
		"sessionName":"run-1","policy":{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"chime:List*","Resource":"*"}]}}`, &out)
	if status != 201 {
		t.Fatalf("credentials: %d", status)
	}
	c := out.Credentials
	ch := chime.New(tempSession(t, m.URL, c.AccessKeyId, c.SecretAccessKey, c.SessionToken))
	if _, err := ch.ListAccounts(&chime.ListAccountsInput{}); err != nil {
		t.Fatalf("allowed by role and session: %v", err)
	}
	_, err := ch.CreateAccount(&chime.CreateAccountInput{Name: aws.String("x")})
	sessionARN := "arn:aws:sts::" + iamAccount + ":assumed-role/ci/run-1"
	wantDenied(t, "CreateAccount", err, "ForbiddenException", 403, "User: "+sessionARN+
		" is not authorized to perform: chime:CreateAccount on resource: * because no session policy allows the chime:CreateAccount action")
	// A malformed session policy is refused with the parser's message.
	bad := `{"Statement":[{"Effect":"Permit","Action":"*","Resource":"*"}]}`
	_, perr := iam.Parse([]byte(bad))
	var e struct {
		Error struct{ Code, Message string }
	}
	if status := adminJSON(t, m, "POST", "credentials", `{"accountId":"`+iamAccount+`","policy":`+bad+`}`, &e); status != 400 ||
		!strings.Contains(e.Error.Message, perr.Error()) {
		t.Fatalf("bad session policy: %d %+v (parser: %v)", status, e, perr)
	}
}

// TestIAMAdminAPI: principals and policies through the admin API take effect at once on
// this replica; a malformed policy is refused with the parser's message; the simulator.
func TestIAMAdminAPI(t *testing.T) {
	m := MustRunMain(t, t.TempDir(), "--init", writeSeed(t, iamSeed))
	arn := "arn:aws:iam::" + iamAccount + ":user/open"
	ch := chime.New(sdkSession(t, m.URL, "AKIAOPEN", "open-secret"))
	deny := `{"Version":"2012-10-17","Statement":[{"Sid":"NoList","Effect":"Deny","Action":"chime:ListAccounts","Resource":"*"},{"Effect":"Allow","Action":"*","Resource":"*"}]}`
	var p struct {
		Policies []rollcall.Policy
		Version  int64
	}
	if status := adminJSON(t, m, "PUT", "iam/policy?arn="+arn+"&name=nolist", deny, &p); status != 200 || len(p.Policies) != 1 || p.Version != 2 {
		t.Fatalf("put policy: %d %+v", status, p)
	}
	_, err := ch.ListAccounts(&chime.ListAccountsInput{})
	wantDenied(t, "ListAccounts after the policy", err, "ForbiddenException", 403, explicitDeny(arn, "chime:ListAccounts", "*"))

	bad := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"chime:*"}]}`
	_, perr := iam.Parse([]byte(bad))
	var e struct {
		Error struct{ Code, Message string }
	}
	if status := adminJSON(t, m, "PUT", "iam/policy?arn="+arn+"&name=bad", bad, &e); status != 400 || !strings.Contains(e.Error.Message, perr.Error()) {
		t.Fatalf("malformed policy: %d %+v (parser: %v)", status, e, perr)
	}

	var sim struct {
		Evaluation struct {
			Decision   string
			Statements []struct{ Sid string }
			Reason     string
		}
		Message string
	}
	if status := adminJSON(t, m, "POST", "iam/simulate", `{"principal":"`+arn+`","action":"chime:ListAccounts"}`, &sim); status != 200 ||
		sim.Evaluation.Decision != "explicitDeny" || len(sim.Evaluation.Statements) != 1 || sim.Evaluation.Statements[0].Sid != "NoList" ||
		sim.Message != explicitDeny(arn, "chime:ListAccounts", "*") {
		t.Fatalf("simulate: %d %+v", status, sim)
	}
	if status := adminJSON(t, m, "POST", "iam/simulate", `{"policies":[{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"a4b:*","Resource":"*",
		"Condition":{"IpAddress":{"aws:SourceIp":"192.0.2.0/24"}}}]}],"action":"a4b:CreateUser","resource":"arn:aws:a4b:us-east-1:1:user/*","context":{"aws:SourceIp":"192.0.2.7"}}`, &sim); status != 200 ||
		sim.Evaluation.Decision != "allowed" || !strings.Contains(sim.Evaluation.Reason, "allowed by") {
		t.Fatalf("simulate inline: %d %+v", status, sim)
	}

	if status := adminJSON(t, m, "DELETE", "iam/policy?arn="+arn+"&name=nolist", "", nil); status != 200 {
		t.Fatalf("delete policy: %d", status)
	}
	if _, err := ch.ListAccounts(&chime.ListAccountsInput{}); err != nil {
		t.Fatalf("after the policy was deleted: %v", err)
	}
	// Detached, the key acts as its account; attached to a missing principal, refused.
	if status := adminJSON(t, m, "PUT", "iam/key?id=AKIALIMITED", `{"principal":""}`, nil); status != 200 {
		t.Fatalf("detach: %d", status)
	}
	if _, err := chime.New(sdkSession(t, m.URL, "AKIALIMITED", "limited-secret")).ListAccounts(&chime.ListAccountsInput{}); err != nil {
		t.Fatalf("detached key: %v", err)
	}
	if status := adminJSON(t, m, "PUT", "iam/key?id=AKIALIMITED", `{"principal":"arn:aws:iam::`+iamAccount+`:user/nobody"}`, nil); status != 404 {
		t.Fatalf("attach to a missing principal: %d", status)
	}
	// rollcall admin lists the principals, puts a policy from a file and simulates.
	if out := mustAdmin(t, m, "principals", iamAccount); !strings.Contains(out, limitedARN) || !strings.Contains(out, arn) {
		t.Fatalf("rollcall admin principals:\n%s", out)
	}
	policy := filepath.Join(t.TempDir(), "policy.json")
	if err := os.WriteFile(policy, []byte(deny), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := mustAdmin(t, m, "put-policy", arn, "fromfile", policy); !strings.Contains(out, `"fromfile"`) {
		t.Fatalf("rollcall admin put-policy:\n%s", out)
	}
	if _, err := runAdmin(t, m, "put-policy", arn, "bad", writeSeed(t, bad)); err == nil || !strings.Contains(err.Error(), perr.Error()) {
		t.Fatalf("rollcall admin put-policy of a malformed policy: %v", err)
	}
	request := writeSeed(t, `{"principal":"`+arn+`","action":"chime:ListAccounts"}`)
	if out := mustAdmin(t, m, "simulate", request); !strings.Contains(out, `"explicitDeny"`) || !strings.Contains(out, `"NoList"`) {
		t.Fatalf("rollcall admin simulate:\n%s", out)
	}
}

// TestIAMSeedRefusesBadPolicy: a malformed policy in the seed stops the start with the
// parser's message, and nothing of the seed is applied.
func TestIAMSeedRefusesBadPolicy(t *testing.T) {
	bad := `{"Version":"2012-10-17","Statement":[{"Effect":"Permit","Action":"*","Resource":"*"}]}`
	_, perr := iam.Parse([]byte(bad))
	seed := `{"accounts":[{"id":"` + iamAccount + `","principals":[{"arn":"arn:aws:iam::` + iamAccount + `:user/x","policies":[{"name":"p","document":` + bad + `}]}]}]}`
	m := NewMain()
	m.Stdout, m.Stderr = io.Discard, &bytes.Buffer{}
	if err := m.ParseFlags([]string{"--listen", "127.0.0.1:0", "--data-dir", t.TempDir(), "--admin-token", testAdminToken, "--quiet",
		"--init", writeSeed(t, seed)}, func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	err := m.Run(t.Context())
	m.Close()
	if err == nil || !strings.Contains(err.Error(), perr.Error()) {
		t.Fatalf("start with a malformed policy: %v; want the parser's %q", err, perr)
	}
}

// TestIAMReplicas: two replicas on one PostgreSQL database. A policy put through one
// replica's admin API applies there at once and on the other within auth.PolicyTTL.
func TestIAMReplicas(t *testing.T) {
	dsn := pgtest.FreshDB(t)
	seed := writeSeed(t, iamSeed)
	a := MustRunMain(t, t.TempDir(), "--store", dsn, "--init", seed)
	b := MustRunMain(t, t.TempDir(), "--store", dsn, "--init", seed)
	arn := "arn:aws:iam::" + iamAccount + ":user/open"
	onA := chime.New(sdkSession(t, a.URL, "AKIAOPEN", "open-secret"))
	onB := chime.New(sdkSession(t, b.URL, "AKIAOPEN", "open-secret"))
	for _, c := range []*chime.Chime{onA, onB} { // both have the key's subject cached
		if _, err := c.ListAccounts(&chime.ListAccountsInput{}); err != nil {
			t.Fatal(err)
		}
	}
	deny := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"chime:ListAccounts","Resource":"*"}]}`
	if status := adminJSON(t, a, "PUT", "iam/policy?arn="+arn+"&name=nolist", deny, nil); status != 200 {
		t.Fatalf("put policy: %d", status)
	}
	start := time.Now()
	_, err := onA.ListAccounts(&chime.ListAccountsInput{})
	wantDenied(t, "on the replica that changed it", err, "ForbiddenException", 403, explicitDeny(arn, "chime:ListAccounts", "*"))
	for {
		_, err := onB.ListAccounts(&chime.ListAccountsInput{})
		if err != nil {
			wantDenied(t, "on the other replica", err, "ForbiddenException", 403, explicitDeny(arn, "chime:ListAccounts", "*"))
			break
		}
		if time.Since(start) > auth.PolicyTTL+2*time.Second {
			t.Fatalf("the other replica still allows after %v", time.Since(start))
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("the other replica applied the policy after %v (PolicyTTL %v)", time.Since(start).Round(time.Millisecond), auth.PolicyTTL)
}

// TestIAMConditionKeys: the pipeline sets aws:SourceIp (the loopback peer),
// aws:SecureTransport (false over plain HTTP) and aws:PrincipalArn.
func TestIAMConditionKeys(t *testing.T) {
	m := MustRunMain(t, t.TempDir(), "--init", writeSeed(t, iamSeed))
	arn := "arn:aws:iam::" + iamAccount + ":user/open"
	ch := chime.New(sdkSession(t, m.URL, "AKIAOPEN", "open-secret"))
	put := func(doc string) {
		t.Helper()
		if status := adminJSON(t, m, "PUT", "iam/policy?arn="+arn+"&name=keys", doc, nil); status != 200 {
			t.Fatalf("put policy: %d", status)
		}
	}
	put(`{"Version":"2012-10-17","Statement":[
	  {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":["127.0.0.0/8","::1/128"]}}},
	  {"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Bool":{"aws:SecureTransport":"true"}}},
	  {"Effect":"Allow","Action":"chime:*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalArn":"` + arn + `"}}}]}`)
	if _, err := ch.ListAccounts(&chime.ListAccountsInput{}); err != nil {
		t.Fatalf("from loopback over HTTP: %v", err)
	}
	put(`{"Version":"2012-10-17","Statement":[
	  {"Effect":"Deny","Action":"chime:ListAccounts","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":["127.0.0.0/8","::1/128"]}}},
	  {"Effect":"Allow","Action":"*","Resource":"*"}]}`)
	_, err := ch.ListAccounts(&chime.ListAccountsInput{})
	wantDenied(t, "ListAccounts from loopback", err, "ForbiddenException", 403, explicitDeny(arn, "chime:ListAccounts", "*"))
}

// TestIAMSeedYAML: the README's YAML example loads, and its policy decides.
func TestIAMSeedYAML(t *testing.T) {
	yaml := `accounts:
  - id: "111122223333"
    principals:
      - arn: arn:aws:iam::111122223333:user/provisioner
        policies:
          - name: chime-users
            document:
              Version: "2012-10-17"
              Statement:
                - {Sid: Users, Effect: Allow, Action: ["chime:*User*", "chime:GetAccount"], Resource: "*"}
                - {Sid: NoDelete, Effect: Deny, Action: "chime:Delete*", Resource: "*"}
                - Sid: BlueTeam
                  Effect: Allow
                  Action: a4b:CreateUser
                  Resource: "arn:aws:a4b:*:111122223333:user/*"
                  Condition: {StringEquals: {"aws:RequestTag/team": blue}}
    accessKeys: [{id: AKIAPROVISIONER, secret: "provisioner-secret", principal: "arn:aws:iam::111122223333:user/provisioner"}]
`
	path := filepath.Join(t.TempDir(), "seed.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	m := MustRunMain(t, t.TempDir(), "--init", path)
	ch := chime.New(sdkSession(t, m.URL, "AKIAPROVISIONER", "provisioner-secret"))
	_, err := ch.DeleteAccount(&chime.DeleteAccountInput{AccountId: aws.String("5f0e0000-0000-0000-0000-000000000000")})
	wantDenied(t, "DeleteAccount", err, "ForbiddenException", 403,
		explicitDeny("arn:aws:iam::111122223333:user/provisioner", "chime:DeleteAccount", "*"))
	a4b := alexaforbusiness.New(sdkSession(t, m.URL, "AKIAPROVISIONER", "provisioner-secret"))
	if _, err := a4b.CreateUser(&alexaforbusiness.CreateUserInput{UserId: aws.String("ada"),
		Tags: []*alexaforbusiness.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}}); err != nil {
		t.Fatalf("CreateUser tagged blue: %v", err)
	}
}

package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/alexaforbusiness"
	"github.com/aws/aws-sdk-go/service/chime"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall"
)

func tokenRequest(tb testing.TB, m *testMain, form url.Values) (int, map[string]any) {
	tb.Helper()
	req, _ := http.NewRequest("POST", m.URL+"/auth/o2/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, body := mustDo(tb, req)
	var out map[string]any
	json.Unmarshal([]byte(body), &out)
	return resp.StatusCode, out
}

func businessCreate(tb testing.TB, m *testMain, token, email string) int {
	tb.Helper()
	body := `{"accountHolder":{"email":"` + email + `","givenName":"Ada","familyName":"Lovelace"},"region":"DE"}`
	resp, _ := mustDo(tb, businessCreateRequest(m.URL, token, body))
	return resp.StatusCode
}

func TestLoginWithAmazonTokens(t *testing.T) {
	dir := t.TempDir()
	m := MustRunMain(t, dir)
	grant := url.Values{"grant_type": {"client_credentials"}, "client_id": {rollcall.DevClientID}, "client_secret": {rollcall.DevClientSecret}, "scope": {"profile"}}
	status, out := tokenRequest(t, m, grant)
	token, _ := out["access_token"].(string)
	if status != 200 || !strings.HasPrefix(token, "Atza|") || out["token_type"] != "bearer" || out["expires_in"] != float64(3600) {
		t.Fatalf("client_credentials: %d %v", status, out)
	}
	if got := businessCreate(t, m, token, "lwa@example.com"); got != http.StatusCreated {
		t.Fatalf("the issued token: %d", got)
	}
	refresh := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rollcall.DevRefreshToken}, "client_id": {rollcall.DevClientID}, "client_secret": {rollcall.DevClientSecret}}
	status, out = tokenRequest(t, m, refresh)
	if status != 200 || out["refresh_token"] != rollcall.DevRefreshToken || businessCreate(t, m, out["access_token"].(string), "r@example.com") != 201 {
		t.Fatalf("refresh_token: %d %v", status, out)
	}
	for name, c := range map[string]struct {
		form   url.Values
		status int
		code   string
	}{
		"wrong secret":      {url.Values{"grant_type": {"client_credentials"}, "client_id": {rollcall.DevClientID}, "client_secret": {"nope"}}, 401, "invalid_client"},
		"unknown client":    {url.Values{"grant_type": {"client_credentials"}, "client_id": {"who"}, "client_secret": {"x"}}, 401, "invalid_client"},
		"no grant type":     {url.Values{"client_id": {rollcall.DevClientID}}, 400, "invalid_request"},
		"password grant":    {url.Values{"grant_type": {"password"}, "client_id": {rollcall.DevClientID}, "client_secret": {rollcall.DevClientSecret}}, 400, "unsupported_grant_type"},
		"bad refresh token": {url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"Atzr|forged"}, "client_id": {rollcall.DevClientID}, "client_secret": {rollcall.DevClientSecret}}, 400, "invalid_grant"},
		"access as refresh": {url.Values{"grant_type": {"refresh_token"}, "refresh_token": {token}, "client_id": {rollcall.DevClientID}, "client_secret": {rollcall.DevClientSecret}}, 400, "invalid_grant"},
	} {
		status, out := tokenRequest(t, m, c.form)
		if status != c.status || out["error"] != c.code || out["access_token"] != nil {
			t.Errorf("%s: %d %v, want %d %s", name, status, out, c.status, c.code)
		}
	}
	// A refresh token is not an access token.
	if got := businessCreate(t, m, rollcall.DevRefreshToken, "x@example.com"); got != http.StatusForbidden {
		t.Fatalf("refresh token used as access token: %d", got)
	}
	// Tokens and secrets are stored only as hashes: the database files never hold them.
	m.Close()
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		b, _ := os.ReadFile(f)
		for _, secret := range []string{token, rollcall.DevClientSecret, rollcall.DevRefreshToken, rollcall.DevAccessToken, testAdminToken} {
			if strings.Contains(string(b), secret) {
				t.Errorf("%s holds a token in clear", filepath.Base(f))
			}
		}
	}
}

func TestTemporaryCredentials(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	req, _ := http.NewRequest("POST", m.URL+"/_rollcall/credentials", strings.NewReader(`{"accountId":"000000000000","durationSeconds":900}`))
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, body := mustDo(t, req)
	var out struct {
		Credentials struct{ AccessKeyId, SecretAccessKey, SessionToken string }
	}
	if err := json.Unmarshal([]byte(body), &out); err != nil || resp.StatusCode != 201 || out.Credentials.SessionToken == "" {
		t.Fatalf("issue: %d %s", resp.StatusCode, body)
	}
	cr := out.Credentials
	// createAccount makes a Chime account with the temporary key and the session token.
	createAccount := func(token string) error {
		_, err := chime.New(tempSession(t, m.URL, cr.AccessKeyId, cr.SecretAccessKey, token)).CreateAccount(&chime.CreateAccountInput{Name: aws.String("temp")})
		return err
	}
	if err := createAccount(cr.SessionToken); err != nil {
		t.Fatalf("with the session token: %v", err)
	}
	if err := createAccount("wrong-token"); awsCode(err) != chime.ErrCodeUnauthorizedClientException {
		t.Fatalf("wrong session token: %v", err)
	}
	if err := createAccount(""); awsCode(err) != chime.ErrCodeUnauthorizedClientException {
		t.Fatalf("no session token: %v", err)
	}
	for _, secret := range []string{cr.SessionToken, cr.SecretAccessKey} {
		if strings.Contains(m.log.String(), secret) {
			t.Fatal("the log contains the temporary credentials")
		}
	}
	req, _ = http.NewRequest("POST", m.URL+"/_rollcall/credentials", strings.NewReader(`{"accountId":"999999999999"}`))
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	if resp, _ := mustDo(t, req); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown account: %d", resp.StatusCode)
	}
}

// TestNoDevDefaults: a deployment started with --no-dev-defaults turns off the default
// credentials a previous start created.
func TestNoDevDefaults(t *testing.T) {
	dir := t.TempDir()
	m := MustRunMain(t, dir)
	m.Close()
	m = MustRunMain(t, dir, "--no-dev-defaults")
	_, err := devChime(t, m).ListAccounts(&chime.ListAccountsInput{})
	if awsCode(err) != chime.ErrCodeUnauthorizedClientException {
		t.Fatalf("key test/test after --no-dev-defaults: %v", err)
	}
	if got := businessCreate(t, m, rollcall.DevAccessToken, "x@example.com"); got != http.StatusForbidden {
		t.Fatalf("dev token after --no-dev-defaults: %d", got)
	}
	status, _ := tokenRequest(t, m, url.Values{"grant_type": {"client_credentials"}, "client_id": {rollcall.DevClientID}, "client_secret": {rollcall.DevClientSecret}})
	if status != http.StatusUnauthorized {
		t.Fatalf("dev login client after --no-dev-defaults: %d", status)
	}
}

const isolationSeed = `{"accounts":[{"id":"222233334444","accessKeys":[{"id":"AKIAOTHER","secret":"other-secret"}],
 "workDocsOrganizations":[{"id":"d-2222222222"}]}],
 "businesses":[{"id":"other-business","groups":[{"id":"other-group","tag":"purchasing"}],"defaultGroup":"other-group","defaultRole":"Finance","accessTokens":["Atza|other"]}]}`

// TestTenantIsolation: a second tenant's credentials reach nothing of the first's, on any
// face, and the first tenant's data is unchanged.
func TestTenantIsolation(t *testing.T) {
	dir := t.TempDir()
	seed := filepath.Join(dir, "seed.json")
	os.WriteFile(seed, []byte(isolationSeed), 0o600)
	m := MustRunMain(t, dir, "--init", seed)
	mine, theirs := sdkSession(t, m.URL, "test", "test"), sdkSession(t, m.URL, "AKIAOTHER", "other-secret")

	acct := mustChimeAccount(t, chime.New(mine), "Mine")
	id := acct.AccountId
	if _, err := chime.New(theirs).CreateUser(&chime.CreateUserInput{AccountId: id, Email: aws.String("x@example.com")}); awsCode(err) != chime.ErrCodeNotFoundException {
		t.Errorf("chime CreateUser in another tenant's account: %v", err)
	}
	if _, err := chime.New(theirs).GetAccount(&chime.GetAccountInput{AccountId: id}); awsCode(err) != chime.ErrCodeNotFoundException {
		t.Errorf("chime GetAccount of another tenant: %v", err)
	}
	if _, err := chime.New(theirs).DeleteAccount(&chime.DeleteAccountInput{AccountId: id}); awsCode(err) != chime.ErrCodeNotFoundException {
		t.Errorf("chime DeleteAccount of another tenant: %v", err)
	}
	list, _ := chime.New(theirs).ListAccounts(&chime.ListAccountsInput{})
	if len(list.Accounts) != 0 {
		t.Errorf("another tenant lists %d of my accounts", len(list.Accounts))
	}
	_, err := workdocs.New(theirs).CreateUser(&workdocs.CreateUserInput{OrganizationId: aws.String(rollcall.DevOrganizationID), Username: aws.String("mallory"),
		GivenName: aws.String("M"), Surname: aws.String("M"), Password: aws.String("pw-12345")})
	if awsCode(err) != workdocs.ErrCodeUnauthorizedResourceAccessException {
		t.Errorf("workdocs CreateUser in another tenant's organization: %v", err)
	}
	// The same UserId in two accounts are two users.
	a, err1 := alexaforbusiness.New(mine).CreateUser(&alexaforbusiness.CreateUserInput{UserId: aws.String("same")})
	b, err2 := alexaforbusiness.New(theirs).CreateUser(&alexaforbusiness.CreateUserInput{UserId: aws.String("same")})
	if err1 != nil || err2 != nil || aws.StringValue(a.UserArn) == aws.StringValue(b.UserArn) || !strings.Contains(aws.StringValue(b.UserArn), ":222233334444:") {
		t.Errorf("a4b per-account UserIds: %v %v %v %v", a, err1, b, err2)
	}
	// Amazon Business: another business's group is not found.
	body := `{"accountHolder":{"email":"m@example.com","givenName":"M","familyName":"M"},"region":"US","groupId":{"idType":"GroupId","id":"dev-group"}}`
	if resp, body := mustDo(t, businessCreateRequest(m.URL, "Atza|other", body)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("business group of another business: %d %s", resp.StatusCode, body)
	}
	// Mine is unchanged.
	if _, err := chime.New(mine).GetAccount(&chime.GetAccountInput{AccountId: id}); err != nil {
		t.Errorf("my account after the other tenant's attempts: %v", err)
	}
}

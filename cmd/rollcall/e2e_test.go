package main

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	awsv2 "github.com/aws/aws-sdk-go-v2/aws"
	credsv2 "github.com/aws/aws-sdk-go-v2/credentials"
	chimev2 "github.com/aws/aws-sdk-go-v2/service/chime"
	chimev2types "github.com/aws/aws-sdk-go-v2/service/chime/types"
	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/alexaforbusiness"
	"github.com/aws/aws-sdk-go/service/chime"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/facetest"
)

// awsCode is the error code of an SDK v1 client's error ("" for none).
func awsCode(err error) string { return facetest.SDKErrorOf(err).Code }

// TestEndToEnd drives every face with its official client, restarts rollcall on the same
// data directory, and checks that everything is still there.
func TestEndToEnd(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	m := MustRunMain(t, dir)
	sess := sdkSession(t, m.URL, "test", "test")

	// Chime, SDK v1.
	ch := chime.New(sess)
	acct := mustChimeAccount(t, ch, "Demo")
	accountID := aws.StringValue(acct.AccountId)
	cu, err := ch.CreateUser(&chime.CreateUserInput{AccountId: aws.String(accountID), Email: aws.String("ada@example.com"), UserType: aws.String("PrivateUser")})
	if err != nil {
		t.Fatalf("chime CreateUser: %v", err)
	}
	if u := cu.User; aws.StringValue(u.PrimaryEmail) != "ada@example.com" || aws.StringValue(u.AccountId) != accountID ||
		aws.StringValue(u.UserId) == "" || aws.StringValue(u.LicenseType) != "Pro" || aws.StringValue(u.UserType) != "PrivateUser" {
		t.Fatalf("chime user = %v", u)
	}
	_, err = ch.CreateUser(&chime.CreateUserInput{AccountId: aws.String(accountID), Email: aws.String("ADA@example.com")})
	if awsCode(err) != chime.ErrCodeConflictException {
		t.Fatalf("duplicate chime email: err = %v, want ConflictException", err)
	}

	// Chime, SDK v2: typed errors.
	chv2 := chimev2.New(chimev2.Options{
		Region:       "us-east-1",
		BaseEndpoint: awsv2.String(m.URL),
		Credentials:  credsv2.NewStaticCredentialsProvider("test", "test", ""),
	})
	v2u, err := chv2.CreateUser(ctx, &chimev2.CreateUserInput{AccountId: awsv2.String(accountID), Email: awsv2.String("grace@example.com"), UserType: chimev2types.UserTypeSharedDevice})
	if err != nil {
		t.Fatalf("chime v2 CreateUser: %v", err)
	}
	if v2u.User.UserRegistrationStatus != chimev2types.RegistrationStatusRegistered || v2u.User.RegisteredOn == nil {
		t.Fatalf("a shared device is registered at once: %+v", v2u.User)
	}
	_, err = chv2.CreateUser(ctx, &chimev2.CreateUserInput{AccountId: awsv2.String("no-such-account"), Email: awsv2.String("x@example.com")})
	var nf *chimev2types.NotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("unknown account: err = %v, want *types.NotFoundException", err)
	}

	// WorkDocs.
	wd := workdocs.New(sess)
	wu, err := wd.CreateUser(&workdocs.CreateUserInput{
		OrganizationId: aws.String(rollcall.DevOrganizationID), Username: aws.String("ada"),
		GivenName: aws.String("Ada"), Surname: aws.String("Lovelace"), Password: aws.String("correct-horse-1"),
		EmailAddress: aws.String("ada@example.com"),
	})
	if err != nil {
		t.Fatalf("workdocs CreateUser: %v", err)
	}
	if u := wu.User; aws.StringValue(u.Status) != "ACTIVE" || aws.StringValue(u.RootFolderId) == "" || aws.StringValue(u.RecycleBinFolderId) == "" ||
		u.CreatedTimestamp == nil || u.Storage == nil || u.Storage.StorageRule == nil {
		t.Fatalf("workdocs user = %v", u)
	}
	_, err = wd.CreateUser(&workdocs.CreateUserInput{OrganizationId: aws.String(rollcall.DevOrganizationID), Username: aws.String("ADA"),
		GivenName: aws.String("A"), Surname: aws.String("L"), Password: aws.String("pw-1234")})
	if awsCode(err) != workdocs.ErrCodeEntityAlreadyExistsException {
		t.Fatalf("duplicate workdocs username: err = %v", err)
	}

	// Alexa for Business: idempotent retry.
	a4b := alexaforbusiness.New(sess)
	in := &alexaforbusiness.CreateUserInput{UserId: aws.String("ada"), FirstName: aws.String("Ada"), ClientRequestToken: aws.String("token-0000000001")}
	first, err := a4b.CreateUser(in)
	if err != nil {
		t.Fatalf("a4b CreateUser: %v", err)
	}
	again, err := a4b.CreateUser(in)
	if err != nil || aws.StringValue(again.UserArn) != aws.StringValue(first.UserArn) {
		t.Fatalf("a4b retry: %v, %v; want the same ARN %v", again, err, first.UserArn)
	}
	if !strings.HasPrefix(aws.StringValue(first.UserArn), "arn:aws:a4b:us-east-1:000000000000:user/") {
		t.Fatalf("UserArn = %s", aws.StringValue(first.UserArn))
	}

	// Amazon Business.
	resp, got := mustDo(t, businessCreateRequest(m.URL, rollcall.DevAccessToken, holderBody("ada@example.com")))
	if resp.StatusCode != http.StatusCreated || strings.TrimSpace(got) != "{}" || resp.Header.Get("x-amzn-RateLimit-Limit") == "" || resp.Header.Get("x-amzn-RequestId") == "" {
		t.Fatalf("createBusinessUserAccount: %d %v %s", resp.StatusCode, resp.Header, got)
	}
	msgs := adminMessages(t, m)
	if len(msgs) != 1 || msgs[0].To != "ada@example.com" || !strings.Contains(msgs[0].TextBody, m.URL+"/invitations/") {
		t.Fatalf("outbox = %+v, want one invitation to ada@example.com with a link", msgs)
	}

	// Restart on the same data directory: everything is still there.
	m.Close()
	m = MustRunMain(t, dir)
	sess = sdkSession(t, m.URL, "test", "test")
	if _, err := chime.New(sess).GetAccount(&chime.GetAccountInput{AccountId: aws.String(accountID)}); err != nil {
		t.Fatalf("after restart, GetAccount: %v", err)
	}
	_, err = chime.New(sess).CreateUser(&chime.CreateUserInput{AccountId: aws.String(accountID), Email: aws.String("ada@example.com")})
	if awsCode(err) != chime.ErrCodeConflictException {
		t.Fatalf("after restart the chime user is gone: %v", err)
	}
	_, err = workdocs.New(sess).CreateUser(&workdocs.CreateUserInput{OrganizationId: aws.String(rollcall.DevOrganizationID), Username: aws.String("ada"),
		GivenName: aws.String("A"), Surname: aws.String("L"), Password: aws.String("pw-1234")})
	if awsCode(err) != workdocs.ErrCodeEntityAlreadyExistsException {
		t.Fatalf("after restart the workdocs user is gone: %v", err)
	}
	again, err = alexaforbusiness.New(sess).CreateUser(in)
	if err != nil || aws.StringValue(again.UserArn) != aws.StringValue(first.UserArn) {
		t.Fatalf("after restart the a4b retry: %v, %v", again, err)
	}
	if msgs := adminMessages(t, m); len(msgs) != 1 {
		t.Fatalf("after restart the outbox has %d messages, want 1", len(msgs))
	}
}

type adminMessage struct {
	To       string `json:"to"`
	Subject  string `json:"subject"`
	TextBody string `json:"textBody"`
	Status   string `json:"status"`
}

func adminMessages(tb testing.TB, m *testMain) []adminMessage {
	tb.Helper()
	req, _ := http.NewRequest("GET", m.URL+"/_rollcall/messages", nil)
	req.Header.Set("Authorization", "Bearer "+testAdminToken)
	resp, body := mustDo(tb, req)
	if resp.StatusCode != http.StatusOK {
		tb.Fatalf("admin messages: %d %s", resp.StatusCode, body)
	}
	var out struct{ Messages []adminMessage }
	if err := json.Unmarshal([]byte(body), &out); err != nil {
		tb.Fatal(err)
	}
	return out.Messages
}

// TestWrongSecret: an SDK configured with the wrong secret gets each face's auth error.
func TestWrongSecret(t *testing.T) {
	m := MustRunMain(t, t.TempDir())
	sess := sdkSession(t, m.URL, "test", "not-the-secret")
	_, err := chime.New(sess).CreateAccount(&chime.CreateAccountInput{Name: aws.String("x")})
	if awsCode(err) != chime.ErrCodeForbiddenException {
		t.Errorf("chime: %v, want ForbiddenException", err)
	}
	_, err = workdocs.New(sess).CreateUser(&workdocs.CreateUserInput{Username: aws.String("x"), GivenName: aws.String("x"), Surname: aws.String("x"), Password: aws.String("xxxx")})
	if awsCode(err) != workdocs.ErrCodeUnauthorizedOperationException {
		t.Errorf("workdocs: %v, want UnauthorizedOperationException", err)
	}
	_, err = alexaforbusiness.New(sess).CreateUser(&alexaforbusiness.CreateUserInput{UserId: aws.String("x")})
	if awsCode(err) != "InvalidSignatureException" {
		t.Errorf("a4b: %v, want InvalidSignatureException", err)
	}
	if strings.Contains(m.log.String(), "not-the-secret") {
		t.Error("the log contains the secret")
	}
}

package chime_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	awsv2 "github.com/aws/aws-sdk-go-v2/aws"
	credsv2 "github.com/aws/aws-sdk-go-v2/credentials"
	chimev2 "github.com/aws/aws-sdk-go-v2/service/chime"
	"github.com/aws/aws-sdk-go-v2/service/chime/types"
	"github.com/aws/aws-sdk-go/aws"
	chimev1 "github.com/aws/aws-sdk-go/service/chime"

	"github.com/rollcall/rollcall/face/facetest"
)

// code and status are the error code and HTTP status of an SDK client's error.
func code(err error) string { return facetest.SDKErrorOf(err).Code }
func status(err error) int  { return facetest.SDKErrorOf(err).Status }

func TestCreateUserSDKv1(t *testing.T) {
	h := MustHarness(t)
	account := h.MustAccount(t)
	c := h.client(t, "test", "test")
	before := time.Now().Add(-time.Second)
	out, err := c.CreateUser(&chimev1.CreateUserInput{AccountId: aws.String(account), Email: aws.String("roomdevice@example.com"),
		Username: aws.String("room device"), UserType: aws.String("SharedDevice")})
	if err != nil {
		t.Fatal(err)
	}
	u := out.User
	if aws.StringValue(u.AccountId) != account || aws.StringValue(u.UserId) == "" || aws.StringValue(u.PrimaryEmail) != "roomdevice@example.com" ||
		aws.StringValue(u.DisplayName) != "room device" || aws.StringValue(u.LicenseType) != "Pro" || aws.StringValue(u.UserType) != "SharedDevice" ||
		aws.StringValue(u.UserRegistrationStatus) != "Registered" || u.RegisteredOn == nil || u.RegisteredOn.Before(before) ||
		u.AlexaForBusinessMetadata == nil || aws.BoolValue(u.AlexaForBusinessMetadata.IsAlexaForBusinessEnabled) || u.InvitedOn != nil {
		t.Fatalf("user = %v", u)
	}
	private, err := c.CreateUser(&chimev1.CreateUserInput{AccountId: aws.String(account), Email: aws.String("ada@example.com")})
	if err != nil {
		t.Fatal(err)
	}
	if p := private.User; aws.StringValue(p.UserType) != "PrivateUser" || aws.StringValue(p.UserRegistrationStatus) != "Unregistered" || p.RegisteredOn != nil ||
		aws.StringValue(p.DisplayName) != "ada" {
		t.Fatalf("private user = %v", p)
	}
	_, err = c.CreateUser(&chimev1.CreateUserInput{AccountId: aws.String(account), Email: aws.String("Ada@Example.com")})
	if code(err) != chimev1.ErrCodeConflictException || status(err) != http.StatusConflict {
		t.Fatalf("duplicate email: %v", err)
	}
	_, err = c.CreateUser(&chimev1.CreateUserInput{AccountId: aws.String("00000000-0000-4000-8000-000000000000"), Email: aws.String("x@example.com")})
	if code(err) != chimev1.ErrCodeNotFoundException || status(err) != http.StatusNotFound {
		t.Fatalf("unknown account: %v", err)
	}
	if n := h.countUsers(t, account); n != 2 {
		t.Fatalf("%d users, want 2", n)
	}
}

func TestCreateUserSDKv2(t *testing.T) {
	h := MustHarness(t)
	account := h.MustAccount(t)
	client := func(key, secret string) *chimev2.Client {
		return chimev2.New(chimev2.Options{Region: "us-east-1", BaseEndpoint: awsv2.String(h.srv.URL),
			Credentials: credsv2.NewStaticCredentialsProvider(key, secret, ""), RetryMaxAttempts: 1})
	}
	c := client("test", "test")
	ctx := context.Background()
	out, err := c.CreateUser(ctx, &chimev2.CreateUserInput{AccountId: awsv2.String(account), Email: awsv2.String("ada@example.com"), UserType: types.UserTypePrivateUser})
	if err != nil {
		t.Fatal(err)
	}
	if out.User.UserRegistrationStatus != types.RegistrationStatusUnregistered || out.User.LicenseType != types.LicensePro || awsv2.ToString(out.User.UserId) == "" {
		t.Fatalf("user = %+v", out.User)
	}
	_, err = c.CreateUser(ctx, &chimev2.CreateUserInput{AccountId: awsv2.String(account), Email: awsv2.String("ada@example.com")})
	var conflict *types.ConflictException
	if !errors.As(err, &conflict) || conflict.Code != types.ErrorCodeConflict {
		t.Fatalf("duplicate: %v, want *types.ConflictException with Code Conflict", err)
	}
	_, err = c.CreateUser(ctx, &chimev2.CreateUserInput{AccountId: awsv2.String(account), Email: awsv2.String("not-an-email")})
	var bad *types.BadRequestException
	if !errors.As(err, &bad) {
		t.Fatalf("bad email: %v, want *types.BadRequestException", err)
	}
	_, err = client("test", "wrong").GetAccount(ctx, &chimev2.GetAccountInput{AccountId: awsv2.String(account)})
	var forbidden *types.ForbiddenException
	if !errors.As(err, &forbidden) {
		t.Fatalf("wrong secret: %v, want *types.ForbiddenException", err)
	}
	_, err = client("AKIANOBODY", "x").GetAccount(ctx, &chimev2.GetAccountInput{AccountId: awsv2.String(account)})
	var unauthorized *types.UnauthorizedClientException
	if !errors.As(err, &unauthorized) {
		t.Fatalf("unknown key: %v, want *types.UnauthorizedClientException", err)
	}
}

// TestConstraints: for each constraint, the boundary accepted and one past it rejected
// with Chime's exact error, creating nothing.
func TestConstraints(t *testing.T) {
	h := MustHarness(t)
	account := h.MustAccount(t)
	path := "/accounts/" + account + "/users?operation=create"
	ok := []string{
		`{"Email":"a@b.c"}`,
		`{"Email":"x@example.com","UserType":"PrivateUser"}`,
		`{"Email":"y@example.com","UserType":"SharedDevice"}`,
		`{"Username":"no email at all"}`,
		`{}`,
		`{"Username":"` + strings.Repeat("é", 100) + `"}`, // Username: at most 100 characters (the model's UserName shape)
	}
	for _, body := range ok {
		if r := h.do(t, "POST", path, []byte(body)); r.status != http.StatusCreated {
			t.Fatalf("%s: %d %s", body, r.status, r.raw)
		}
	}
	before := h.countUsers(t, account)
	bad := []struct{ body, message string }{
		{`{"Email":"a@b"}`, "1 validation error detected: Value at 'email' failed to satisfy constraint: Member must satisfy regular expression pattern: .+@.+\\..+"},
		{`{"Email":"@b.c"}`, "1 validation error detected: Value at 'email' failed to satisfy constraint: Member must satisfy regular expression pattern: .+@.+\\..+"},
		{`{"Email":"z@example.com","UserType":"privateuser"}`, "1 validation error detected: Value 'privateuser' at 'userType' failed to satisfy constraint: Member must satisfy enum value set: [PrivateUser, SharedDevice]"},
		{`{"Email":"z@example.com","UserType":""}`, "1 validation error detected: Value '' at 'userType' failed to satisfy constraint: Member must satisfy enum value set: [PrivateUser, SharedDevice]"},
		{`{"Email":"z","UserType":"Robot"}`, ""},
		{`{"Email":1}`, "Invalid type for 'Email': expected a string, found a number."},
		{`{"Email":"z@example.com","Email":"w@example.com"}`, ""},
		{`{"Email":"z@example.com"`, ""},
		{"{\"Email\":\"z\xff@example.com\"}", ""},
		{`[]`, ""},
		// One character too many; the message does not echo the value.
		{`{"Username":"` + strings.Repeat("x", 101) + `"}`, "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 100"},
	}
	for _, c := range bad {
		r := h.do(t, "POST", path, []byte(c.body))
		r.wantError(t, http.StatusBadRequest, "BadRequestException", "BadRequest", c.message)
	}
	// A member name in the wrong case is not the member: the user is created without it.
	if r := h.do(t, "POST", path, []byte(`{"email":"lower@example.com"}`)); r.status != http.StatusCreated || r.body["User"].(map[string]any)["PrimaryEmail"] != nil {
		t.Fatalf("lower-case member: %d %s", r.status, r.raw)
	}
	before++
	h.do(t, "POST", path, []byte(`{"Email":"`+strings.Repeat("a", 1<<20)+`@example.com"}`)).wantError(t, http.StatusBadRequest, "BadRequestException", "BadRequest", "")
	if n := h.countUsers(t, account); n != before {
		t.Fatalf("rejected requests created users: %d, want %d", n, before)
	}
	// accountId: .*\S.*
	h.do(t, "POST", "/accounts/%20/users?operation=create", []byte(`{}`)).wantError(t, http.StatusBadRequest, "BadRequestException", "BadRequest",
		"1 validation error detected: Value ' ' at 'accountId' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\S.*")
	h.do(t, "POST", "/accounts/x/users?operation=delete", []byte(`{}`)).wantError(t, http.StatusNotFound, "NotFoundException", "NotFound", "")
}

func TestAccountName(t *testing.T) {
	h := MustHarness(t)
	for name, want := range map[string]int{"a": 201, strings.Repeat("n", 100): 201, strings.Repeat("n", 101): 400, "": 400, "   ": 400} {
		body := `{"Name":"` + name + `"}`
		if r := h.do(t, "POST", "/accounts", []byte(body)); r.status != want {
			t.Errorf("name of %d characters %q: %d %s, want %d", len(name), name[:min(len(name), 5)], r.status, r.raw, want)
		}
	}
	h.do(t, "POST", "/accounts", []byte(`{}`)).wantError(t, 400, "BadRequestException", "BadRequest",
		"1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null")
}

func TestAccountsAndIsolation(t *testing.T) {
	h := MustHarness(t)
	mine := h.client(t, "test", "test")
	other := h.client(t, otherKey, otherSecret)
	var ids []string
	for range 5 {
		out, err := mine.CreateAccount(&chimev1.CreateAccountInput{Name: aws.String("Team")})
		if err != nil {
			t.Fatal(err)
		}
		if a := out.Account; aws.StringValue(a.AwsAccountId) != "000000000000" || aws.StringValue(a.AccountType) != "Team" ||
			aws.StringValue(a.AccountStatus) != "Active" || a.CreatedTimestamp == nil || len(a.SupportedLicenses) == 0 {
			t.Fatalf("account = %v", a)
		}
		ids = append(ids, aws.StringValue(out.Account.AccountId))
	}
	theirs, err := other.CreateAccount(&chimev1.CreateAccountInput{Name: aws.String("Theirs")})
	if err != nil {
		t.Fatal(err)
	}
	// Pages of 2: every account exactly once, and none of the other tenant's.
	seen := map[string]int{}
	var token *string
	for pages := 0; ; pages++ {
		out, err := mine.ListAccounts(&chimev1.ListAccountsInput{MaxResults: aws.Int64(2), NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range out.Accounts {
			seen[aws.StringValue(a.AccountId)]++
		}
		if token = out.NextToken; token == nil {
			break
		}
		if pages > 5 {
			t.Fatal("pagination does not end")
		}
	}
	// The five, and the two the harness's seed declares.
	if len(seen) != 5+2 || seen[aws.StringValue(theirs.Account.AccountId)] != 0 || seen[lwaAccount] != 1 {
		t.Fatalf("listed %v", seen)
	}
	// A token is bound to its tenant and cannot be forged.
	first, _ := mine.ListAccounts(&chimev1.ListAccountsInput{MaxResults: aws.Int64(1)})
	if _, err := other.ListAccounts(&chimev1.ListAccountsInput{NextToken: first.NextToken}); code(err) != chimev1.ErrCodeBadRequestException {
		t.Fatalf("foreign token: %v", err)
	}
	if _, err := mine.ListAccounts(&chimev1.ListAccountsInput{NextToken: aws.String("Zm9v.YmFy")}); code(err) != chimev1.ErrCodeBadRequestException {
		t.Fatalf("forged token: %v", err)
	}
	if _, err := mine.ListAccounts(&chimev1.ListAccountsInput{MaxResults: aws.Int64(201)}); code(err) != chimev1.ErrCodeBadRequestException {
		t.Fatalf("max-results 201: %v", err)
	}
	// Another tenant's account is not found, for reading, creating users and deleting.
	if _, err := other.GetAccount(&chimev1.GetAccountInput{AccountId: aws.String(ids[0])}); code(err) != chimev1.ErrCodeNotFoundException {
		t.Fatalf("other tenant GetAccount: %v", err)
	}
	if _, err := other.CreateUser(&chimev1.CreateUserInput{AccountId: aws.String(ids[0]), Email: aws.String("x@example.com")}); code(err) != chimev1.ErrCodeNotFoundException {
		t.Fatalf("other tenant CreateUser: %v", err)
	}
	if _, err := other.DeleteAccount(&chimev1.DeleteAccountInput{AccountId: aws.String(ids[0])}); code(err) != chimev1.ErrCodeNotFoundException {
		t.Fatalf("other tenant DeleteAccount: %v", err)
	}
	if _, err := mine.GetAccount(&chimev1.GetAccountInput{AccountId: aws.String(ids[0])}); err != nil {
		t.Fatalf("the account is gone after the other tenant's attempts: %v", err)
	}
	if _, err := mine.DeleteAccount(&chimev1.DeleteAccountInput{AccountId: aws.String(ids[0])}); err != nil {
		t.Fatal(err)
	}
	if _, err := mine.GetAccount(&chimev1.GetAccountInput{AccountId: aws.String(ids[0])}); code(err) != chimev1.ErrCodeNotFoundException {
		t.Fatalf("deleted account: %v", err)
	}
	named, err := mine.ListAccounts(&chimev1.ListAccountsInput{Name: aws.String("Team")})
	if err != nil || len(named.Accounts) != 4 {
		t.Fatalf("by name: %v %v", named, err)
	}
}

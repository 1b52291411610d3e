package workdocs_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/facetest"
	workdocssvc "github.com/rollcall/rollcall/workdocs"
)

const (
	patUsername = `[\w\-+.]+(@[a-zA-Z0-9.\-]+\.[a-zA-Z]+)?`
	patEmail    = `[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}`
	patOrg      = `[&\w+-.@]+`
	patPassword = `[\u0020-\u00FF]+`
	enumStorage = "Member must satisfy enum value set: [UNLIMITED, QUOTA]"
)

// TestCreateUserConstraints sends each constraint's boundary value (accepted: 201) and the
// value one past it (400 ValidationException with the exact message), through raw signed
// requests (the SDK would refuse some of these before sending).
func TestCreateUserConstraints(t *testing.T) {
	h := MustHarness(t)
	// Organizations whose IDs sit on OrganizationId's boundaries, owned by the dev account.
	long := "d-" + strings.Repeat("0", 254)
	for _, id := range []string{long, "&+,-.@_x9", "o"} {
		if _, err := h.WorkDocs.CreateOrganization(context.Background(), rollcall.Caller{TenantID: rollcall.DevAccountID},
			workdocssvc.CreateOrganizationInput{ID: id}); err != nil {
			t.Fatal(err)
		}
	}
	emoji := "\U0001F600" // two UTF-16 code units
	n := 0
	cases := []struct {
		name   string
		member string // a top-level member, or StorageRule.<member>
		value  any    // nil: remove the member
		want   string // "" = accepted
	}{
		{"OrganizationId 256", "OrganizationId", long, ""},
		{"OrganizationId 257", "OrganizationId", long + "0", facetest.Detected(facetest.Failure(long+"0", "organizationId", facetest.MaxLen(256)))},
		{"OrganizationId 1", "OrganizationId", "o", ""},
		{"OrganizationId empty", "OrganizationId", "", facetest.Detected(facetest.Failure("", "organizationId", facetest.MinLen(1)), facetest.Failure("", "organizationId", facetest.Pattern(patOrg)))},
		{"OrganizationId pattern", "OrganizationId", "&+,-.@_x9", ""},
		{"OrganizationId off pattern", "OrganizationId", "d/0", facetest.Detected(facetest.Failure("d/0", "organizationId", facetest.Pattern(patOrg)))},

		{"Username 256", "Username", strings.Repeat("u", 256), ""},
		{"Username 257", "Username", strings.Repeat("u", 257), facetest.Detected(facetest.Hidden("username", facetest.MaxLen(256)))},
		{"Username 1", "Username", "u", ""},
		{"Username empty", "Username", "", facetest.Detected(facetest.Hidden("username", facetest.MinLen(1)), facetest.Hidden("username", facetest.Pattern(patUsername)))},
		{"Username missing", "Username", nil, facetest.Detected(facetest.Null("username"))},
		{"Username with domain", "Username", "ada_1-x+y.z@corp-1.example.io", ""},
		{"Username domain without TLD", "Username", "ada@example", facetest.Detected(facetest.Hidden("username", facetest.Pattern(patUsername)))},
		{"Username digit TLD", "Username", "ada@example.c0", facetest.Detected(facetest.Hidden("username", facetest.Pattern(patUsername)))},
		{"Username space", "Username", "ada lovelace", facetest.Detected(facetest.Hidden("username", facetest.Pattern(patUsername)))},
		{"Username non-ASCII", "Username", "adé", facetest.Detected(facetest.Hidden("username", facetest.Pattern(patUsername)))},

		{"EmailAddress 256", "EmailAddress", strings.Repeat("e", 244) + "@example.com", ""},
		{"EmailAddress 257", "EmailAddress", strings.Repeat("e", 245) + "@example.com", facetest.Detected(facetest.Hidden("emailAddress", facetest.MaxLen(256)))},
		{"EmailAddress empty", "EmailAddress", "", facetest.Detected(facetest.Hidden("emailAddress", facetest.MinLen(1)), facetest.Hidden("emailAddress", facetest.Pattern(patEmail)))},
		{"EmailAddress TLD 2", "EmailAddress", "a.b_c%d+e-f@x-y.io", ""},
		{"EmailAddress TLD 1", "EmailAddress", "a@x.i", facetest.Detected(facetest.Hidden("emailAddress", facetest.Pattern(patEmail)))},
		{"EmailAddress no at", "EmailAddress", "ada.example.com", facetest.Detected(facetest.Hidden("emailAddress", facetest.Pattern(patEmail)))},

		{"GivenName 64", "GivenName", strings.Repeat("g", 64), ""},
		{"GivenName 65", "GivenName", strings.Repeat("g", 65), facetest.Detected(facetest.Hidden("givenName", facetest.MaxLen(64)))},
		{"GivenName 64 UTF-16 units", "GivenName", strings.Repeat(emoji, 32), ""},
		{"GivenName 66 UTF-16 units", "GivenName", strings.Repeat(emoji, 33), facetest.Detected(facetest.Hidden("givenName", facetest.MaxLen(64)))},
		{"GivenName 64 two-byte runes", "GivenName", strings.Repeat("é", 64), ""},
		{"GivenName 1", "GivenName", "g", ""},
		{"GivenName empty", "GivenName", "", facetest.Detected(facetest.Hidden("givenName", facetest.MinLen(1)))},
		{"GivenName missing", "GivenName", nil, facetest.Detected(facetest.Null("givenName"))},

		{"Surname 64", "Surname", strings.Repeat("s", 64), ""},
		{"Surname 65", "Surname", strings.Repeat("s", 65), facetest.Detected(facetest.Hidden("surname", facetest.MaxLen(64)))},
		{"Surname 1", "Surname", "s", ""},
		{"Surname empty", "Surname", "", facetest.Detected(facetest.Hidden("surname", facetest.MinLen(1)))},
		{"Surname missing", "Surname", nil, facetest.Detected(facetest.Null("surname"))},

		{"Password 4", "Password", "pass", ""},
		{"Password 3", "Password", "pas", facetest.Detected(facetest.Hidden("password", facetest.MinLen(4)))},
		{"Password 32", "Password", strings.Repeat("p", 32), ""},
		{"Password 33", "Password", strings.Repeat("p", 33), facetest.Detected(facetest.Hidden("password", facetest.MaxLen(32)))},
		{"Password missing", "Password", nil, facetest.Detected(facetest.Null("password"))},
		{"Password spaces", "Password", "    ", ""},
		{"Password U+00FF", "Password", "pass\u00ff~ !", ""},
		{"Password U+0100", "Password", "pass\u0100", facetest.Detected(facetest.Hidden("password", facetest.Pattern(patPassword)))},
		{"Password tab", "Password", "pass\tword", facetest.Detected(facetest.Hidden("password", facetest.Pattern(patPassword)))},
		{"Password U+001F", "Password", "pass\u001fword", facetest.Detected(facetest.Hidden("password", facetest.Pattern(patPassword)))},
		{"Password empty", "Password", "", facetest.Detected(facetest.Hidden("password", facetest.MinLen(4)), facetest.Hidden("password", facetest.Pattern(patPassword)))},

		{"TimeZoneId 256", "TimeZoneId", strings.Repeat("t", 256), ""},
		{"TimeZoneId 257", "TimeZoneId", strings.Repeat("t", 257), facetest.Detected(facetest.Failure(strings.Repeat("t", 257), "timeZoneId", facetest.MaxLen(256)))},
		{"TimeZoneId 1", "TimeZoneId", "Z", ""},
		{"TimeZoneId empty", "TimeZoneId", "", facetest.Detected(facetest.Failure("", "timeZoneId", facetest.MinLen(1)))},

		{"StorageAllocatedInBytes 0", "StorageRule.StorageAllocatedInBytes", 0, ""},
		{"StorageAllocatedInBytes -1", "StorageRule.StorageAllocatedInBytes", -1,
			facetest.Detected(facetest.Failure("-1", "storageRule.storageAllocatedInBytes", "Member must have value greater than or equal to 0"))},
		{"StorageAllocatedInBytes max", "StorageRule.StorageAllocatedInBytes", int64(1<<63 - 1), ""},
		{"StorageType QUOTA", "StorageRule.StorageType", "QUOTA", ""},
		{"StorageType UNLIMITED", "StorageRule.StorageType", "UNLIMITED", ""},
		{"StorageType lower case", "StorageRule.StorageType", "quota", facetest.Detected(facetest.Failure("quota", "storageRule.storageType", enumStorage))},
		{"StorageType empty", "StorageRule.StorageType", "", facetest.Detected(facetest.Failure("", "storageRule.storageType", enumStorage))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			n++
			body := validUser("c" + strings.Repeat("x", n)) // a fresh username each time
			set(body, tc.member, tc.value)
			username, _ := body["Username"].(string)
			if tc.member == "Username" && tc.value != nil {
				username = tc.value.(string)
			}
			org, _ := body["OrganizationId"].(string)
			before := len(h.MustUsers(t, org))
			rp := h.MustDo(t, facetest.JSONBody(t, body))
			if tc.want == "" {
				u := rp.MustCreated(t)
				if u["Username"] != username || u["OrganizationId"] != org {
					t.Errorf("created %v", u)
				}
				return
			}
			rp.MustError(t, http.StatusBadRequest, "ValidationException", tc.want)
			if after := len(h.MustUsers(t, org)); after != before {
				t.Errorf("a rejected request created a user (%d -> %d)", before, after)
			}
		})
	}
}

func set(body map[string]any, member string, v any) {
	if parent, child, nested := strings.Cut(member, "."); nested {
		rule := map[string]any{}
		for k, v := range body[parent].(map[string]any) {
			rule[k] = v
		}
		body[parent] = rule
		body, member = rule, child
	}
	if v == nil {
		delete(body, member)
		return
	}
	body[member] = v
}

// TestCreateUserRequiredAll: every required member missing, reported in the model's
// member order.
func TestCreateUserRequiredAll(t *testing.T) {
	h := MustHarness(t)
	h.MustDo(t, `{}`).MustError(t, 400, "ValidationException",
		facetest.Detected(facetest.Null("username"), facetest.Null("givenName"), facetest.Null("surname"), facetest.Null("password")))
	h.MustDo(t, `{"OrganizationId":"","Password":"x","StorageRule":{"StorageAllocatedInBytes":-5,"StorageType":"BIG"}}`).MustError(t, 400, "ValidationException",
		facetest.Detected(facetest.Failure("", "organizationId", facetest.MinLen(1)), facetest.Failure("", "organizationId", facetest.Pattern(patOrg)), facetest.Null("username"), facetest.Null("givenName"), facetest.Null("surname"), facetest.Hidden("password", facetest.MinLen(4)), facetest.Failure("-5", "storageRule.storageAllocatedInBytes", "Member must have value greater than or equal to 0"), facetest.Failure("BIG", "storageRule.storageType", enumStorage)))
	h.MustNoUsers(t)
}

// TestAuthenticationHeader: the Authentication header's length (1-8199) is checked on
// both paths; with SigV4 the header is ignored, without it the token must be one rollcall
// issued (an unknown token is refused).
func TestAuthenticationHeader(t *testing.T) {
	h := MustHarness(t)
	long := strings.Repeat("t", 8199)
	tooLong := long + "t"
	cases := []struct {
		name   string
		token  string
		signed bool
		status int
		shape  string
		msg    string
	}{
		{"signed, 8199", long, true, 201, "", ""},
		{"signed, 1", "t", true, 201, "", ""},
		{"signed, 8200", tooLong, true, 400, "ValidationException", facetest.Detected(facetest.Hidden("authenticationToken", facetest.MaxLen(8199)))},
		{"signed, empty", "", true, 400, "ValidationException", facetest.Detected(facetest.Hidden("authenticationToken", facetest.MinLen(1)))},
		{"unknown token, 8199", long, false, 403, "UnauthorizedOperationException", "The security token included in the request is invalid."},
		{"unknown token, 1", "t", false, 403, "UnauthorizedOperationException", "The security token included in the request is invalid."},
		{"token, 8200", tooLong, false, 400, "ValidationException", facetest.Detected(facetest.Hidden("authenticationToken", facetest.MaxLen(8199)))},
		{"token, empty", "", false, 400, "ValidationException", facetest.Detected(facetest.Hidden("authenticationToken", facetest.MinLen(1)))},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := []func(*raw){withHeader("Authentication", tc.token)}
			if !tc.signed {
				opts = append(opts, unsigned)
			}
			rp := h.MustDo(t, facetest.JSONBody(t, validUser("tok"+strconv.Itoa(i))), opts...)
			if tc.status == 201 {
				rp.MustCreated(t)
				return
			}
			rp.MustError(t, tc.status, tc.shape, tc.msg)
			if strings.Contains(string(rp.Body), "tttttttt") {
				t.Error("the response echoes the token")
			}
		})
	}
	if strings.Contains(h.log.String(), "tttttttt") {
		t.Error("the log contains the token")
	}
	if n := len(h.MustUsers(t, rollcall.DevOrganizationID)); n != 2 {
		t.Errorf("%d users, want 2 (the signed, valid requests)", n)
	}
}

// TestAuthenticationToken: a token rollcall issued acts as its user. An ADMIN's token
// creates users in its own organization (which it may leave unnamed); a plain user's
// token, another organization, and an expired token are refused; nothing is created.
func TestAuthenticationToken(t *testing.T) {
	h := MustHarness(t)
	ctx := context.Background()
	admin, _, err := h.tokens.IssueWorkDocs(ctx, rollcall.DevAccountID, rollcall.DevOrganizationID, rollcall.DevWorkDocsAdmin, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	byToken := func(token string) []func(*raw) {
		return []func(*raw){withHeader("Authentication", token), unsigned}
	}

	h.MustDo(t, facetest.JSONBody(t, validUser("by-admin")), byToken(admin)...).MustCreated(t)
	noOrg := validUser("by-admin-no-org")
	delete(noOrg, "OrganizationId")
	h.MustDo(t, facetest.JSONBody(t, noOrg), byToken(admin)...).MustCreated(t)

	// by-admin is a USER: its token may not create users.
	plain, _, err := h.tokens.IssueWorkDocs(ctx, rollcall.DevAccountID, rollcall.DevOrganizationID, "by-admin", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	h.MustDo(t, facetest.JSONBody(t, validUser("by-plain")), byToken(plain)...).MustError(t, 403, "UnauthorizedOperationException",
		"The operation is not permitted: only an administrator of the organization may create users.")

	other := validUser("other-org")
	other["OrganizationId"] = otherOrgA
	rp := h.MustDo(t, facetest.JSONBody(t, other), byToken(admin)...)
	rp.MustError(t, 404, "UnauthorizedResourceAccessException", "")

	expired, _, err := h.tokens.IssueWorkDocs(ctx, rollcall.DevAccountID, rollcall.DevOrganizationID, rollcall.DevWorkDocsAdmin, time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(5 * time.Millisecond)
	h.MustDo(t, facetest.JSONBody(t, validUser("late")), byToken(expired)...).MustError(t, 403, "UnauthorizedOperationException",
		"The security token included in the request is expired")

	// A token with its user ID changed is unknown.
	h.MustDo(t, facetest.JSONBody(t, validUser("forged")), byToken("x"+admin)...).MustError(t, 403, "UnauthorizedOperationException",
		"The security token included in the request is invalid.")

	// The official SDK sends the token as the model says (anonymous, no signature).
	out, err := h.anonClient(t).CreateUser(&workdocs.CreateUserInput{
		AuthenticationToken: aws.String(admin), Username: aws.String("by-sdk"),
		GivenName: aws.String("Grace"), Surname: aws.String("Hopper"), Password: aws.String("correct-horse-1")})
	if err != nil || aws.StringValue(out.User.OrganizationId) != rollcall.DevOrganizationID {
		t.Fatalf("CreateUser with a token: %v, %v", out, err)
	}

	if n := len(h.MustUsers(t, rollcall.DevOrganizationID)); n != 3 {
		t.Errorf("%d users in the dev organization, want 3", n)
	}
	if n := len(h.MustUsers(t, otherOrgA)); n != 0 {
		t.Errorf("%d users in another account's organization, want 0", n)
	}
	for _, secret := range []string{admin, plain} {
		if strings.Contains(h.log.String(), secret) {
			t.Error("the log contains a token")
		}
	}
}

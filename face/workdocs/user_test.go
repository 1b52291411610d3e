package workdocs_test

import (
	"context"
	"errors"
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

func TestCreateUserSDK(t *testing.T) {
	h := MustHarness(t)
	client := h.MustClient(t, "", "")
	before := time.Now().Add(-time.Second)
	out, err := client.CreateUser(&workdocs.CreateUserInput{
		OrganizationId: aws.String(rollcall.DevOrganizationID),
		Username:       aws.String("ada"),
		EmailAddress:   aws.String("ada@example.com"),
		GivenName:      aws.String("Ada"),
		Surname:        aws.String("Lovelace"),
		Password:       aws.String("correct-horse-1"),
		TimeZoneId:     aws.String("Europe/London"),
		StorageRule:    &workdocs.StorageRuleType{StorageAllocatedInBytes: aws.Int64(5 << 30), StorageType: aws.String(workdocs.StorageTypeQuota)},
	})
	if err != nil {
		t.Fatalf("CreateUser: %v", err)
	}
	u := out.User
	if u == nil || u.Storage == nil || u.Storage.StorageRule == nil {
		t.Fatalf("User = %v", out)
	}
	str := map[string]struct{ got, want string }{
		"Username":       {aws.StringValue(u.Username), "ada"},
		"EmailAddress":   {aws.StringValue(u.EmailAddress), "ada@example.com"},
		"GivenName":      {aws.StringValue(u.GivenName), "Ada"},
		"Surname":        {aws.StringValue(u.Surname), "Lovelace"},
		"OrganizationId": {aws.StringValue(u.OrganizationId), rollcall.DevOrganizationID},
		"Status":         {aws.StringValue(u.Status), workdocs.UserStatusTypeActive},
		"Type":           {aws.StringValue(u.Type), workdocs.UserTypeUser},
		"TimeZoneId":     {aws.StringValue(u.TimeZoneId), "Europe/London"},
		"Locale":         {aws.StringValue(u.Locale), workdocs.LocaleTypeDefault},
		"StorageType":    {aws.StringValue(u.Storage.StorageRule.StorageType), workdocs.StorageTypeQuota},
	}
	for name, c := range str {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", name, c.got, c.want)
		}
	}
	for name, v := range map[string]*string{"Id": u.Id, "RootFolderId": u.RootFolderId, "RecycleBinFolderId": u.RecycleBinFolderId} {
		if aws.StringValue(v) == "" {
			t.Errorf("%s is empty", name)
		}
	}
	if aws.StringValue(u.RootFolderId) == aws.StringValue(u.RecycleBinFolderId) {
		t.Error("the root and recycle-bin folders are the same")
	}
	if got := aws.Int64Value(u.Storage.StorageRule.StorageAllocatedInBytes); got != 5<<30 {
		t.Errorf("StorageAllocatedInBytes = %d", got)
	}
	if u.Storage.StorageUtilizedInBytes == nil || *u.Storage.StorageUtilizedInBytes != 0 {
		t.Errorf("StorageUtilizedInBytes = %v, want 0", u.Storage.StorageUtilizedInBytes)
	}
	for name, ts := range map[string]*time.Time{"CreatedTimestamp": u.CreatedTimestamp, "ModifiedTimestamp": u.ModifiedTimestamp} {
		if ts == nil || ts.Before(before) || ts.After(time.Now().Add(time.Second)) {
			t.Errorf("%s = %v, want about now", name, ts)
		}
	}

	// What was stored: the same user, the password only as an argon2id hash.
	st := h.MustUser(t, rollcall.DevOrganizationID, "ada")
	if st.ID != aws.StringValue(u.Id) || st.Email != "ada@example.com" || st.FamilyName != "Lovelace" {
		t.Errorf("stored %+v", st)
	}
	if !strings.HasPrefix(st.PasswordHash, "$argon2id$") || strings.Contains(st.PasswordHash, "correct-horse-1") {
		t.Errorf("password hash %q", st.PasswordHash)
	}
	if ok, err := testPasswords.Verify("correct-horse-1", st.PasswordHash); !ok || err != nil {
		t.Errorf("the stored hash does not verify the password: %v %v", ok, err)
	}
	if strings.Contains(h.log.String(), "correct-horse-1") {
		t.Error("the log contains the password")
	}
}

func TestCreateUserDefaults(t *testing.T) {
	h := MustHarness(t)
	client := h.MustClient(t, "", "")
	cases := []struct {
		name      string
		rule      *workdocs.StorageRuleType
		wantType  string
		wantAlloc *int64
	}{
		{"no storage rule", nil, workdocs.StorageTypeQuota, aws.Int64(workdocssvc.DefaultAllocated)},
		{"empty storage rule", &workdocs.StorageRuleType{}, workdocs.StorageTypeQuota, aws.Int64(workdocssvc.DefaultAllocated)},
		{"quota without size", &workdocs.StorageRuleType{StorageType: aws.String("QUOTA")}, workdocs.StorageTypeQuota, aws.Int64(workdocssvc.DefaultAllocated)},
		{"size without type", &workdocs.StorageRuleType{StorageAllocatedInBytes: aws.Int64(0)}, workdocs.StorageTypeQuota, aws.Int64(0)},
		{"unlimited", &workdocs.StorageRuleType{StorageType: aws.String("UNLIMITED")}, workdocs.StorageTypeUnlimited, nil},
		{"unlimited ignores a size", &workdocs.StorageRuleType{StorageType: aws.String("UNLIMITED"), StorageAllocatedInBytes: aws.Int64(7)}, workdocs.StorageTypeUnlimited, nil},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			name := "user" + string(rune('a'+i))
			// No OrganizationId: the caller's only organization.
			out, err := client.CreateUser(&workdocs.CreateUserInput{Username: aws.String(name), GivenName: aws.String("G"),
				Surname: aws.String("S"), Password: aws.String("pass"), StorageRule: tc.rule})
			if err != nil {
				t.Fatal(err)
			}
			u := out.User
			if aws.StringValue(u.OrganizationId) != rollcall.DevOrganizationID {
				t.Errorf("OrganizationId = %q", aws.StringValue(u.OrganizationId))
			}
			if u.EmailAddress != nil || u.TimeZoneId != nil {
				t.Errorf("EmailAddress, TimeZoneId = %v, %v; want both left out", u.EmailAddress, u.TimeZoneId)
			}
			r := u.Storage.StorageRule
			if aws.StringValue(r.StorageType) != tc.wantType || aws.Int64Value(r.StorageAllocatedInBytes) != aws.Int64Value(tc.wantAlloc) ||
				(r.StorageAllocatedInBytes == nil) != (tc.wantAlloc == nil) {
				t.Errorf("StorageRule = %v, want %s %v", r, tc.wantType, aws.Int64Value(tc.wantAlloc))
			}
			h.MustUser(t, rollcall.DevOrganizationID, name)
		})
	}
}

func TestCreateUserErrorsSDK(t *testing.T) {
	h := MustHarness(t)
	dev := h.MustClient(t, "", "")
	other := h.MustClient(t, otherKeyID, otherSecret)
	empty := h.MustClient(t, emptyKeyID, emptySecret)
	in := func(org, username string) *workdocs.CreateUserInput {
		in := &workdocs.CreateUserInput{Username: aws.String(username), GivenName: aws.String("G"), Surname: aws.String("S"), Password: aws.String("pass")}
		if org != "" {
			in.OrganizationId = aws.String(org)
		}
		return in
	}
	if _, err := dev.CreateUser(in(rollcall.DevOrganizationID, "ada")); err != nil {
		t.Fatal(err)
	}
	if _, err := other.CreateUser(in(otherOrgA, "ada")); err != nil {
		t.Fatalf("the same username in another tenant's organization: %v", err)
	}
	if _, err := other.CreateUser(in(otherOrgB, "ada")); err != nil {
		t.Fatalf("the same username in another organization of the tenant: %v", err)
	}
	cases := []struct {
		name   string
		client *workdocs.WorkDocs
		in     *workdocs.CreateUserInput
		code   string
		status int
		msg    string
	}{
		{"taken username", dev, in(rollcall.DevOrganizationID, "ada"), workdocs.ErrCodeEntityAlreadyExistsException, 409,
			"The user ada already exists in organization d-0000000000."},
		{"taken username, other case", dev, in("", "ADA"), workdocs.ErrCodeEntityAlreadyExistsException, 409,
			"The user ADA already exists in organization d-0000000000."},
		{"unknown organization", dev, in("d-9999999999", "bob"), workdocs.ErrCodeUnauthorizedResourceAccessException, 404,
			"The caller does not have access to organization d-9999999999."},
		{"another tenant's organization", dev, in(otherOrgA, "bob"), workdocs.ErrCodeUnauthorizedResourceAccessException, 404,
			"The caller does not have access to organization d-1111111111."},
		{"no organization, several", other, in("", "bob"), workdocs.ErrCodeInvalidArgumentException, 400,
			"OrganizationId is required: the caller has more or fewer than one organization."},
		{"no organization, none", empty, in("", "bob"), workdocs.ErrCodeInvalidArgumentException, 400,
			"OrganizationId is required: the caller has more or fewer than one organization."},
		{"wrong secret", h.MustClient(t, rollcall.DevAccessKeyID, "not-the-secret"), in("", "bob"), workdocs.ErrCodeUnauthorizedOperationException, 403,
			"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."},
		{"unknown key", h.MustClient(t, "AKIANOSUCHKEY0000000", "x"), in("", "bob"), workdocs.ErrCodeUnauthorizedOperationException, 403,
			"The security token included in the request is invalid."},
		{"anonymous", h.anonClient(t), in("", "bob"), workdocs.ErrCodeUnauthorizedOperationException, 403,
			"Request is missing Authentication Token"},
		{"unknown token", h.anonClient(t), withToken(in("", "bob"), "a-workdocs-user-token"),
			workdocs.ErrCodeUnauthorizedOperationException, 403,
			"The security token included in the request is invalid."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.client.CreateUser(tc.in)
			facetest.WantSDKError(t, err, tc.code, tc.status, tc.msg)
			if _, typed := err.(*workdocs.UnauthorizedOperationException); tc.code == workdocs.ErrCodeUnauthorizedOperationException && !typed {
				t.Errorf("err is %T, want *workdocs.UnauthorizedOperationException", err)
			}
		})
	}
	if n := len(h.MustUsers(t, rollcall.DevOrganizationID)); n != 1 {
		t.Errorf("the dev organization has %d users, want 1", n)
	}
	if strings.Contains(h.log.String(), "not-the-secret") || strings.Contains(h.log.String(), "a-workdocs-user-token") {
		t.Error("the log contains a secret")
	}

	t.Run("a signed request may carry a token", func(t *testing.T) {
		if _, err := dev.CreateUser(withToken(in("", "carol"), "a-workdocs-user-token")); err != nil {
			t.Fatal(err)
		}
	})
}

func withToken(in *workdocs.CreateUserInput, token string) *workdocs.CreateUserInput {
	in.AuthenticationToken = aws.String(token)
	return in
}

// TestCreateUserKinds injects each core error kind and checks the face's table.
func TestCreateUserKinds(t *testing.T) {
	cases := []struct {
		name   string
		err    error
		code   string
		status int
		msg    string
	}{
		{"invalid", &rollcall.Error{Kind: rollcall.Invalid, Message: "bad"}, workdocs.ErrCodeInvalidArgumentException, 400, "bad"},
		{"not found", &rollcall.Error{Kind: rollcall.NotFound, Message: "gone"}, workdocs.ErrCodeUnauthorizedResourceAccessException, 404, "gone"},
		{"conflict", &rollcall.Error{Kind: rollcall.Conflict, Message: "taken"}, workdocs.ErrCodeEntityAlreadyExistsException, 409, "taken"},
		{"unauthorized", &rollcall.Error{Kind: rollcall.Unauthorized, Message: "who"}, workdocs.ErrCodeUnauthorizedOperationException, 403, "The security token included in the request is invalid."},
		{"forbidden", &rollcall.Error{Kind: rollcall.Forbidden, Reason: rollcall.ReasonNotAdministrator, Message: "not an administrator"}, workdocs.ErrCodeUnauthorizedOperationException, 403, "not an administrator"},
		{"throttled", &rollcall.Error{Kind: rollcall.Throttled, Message: "slow down"}, "ThrottlingException", 400, "Rate exceeded"},
		{"unavailable", &rollcall.Error{Kind: rollcall.Unavailable, Message: "The directory is unavailable; retry."}, workdocs.ErrCodeServiceUnavailableException, 503, "The directory is unavailable; retry."},
		{"internal", errors.New("disk on fire at /var/lib/secret"), "InternalFailure", 500, "An internal error occurred."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := MustHarness(t, failWith(tc.err))
			_, err := h.MustClient(t, "", "").CreateUser(&workdocs.CreateUserInput{Username: aws.String("ada"),
				GivenName: aws.String("G"), Surname: aws.String("S"), Password: aws.String("pass")})
			facetest.WantSDKError(t, err, tc.code, tc.status, tc.msg)
			if tc.name == "internal" && !strings.Contains(h.log.String(), "disk on fire") {
				t.Errorf("the cause is not in the log:\n%s", h.log.String())
			}
			h.MustNoUsers(t)
		})
	}
}

// TestCreateUserWire checks what the SDK does not show: status, headers, and the JSON
// types of the timestamps.
func TestCreateUserWire(t *testing.T) {
	h := MustHarness(t)
	rp := h.MustDo(t, facetest.JSONBody(t, validUser("wire")))
	u := rp.MustCreated(t)
	for _, k := range []string{"CreatedTimestamp", "ModifiedTimestamp"} {
		ts, ok := u[k].(float64)
		if !ok || time.Since(time.Unix(int64(ts), 0)).Abs() > time.Minute {
			t.Errorf("%s = %#v, want epoch seconds as a JSON number", k, u[k])
		}
	}
	want := []string{"Id", "Username", "EmailAddress", "GivenName", "Surname", "OrganizationId", "RootFolderId",
		"RecycleBinFolderId", "Status", "Type", "CreatedTimestamp", "ModifiedTimestamp", "TimeZoneId", "Locale", "Storage"}
	for _, k := range want {
		if _, ok := u[k]; !ok {
			t.Errorf("User has no %s", k)
		}
	}
	if len(u) != len(want) {
		t.Errorf("User has %d members, want %d: %v", len(u), len(want), u)
	}
	if _, ok := u["Password"]; ok {
		t.Error("the response carries the password")
	}
	if strings.Contains(string(rp.Body), "correct-horse-1") {
		t.Error("the response echoes the password")
	}
	storage, _ := u["Storage"].(map[string]any)
	if storage["StorageUtilizedInBytes"] != float64(0) || storage["StorageRule"] == nil {
		t.Errorf("Storage = %v", storage)
	}
	if rp.Status != http.StatusCreated {
		t.Errorf("status %d", rp.Status)
	}
}

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

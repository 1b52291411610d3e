package workdocs_test

import (
	"errors"
	"net/http"
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

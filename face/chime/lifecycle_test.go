package chime_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	chimev1 "github.com/aws/aws-sdk-go/service/chime"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/testdeps"
	"github.com/rollcall/rollcall/operator"
)

func (h *harness) mustUser(tb testing.TB, c *chimev1.Chime, account, email string) *chimev1.User {
	tb.Helper()
	out, err := c.CreateUser(&chimev1.CreateUserInput{AccountId: aws.String(account), Email: aws.String(email)})
	if err != nil {
		tb.Fatal(err)
	}
	return out.User
}

// mustUsers creates n users in account, the i-th with the email format gives i, and
// returns the set of their IDs.
func (h *harness) mustUsers(tb testing.TB, c *chimev1.Chime, account, format string, n int) map[string]bool {
	tb.Helper()
	ids := make(map[string]bool, n)
	for i := range n {
		ids[aws.StringValue(h.mustUser(tb, c, account, fmt.Sprintf(format, i)).UserId)] = true
	}
	return ids
}

// listUserPages pages through ListUsers from in with the SDK's paginator: how many times
// it listed each user, and how many pages it read.
func listUserPages(c *chimev1.Chime, in *chimev1.ListUsersInput) (seen map[string]int, pages int, err error) {
	seen = map[string]int{}
	err = c.ListUsersPages(in, func(out *chimev1.ListUsersOutput, _ bool) bool {
		pages++
		for _, u := range out.Users {
			seen[aws.StringValue(u.UserId)]++
		}
		return true
	})
	return seen, pages, err
}

func TestUserLifecycleSDK(t *testing.T) {
	h := MustHarness(t)
	c := h.client(t, "test", "test")
	account := h.MustAccount(t)
	ada := h.mustUser(t, c, account, "ada@example.com")
	id := ada.UserId

	got, err := c.GetUser(&chimev1.GetUserInput{AccountId: aws.String(account), UserId: id})
	if err != nil {
		t.Fatal(err)
	}
	if aws.StringValue(got.User.PrimaryEmail) != "ada@example.com" || aws.StringValue(got.User.LicenseType) != "Pro" {
		t.Fatalf("GetUser = %v", got.User)
	}

	up, err := c.UpdateUser(&chimev1.UpdateUserInput{AccountId: aws.String(account), UserId: id,
		LicenseType: aws.String("Basic"), UserType: aws.String("SharedDevice"),
		AlexaForBusinessMetadata: &chimev1.AlexaForBusinessMetadata{IsAlexaForBusinessEnabled: aws.Bool(true),
			AlexaForBusinessRoomArn: aws.String("arn:aws:a4b:us-east-1:000000000000:room/r1")}})
	if err != nil {
		t.Fatal(err)
	}
	if u := up.User; aws.StringValue(u.LicenseType) != "Basic" || aws.StringValue(u.UserType) != "SharedDevice" ||
		!aws.BoolValue(u.AlexaForBusinessMetadata.IsAlexaForBusinessEnabled) {
		t.Fatalf("UpdateUser = %v", u)
	}
	// Plus is a license Chime knows, but not one a Team account supports.
	if _, err := c.UpdateUser(&chimev1.UpdateUserInput{AccountId: aws.String(account), UserId: id, LicenseType: aws.String("Plus")}); code(err) != chimev1.ErrCodeBadRequestException {
		t.Fatalf("unsupported license: %v", err)
	}
	if _, err := c.UpdateUser(&chimev1.UpdateUserInput{AccountId: aws.String(account), UserId: id, LicenseType: aws.String("Gold")}); code(err) != chimev1.ErrCodeBadRequestException {
		t.Fatalf("unknown license: %v", err)
	}
	got, _ = c.GetUser(&chimev1.GetUserInput{AccountId: aws.String(account), UserId: id})
	if aws.StringValue(got.User.LicenseType) != "Basic" {
		t.Fatalf("a rejected update changed the user: %v", got.User)
	}

	pin1, err := c.ResetPersonalPIN(&chimev1.ResetPersonalPINInput{AccountId: aws.String(account), UserId: id})
	if err != nil {
		t.Fatal(err)
	}
	pin2, _ := c.ResetPersonalPIN(&chimev1.ResetPersonalPINInput{AccountId: aws.String(account), UserId: id})
	digits := regexp.MustCompile(`^[0-9]{8}$`)
	if p1, p2 := aws.StringValue(pin1.User.PersonalPIN), aws.StringValue(pin2.User.PersonalPIN); !digits.MatchString(p1) || !digits.MatchString(p2) || p1 == p2 {
		t.Fatalf("PINs %q then %q", p1, p2)
	}

	if _, err := c.LogoutUser(&chimev1.LogoutUserInput{AccountId: aws.String(account), UserId: id}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.LogoutUser(&chimev1.LogoutUserInput{AccountId: aws.String(account), UserId: aws.String("nope")}); code(err) != chimev1.ErrCodeNotFoundException {
		t.Fatalf("LogoutUser of a missing user: %v", err)
	}

	// Batch suspend: per-user errors for the missing one, the rest applied.
	sus, err := c.BatchSuspendUser(&chimev1.BatchSuspendUserInput{AccountId: aws.String(account), UserIdList: []*string{id, aws.String("missing")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(sus.UserErrors) != 1 || aws.StringValue(sus.UserErrors[0].UserId) != "missing" || aws.StringValue(sus.UserErrors[0].ErrorCode) != "NotFound" {
		t.Fatalf("UserErrors = %v", sus.UserErrors)
	}
	got, _ = c.GetUser(&chimev1.GetUserInput{AccountId: aws.String(account), UserId: id})
	if aws.StringValue(got.User.UserRegistrationStatus) != "Suspended" {
		t.Fatalf("after suspend: %v", got.User)
	}
	uns, err := c.BatchUnsuspendUser(&chimev1.BatchUnsuspendUserInput{AccountId: aws.String(account), UserIdList: []*string{id}})
	if err != nil || len(uns.UserErrors) != 0 {
		t.Fatalf("unsuspend: %v %v", uns, err)
	}
	got, _ = c.GetUser(&chimev1.GetUserInput{AccountId: aws.String(account), UserId: id})
	if aws.StringValue(got.User.UserRegistrationStatus) != "Unregistered" {
		t.Fatalf("after unsuspend: %v", got.User)
	}

	grace := h.mustUser(t, c, account, "grace@example.com")
	bu, err := c.BatchUpdateUser(&chimev1.BatchUpdateUserInput{AccountId: aws.String(account), UpdateUserRequestItems: []*chimev1.UpdateUserRequestItem{
		{UserId: id, LicenseType: aws.String("Pro")},
		{UserId: grace.UserId, UserType: aws.String("SharedDevice")},
		{UserId: aws.String("ghost"), LicenseType: aws.String("Pro")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(bu.UserErrors) != 1 || aws.StringValue(bu.UserErrors[0].UserId) != "ghost" {
		t.Fatalf("BatchUpdateUser errors = %v", bu.UserErrors)
	}
	g, _ := c.GetUser(&chimev1.GetUserInput{AccountId: aws.String(account), UserId: grace.UserId})
	a, _ := c.GetUser(&chimev1.GetUserInput{AccountId: aws.String(account), UserId: id})
	if aws.StringValue(g.User.UserType) != "SharedDevice" || aws.StringValue(a.User.LicenseType) != "Pro" {
		t.Fatalf("after BatchUpdateUser: %v %v", g.User, a.User)
	}

	acc, err := c.UpdateAccount(&chimev1.UpdateAccountInput{AccountId: aws.String(account), Name: aws.String("Renamed"), DefaultLicense: aws.String("Basic")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.StringValue(acc.Account.Name) != "Renamed" || aws.StringValue(acc.Account.DefaultLicense) != "Basic" {
		t.Fatalf("UpdateAccount = %v", acc.Account)
	}
	if _, err := c.UpdateAccount(&chimev1.UpdateAccountInput{AccountId: aws.String(account), DefaultLicense: aws.String("Plus")}); code(err) != chimev1.ErrCodeBadRequestException {
		t.Fatalf("UpdateAccount to an unsupported license: %v", err)
	}
	newer := h.mustUser(t, c, account, "newer@example.com")
	if aws.StringValue(newer.LicenseType) != "Basic" {
		t.Fatalf("a user created after the default changed has %v", newer.LicenseType)
	}
}

func TestInviteUsers(t *testing.T) {
	h := MustHarness(t)
	c := h.client(t, "test", "test")
	account := h.MustAccount(t)
	existing := h.mustUser(t, c, account, "ada@example.com")
	out, err := c.InviteUsers(&chimev1.InviteUsersInput{AccountId: aws.String(account),
		UserEmailList: []*string{aws.String("ADA@example.com"), aws.String("new@example.com")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Invites) != 2 {
		t.Fatalf("Invites = %v", out.Invites)
	}
	for _, inv := range out.Invites {
		if aws.StringValue(inv.Status) != "Pending" || aws.StringValue(inv.EmailStatus) != "Sent" || aws.StringValue(inv.InviteId) == "" {
			t.Fatalf("invite %v", inv)
		}
	}
	if n := h.countUsers(t, account); n != 2 {
		t.Fatalf("%d users after inviting one existing and one new", n)
	}
	got, _ := c.GetUser(&chimev1.GetUserInput{AccountId: aws.String(account), UserId: existing.UserId})
	if aws.StringValue(got.User.UserInvitationStatus) != "Pending" || got.User.InvitedOn == nil {
		t.Fatalf("invited user: %v", got.User)
	}
	msgs, err := operator.New(h.svc).Messages(context.Background(), rollcall.MessageFilter{TenantID: rollcall.DevAccountID})
	if err != nil {
		t.Fatal(err)
	}
	to := map[string]bool{}
	for _, m := range msgs {
		to[strings.ToLower(m.To)] = m.Status == rollcall.MessageQueued && strings.Contains(m.TextBody, "/invitations/")
	}
	if !to["ada@example.com"] || !to["new@example.com"] {
		t.Fatalf("queued invitations: %v", to)
	}
	// 50 emails is the model's maximum; 51 is refused whole.
	var many []*string
	for i := range 51 {
		many = append(many, aws.String(fmt.Sprintf("u%d@example.com", i)))
	}
	if _, err := c.InviteUsers(&chimev1.InviteUsersInput{AccountId: aws.String(account), UserEmailList: many}); code(err) != chimev1.ErrCodeBadRequestException {
		t.Fatalf("51 emails: %v", err)
	}
	if n := h.countUsers(t, account); n != 2 {
		t.Fatalf("a refused InviteUsers created users: %d", n)
	}
	if _, err := c.InviteUsers(&chimev1.InviteUsersInput{AccountId: aws.String(account), UserEmailList: many[:50]}); err != nil {
		t.Fatalf("50 emails: %v", err)
	}
	if _, err := c.InviteUsers(&chimev1.InviteUsersInput{AccountId: aws.String(account), UserEmailList: []*string{aws.String("not-an-email")}}); code(err) != chimev1.ErrCodeBadRequestException {
		t.Fatalf("bad email: %v", err)
	}
}

// TestBatchLimits checks the model's list maxima at the boundary, over the wire.
func TestBatchLimits(t *testing.T) {
	h := MustHarness(t)
	account := h.MustAccount(t)
	// list is a JSON list of n items, item formatted with its index.
	list := func(n int, item string) string {
		var s []string
		for i := range n {
			s = append(s, fmt.Sprintf(item, i))
		}
		return "[" + strings.Join(s, ",") + "]"
	}
	ids, items, emails := `"id%d"`, `{"UserId":"id%d","LicenseType":"Pro"}`, `"u%d@example.com"`
	detected := func(failure string) string { return "1 validation error detected: " + failure }
	null := func(path string) string {
		return detected("Value null at '" + path + "' failed to satisfy constraint: Member must not be null")
	}
	tooManyItems := func(path string, n, max int) string {
		return fmt.Sprintf("Value '%d items' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", n, path, max)
	}
	tooMany := func(path string, n, max int) string { return detected(tooManyItems(path, n, max)) }
	blank := func(path string) string {
		return "Value ' ' at '" + path + "' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\S.*"
	}
	notEmail := func(path string) string {
		return "Value at '" + path + "' failed to satisfy constraint: Member must satisfy regular expression pattern: .+@.+\\..+"
	}
	base := "/accounts/" + account + "/users"
	// message is the validation failure the request is refused with; "" = it is served.
	for _, c := range []struct {
		path, body, message string
	}{
		{base + "?operation=suspend", `{"UserIdList":` + list(50, ids) + `}`, ""},
		{base + "?operation=suspend", `{"UserIdList":` + list(51, ids) + `}`, tooMany("userIdList", 51, 50)},
		{base + "?operation=unsuspend", `{"UserIdList":` + list(50, ids) + `}`, ""},
		{base + "?operation=unsuspend", `{"UserIdList":` + list(51, ids) + `}`, tooMany("userIdList", 51, 50)},
		{base + "?operation=suspend", `{}`, null("userIdList")},
		{base + "?operation=suspend", `{"UserIdList":[" "]}`, detected(blank("userIdList.1"))},
		{base + "?operation=suspend", `{"UserIdList":[" "` + strings.Repeat(`,"x"`, 50) + `]}`,
			"2 validation errors detected: " + tooManyItems("userIdList", 51, 50) + "; " + blank("userIdList.1")},
		{base, `{"UpdateUserRequestItems":` + list(20, items) + `}`, ""},
		{base, `{"UpdateUserRequestItems":` + list(21, items) + `}`, tooMany("updateUserRequestItems", 21, 20)},
		{base, `{"UpdateUserRequestItems":[{"LicenseType":"Pro"}]}`, null("updateUserRequestItems.1.userId")},
		{base, `{"UpdateUserRequestItems":[{"UserId":"x","UserType":"Robot"}]}`,
			detected("Value 'Robot' at 'updateUserRequestItems.1.userType' failed to satisfy constraint: Member must satisfy enum value set: [PrivateUser, SharedDevice]")},
		{base, `{}`, null("updateUserRequestItems")},
		{base + "?operation=add", `{"UserEmailList":` + list(51, emails) + `}`, tooMany("userEmailList", 51, 50)},
		{base + "?operation=add", `{"UserEmailList":["a@example.com","not-an-email"," "]}`,
			"2 validation errors detected: " + notEmail("userEmailList.2") + "; " + notEmail("userEmailList.3")},
		{base + "?operation=add", `{}`, null("userEmailList")},
	} {
		r := h.do(t, http.MethodPost, c.path, []byte(c.body))
		if c.message == "" {
			if r.status != http.StatusOK {
				t.Fatalf("%s %.60s: %d %s", c.path, c.body, r.status, r.raw)
			}
			// Every ID is unknown, so every one is a UserError and nothing else happens.
			if errs, _ := r.body["UserErrors"].([]any); len(errs) == 0 {
				t.Fatalf("%s: no UserErrors in %s", c.path, r.raw)
			}
			continue
		}
		r.wantError(t, http.StatusBadRequest, "BadRequestException", "BadRequest", c.message)
	}
	for _, c := range []struct {
		query string
		ok    bool
	}{
		{"max-results=1", true}, {"max-results=200", true}, {"max-results=0", false}, {"max-results=201", false},
		{"max-results=x", false}, {"user-type=SharedDevice", true}, {"user-type=Robot", false},
		{"user-email=a@b.co", true}, {"user-email=nope", false}, {"next-token=", false}, {"next-token=abc", false},
	} {
		r := h.do(t, http.MethodGet, base+"?"+c.query, nil)
		if c.ok != (r.status == http.StatusOK) {
			t.Fatalf("ListUsers ?%s: %d %s", c.query, r.status, r.raw)
		}
		if !c.ok {
			r.wantError(t, http.StatusBadRequest, "BadRequestException", "BadRequest", "")
		}
	}
}

func TestListUsersPages(t *testing.T) {
	h := MustHarness(t)
	c := h.client(t, "test", "test")
	account := h.MustAccount(t)
	want := h.mustUsers(t, c, account, "user%02d@example.com", 23)
	if _, err := c.CreateUser(&chimev1.CreateUserInput{AccountId: aws.String(account), Email: aws.String("device@example.com"), UserType: aws.String("SharedDevice")}); err != nil {
		t.Fatal(err)
	}
	seen, pages, err := listUserPages(c, &chimev1.ListUsersInput{AccountId: aws.String(account), MaxResults: aws.Int64(5), UserType: aws.String("PrivateUser")})
	if err != nil {
		t.Fatal(err)
	}
	if pages != 5 || len(seen) != len(want) {
		t.Fatalf("%d pages, %d users, want 5 pages of the %d private users", pages, len(seen), len(want))
	}
	for id, n := range seen {
		if n != 1 || !want[id] {
			t.Fatalf("user %s listed %d times (wanted: %v)", id, n, want[id])
		}
	}
	byEmail, err := c.ListUsers(&chimev1.ListUsersInput{AccountId: aws.String(account), UserEmail: aws.String("USER07@example.com")})
	if err != nil || len(byEmail.Users) != 1 || byEmail.NextToken != nil {
		t.Fatalf("by email: %v %v", byEmail, err)
	}

	// A token works only for the query and the caller it was minted for.
	first, _ := c.ListUsers(&chimev1.ListUsersInput{AccountId: aws.String(account), MaxResults: aws.Int64(2)})
	other := h.client(t, otherKey, otherSecret)
	for name, call := range map[string]func() error{
		"another tenant": func() error {
			_, err := other.ListUsers(&chimev1.ListUsersInput{AccountId: aws.String(account), NextToken: first.NextToken})
			return err
		},
		"another filter": func() error {
			_, err := c.ListUsers(&chimev1.ListUsersInput{AccountId: aws.String(account), UserType: aws.String("SharedDevice"), NextToken: first.NextToken})
			return err
		},
		"changed": func() error {
			tok := []byte(aws.StringValue(first.NextToken))
			tok[5] ^= 'A' ^ 'B'
			_, err := c.ListUsers(&chimev1.ListUsersInput{AccountId: aws.String(account), NextToken: aws.String(string(tok))})
			return err
		},
		"a ListAccounts token": func() error {
			acc, _ := c.ListAccounts(&chimev1.ListAccountsInput{MaxResults: aws.Int64(1)})
			h.MustAccount(t)
			acc, _ = c.ListAccounts(&chimev1.ListAccountsInput{MaxResults: aws.Int64(1)})
			_, err := c.ListUsers(&chimev1.ListUsersInput{AccountId: aws.String(account), NextToken: acc.NextToken})
			return err
		},
	} {
		if err := call(); code(err) != chimev1.ErrCodeBadRequestException && !(name == "another tenant" && code(err) == chimev1.ErrCodeNotFoundException) {
			t.Fatalf("%s: %v", name, err)
		}
	}
}

// TestListUsersStableUnderChange pages through an account while other users come and go:
// every user present throughout is listed exactly once.
func TestListUsersStableUnderChange(t *testing.T) {
	h := MustHarness(t)
	c := h.client(t, "test", "test")
	account := h.MustAccount(t)
	stable := h.mustUsers(t, c, account, "stable%02d@example.com", 40)
	stop := make(chan struct{})
	var churned atomic.Int64
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			u, err := c.CreateUser(&chimev1.CreateUserInput{AccountId: aws.String(account), Email: aws.String(fmt.Sprintf("churn%d@example.com", i))})
			if err != nil {
				t.Error(err)
				return
			}
			// Suspend is an update; a suspended user is still listed.
			c.BatchSuspendUser(&chimev1.BatchSuspendUserInput{AccountId: aws.String(account), UserIdList: []*string{u.User.UserId}})
			if i%2 == 0 {
				err := h.svc.Store.Update(context.Background(), func(tx rollcall.Tx) error { return tx.DeleteUser(account, aws.StringValue(u.User.UserId)) })
				if err != nil {
					t.Error(err)
					return
				}
			}
			churned.Add(1)
		}
	})
	seen, _, err := listUserPages(c, &chimev1.ListUsersInput{AccountId: aws.String(account), MaxResults: aws.Int64(3)})
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	for id := range stable {
		if seen[id] != 1 {
			t.Fatalf("stable user %s listed %d times (%d churned)", id, seen[id], churned.Load())
		}
	}
	for id, n := range seen {
		if n != 1 {
			t.Fatalf("user %s listed %d times", id, n)
		}
	}
}

// TestLifecycleIsolation: no operation reaches another tenant's users, and trying changes
// nothing.
func TestLifecycleIsolation(t *testing.T) {
	h := MustHarness(t)
	mine := h.client(t, "test", "test")
	other := h.client(t, otherKey, otherSecret)
	account := h.MustAccount(t)
	u := h.mustUser(t, mine, account, "ada@example.com")
	before, _ := mine.GetUser(&chimev1.GetUserInput{AccountId: aws.String(account), UserId: u.UserId})
	acc, id := aws.String(account), u.UserId
	for name, call := range map[string]func() error{
		"GetUser":   func() error { _, err := other.GetUser(&chimev1.GetUserInput{AccountId: acc, UserId: id}); return err },
		"ListUsers": func() error { _, err := other.ListUsers(&chimev1.ListUsersInput{AccountId: acc}); return err },
		"UpdateUser": func() error {
			_, err := other.UpdateUser(&chimev1.UpdateUserInput{AccountId: acc, UserId: id, LicenseType: aws.String("Basic")})
			return err
		},
		"InviteUsers": func() error {
			_, err := other.InviteUsers(&chimev1.InviteUsersInput{AccountId: acc, UserEmailList: []*string{aws.String("x@example.com")}})
			return err
		},
		"BatchSuspendUser": func() error {
			_, err := other.BatchSuspendUser(&chimev1.BatchSuspendUserInput{AccountId: acc, UserIdList: []*string{id}})
			return err
		},
		"BatchUnsuspendUser": func() error {
			_, err := other.BatchUnsuspendUser(&chimev1.BatchUnsuspendUserInput{AccountId: acc, UserIdList: []*string{id}})
			return err
		},
		"BatchUpdateUser": func() error {
			_, err := other.BatchUpdateUser(&chimev1.BatchUpdateUserInput{AccountId: acc, UpdateUserRequestItems: []*chimev1.UpdateUserRequestItem{{UserId: id, LicenseType: aws.String("Basic")}}})
			return err
		},
		"ResetPersonalPIN": func() error {
			_, err := other.ResetPersonalPIN(&chimev1.ResetPersonalPINInput{AccountId: acc, UserId: id})
			return err
		},
		"LogoutUser": func() error {
			_, err := other.LogoutUser(&chimev1.LogoutUserInput{AccountId: acc, UserId: id})
			return err
		},
		"UpdateAccount": func() error {
			_, err := other.UpdateAccount(&chimev1.UpdateAccountInput{AccountId: acc, Name: aws.String("Mine now")})
			return err
		},
	} {
		if err := call(); code(err) != chimev1.ErrCodeNotFoundException {
			t.Errorf("other tenant %s: %v", name, err)
		}
	}
	after, _ := mine.GetUser(&chimev1.GetUserInput{AccountId: aws.String(account), UserId: u.UserId})
	if before.User.String() != after.User.String() || h.countUsers(t, account) != 1 {
		t.Fatalf("the user changed:\n%v\n%v", before.User, after.User)
	}
	a, _ := mine.GetAccount(&chimev1.GetAccountInput{AccountId: acc})
	if aws.StringValue(a.Account.Name) != "Acme" {
		t.Fatalf("the account changed: %v", a.Account)
	}
}

// TestListUsersCLI: the AWS CLI's auto-pagination over several pages returns every user
// exactly once.
func TestListUsersCLI(t *testing.T) {
	testdeps.AWSCLI(t)
	h := MustHarness(t)
	c := h.client(t, "test", "test")
	account := h.MustAccount(t)
	want := h.mustUsers(t, c, account, "cli%02d@example.com", 11)
	stdout, stderr, err := testdeps.AWS(t, h.srv.URL, "chime", "list-users", "--account-id", account, "--page-size", "3")
	if err != nil {
		t.Fatalf("aws chime list-users: %v\n%s", err, stderr)
	}
	var out struct{ Users []struct{ UserId string } }
	if err := json.Unmarshal([]byte(stdout), &out); err != nil {
		t.Fatalf("%v: %s", err, stdout)
	}
	seen := map[string]int{}
	for _, u := range out.Users {
		seen[u.UserId]++
	}
	if len(out.Users) != len(want) || len(seen) != len(want) {
		t.Fatalf("the CLI listed %d users (%d distinct), want %d", len(out.Users), len(seen), len(want))
	}
	for id := range want {
		if seen[id] != 1 {
			t.Fatalf("user %s listed %d times", id, seen[id])
		}
	}
}

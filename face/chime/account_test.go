package chime_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	chimev1 "github.com/aws/aws-sdk-go/service/chime"

	"github.com/rollcall/rollcall/face/facetest"
)

// TestDeleteTeamAccountWithUsers: a Team account holding a user that is not suspended
// is not deleted (422 UnprocessableEntityException, as the model declares for this
// operation alone); once every user is suspended it is.
func TestDeleteTeamAccountWithUsers(t *testing.T) {
	h := MustHarness(t)
	c := h.client(t, "test", "test")
	acct := h.MustAccount(t)
	var ids []*string
	for _, email := range []string{"ada@example.com", "grace@example.com"} {
		out, err := c.CreateUser(&chimev1.CreateUserInput{AccountId: aws.String(acct), Email: aws.String(email)})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, out.User.UserId)
	}
	if _, err := c.BatchSuspendUser(&chimev1.BatchSuspendUserInput{AccountId: aws.String(acct), UserIdList: ids[:1]}); err != nil {
		t.Fatal(err)
	}
	_, err := c.DeleteAccount(&chimev1.DeleteAccountInput{AccountId: aws.String(acct)})
	if e := facetest.SDKErrorOf(err); e.Code != chimev1.ErrCodeUnprocessableEntityException || !strings.Contains(e.Message, "suspend all users") ||
		e.Status != http.StatusUnprocessableEntity {
		t.Fatalf("DeleteAccount with an active user: %v", err)
	}
	h.do(t, "DELETE", "/accounts/"+acct, nil).wantError(t, 422, "UnprocessableEntityException", "Unprocessable", "")
	if _, err := c.GetAccount(&chimev1.GetAccountInput{AccountId: aws.String(acct)}); err != nil {
		t.Fatalf("the refused account is gone: %v", err)
	}
	if n := h.countUsers(t, acct); n != 2 {
		t.Fatalf("%d users left after a refused delete, want 2", n)
	}
	if _, err := c.BatchSuspendUser(&chimev1.BatchSuspendUserInput{AccountId: aws.String(acct), UserIdList: ids}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DeleteAccount(&chimev1.DeleteAccountInput{AccountId: aws.String(acct)}); err != nil {
		t.Fatalf("DeleteAccount with every user suspended: %v", err)
	}
	if n := h.countUsers(t, acct); n != 0 {
		t.Fatalf("%d users left after the delete", n)
	}
}

// TestListAccountsNamePrefix: Name is "the account name prefix with which to filter
// results", compared as given (case included).
func TestListAccountsNamePrefix(t *testing.T) {
	h := MustHarness(t)
	c := h.client(t, "test", "test")
	for _, name := range []string{"Zeta Sales", "Zeta Support", "zeta lower", "Globex"} {
		if _, err := c.CreateAccount(&chimev1.CreateAccountInput{Name: aws.String(name)}); err != nil {
			t.Fatal(err)
		}
	}
	for prefix, want := range map[string][]string{
		"Zeta":        {"Zeta Sales", "Zeta Support"},
		"Zeta S":      {"Zeta Sales", "Zeta Support"},
		"Zeta Sales":  {"Zeta Sales"},
		"Zeta Salesx": nil,
		"z":           {"zeta lower"},
		"G":           {"Globex"},
	} {
		out, err := c.ListAccounts(&chimev1.ListAccountsInput{Name: aws.String(prefix)})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range out.Accounts {
			got = append(got, aws.StringValue(a.Name))
		}
		slices.Sort(got)
		if strings.Join(got, ",") != strings.Join(want, ",") {
			t.Errorf("ListAccounts Name=%q: %v, want %v", prefix, got, want)
		}
	}
}

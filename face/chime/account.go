package chime

import (
	"net/http"
	"strings"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/validate"
)

// iso8601 is how Chime writes timestamps (the model's Iso8601Timestamp), as in the
// reference page's sample: "2020-01-15T22:38:09.806Z".
const iso8601 = "2006-01-02T15:04:05.000Z"

func timestamp(t *time.Time) *string {
	if t == nil || t.IsZero() {
		return nil
	}
	s := t.UTC().Format(iso8601)
	return &s
}

var (
	patternNonEmpty = validate.MustPattern(`.*\S.*`)
	patternEmail    = validate.MustPattern(`.+@.+\..+`)
)

var accountRules = struct{ Name, ListName, UserEmail, AccountID validate.Rule }{
	Name:      validate.Rule{Path: "name", Required: true, MinLen: 1, MaxLen: 100, Pattern: patternNonEmpty},
	ListName:  validate.Rule{Path: "name", MinLen: 1, MaxLen: 100, Pattern: patternNonEmpty},
	UserEmail: validate.Rule{Path: "userEmail", Pattern: patternEmail, Sensitive: true},
	AccountID: validate.Rule{Path: "accountId", Required: true, Pattern: patternNonEmpty},
}

type accountJSON struct {
	AwsAccountId         string              `json:"AwsAccountId"`
	AccountId            string              `json:"AccountId"`
	Name                 string              `json:"Name"`
	AccountType          string              `json:"AccountType"`
	CreatedTimestamp     *string             `json:"CreatedTimestamp"`
	DefaultLicense       string              `json:"DefaultLicense"`
	SupportedLicenses    []string            `json:"SupportedLicenses"`
	AccountStatus        string              `json:"AccountStatus"`
	SigninDelegateGroups []signinDelegateGrp `json:"SigninDelegateGroups"`
}

type signinDelegateGrp struct {
	GroupName string `json:"GroupName"`
}

func accountOf(d *chime.Account) accountJSON {
	licenses := d.Attrs.SupportedLicenses
	if licenses == nil {
		licenses = []string{}
	}
	out := accountJSON{
		AwsAccountId: d.TenantID, AccountId: d.ID, Name: d.Name, AccountType: d.Attrs.AccountType,
		CreatedTimestamp: timestamp(&d.CreatedAt), DefaultLicense: d.Attrs.DefaultLicense, SupportedLicenses: licenses,
		AccountStatus: d.Attrs.AccountStatus, SigninDelegateGroups: make([]signinDelegateGrp, 0, len(d.Attrs.SigninDelegateGroups)),
	}
	for _, g := range d.Attrs.SigninDelegateGroups {
		out.SigninDelegateGroups = append(out.SigninDelegateGroups, signinDelegateGrp{GroupName: g})
	}
	return out
}

type createAccountRequest struct {
	Name *string `json:"Name"`
}

func (f *Face) createAccount(r *http.Request, c rollcall.Caller, _ route, body []byte) (awsx.Response, error) {
	var req createAccountRequest
	if err := httpx.DecodeJSON(body, &req); err != nil {
		return awsx.Response{}, err
	}
	var errs validate.Errors
	errs.String(accountRules.Name, req.Name)
	if err := errs.Err(); err != nil {
		return awsx.Response{}, err
	}
	d, err := f.svc.CreateAccount(r.Context(), c, chime.CreateAccountInput{Name: *req.Name})
	if err != nil {
		return awsx.Response{}, err
	}
	return awsx.Created(map[string]any{"Account": accountOf(d)}), nil
}

func (f *Face) getAccount(r *http.Request, c rollcall.Caller, rt route, _ []byte) (awsx.Response, error) {
	d, err := f.account(r, c, rt)
	if err != nil {
		return awsx.Response{}, err
	}
	return awsx.OK(map[string]any{"Account": accountOf(d)}), nil
}

func (f *Face) deleteAccount(r *http.Request, c rollcall.Caller, rt route, _ []byte) (awsx.Response, error) {
	return awsx.Unless(f.svc.DeleteAccount(r.Context(), c, rt.accountID), awsx.NoContent())
}

// account reads the path's account.
func (f *Face) account(r *http.Request, c rollcall.Caller, rt route) (*chime.Account, error) {
	return f.svc.Account(r.Context(), c, rt.accountID)
}

// accountsPage is ListAccounts' response.
type accountsPage struct {
	Accounts  []accountJSON `json:"Accounts"`
	NextToken *string       `json:"NextToken"`
}

func (f *Face) listAccounts(r *http.Request, c rollcall.Caller, _ route, _ []byte) (awsx.Response, error) {
	q := r.URL.Query()
	in := chime.ListAccountsInput{Limit: defaultResults}
	var errs validate.Errors
	if q.Has("name") {
		name := q.Get("name")
		errs.String(accountRules.ListName, &name)
		in.Name = name
	}
	if q.Has("user-email") {
		email := q.Get("user-email")
		errs.String(accountRules.UserEmail, &email)
		in.UserEmail = email
	}
	if err := checkListQuery(q, &errs, &in.Limit); err != nil {
		return awsx.Response{}, err
	}
	scope := listScope(c, "ListAccounts", in.Name, strings.ToLower(in.UserEmail))
	accounts, next, err := listPage(f, q, scope, func(after string) ([]*chime.Account, bool, error) {
		in.After = after
		return f.svc.ListAccounts(r.Context(), c, in)
	}, func(d *chime.Account) string { return d.ID }, accountOf)
	return awsx.Unless(err, awsx.OK(accountsPage{Accounts: accounts, NextToken: next}))
}

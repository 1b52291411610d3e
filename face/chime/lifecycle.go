package chime

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/validate"
)

// The user lifecycle around CreateUser: GetUser, ListUsers, UpdateUser, InviteUsers,
// BatchSuspendUser, BatchUnsuspendUser, BatchUpdateUser, ResetPersonalPIN, LogoutUser,
// and UpdateAccount. Limits are the model's (botocore chime 2018-05-01).

var licenses = []string{"Basic", "Plus", "Pro", "ProTrial"}

var lifecycleRules = struct {
	UserID, LicenseType, UserType, ListUserEmail, ListUserType, ItemUserID validate.Rule
}{
	UserID:        validate.Rule{Path: "userId", Required: true, Pattern: patternNonEmpty},
	LicenseType:   validate.Rule{Path: "licenseType", Enum: licenses},
	UserType:      validate.Rule{Path: "userType", Enum: []string{chime.PrivateUser, chime.SharedDevice}},
	ListUserEmail: validate.Rule{Path: "userEmail", Pattern: patternEmail, Sensitive: true},
	ListUserType:  validate.Rule{Path: "userType", Enum: []string{chime.PrivateUser, chime.SharedDevice}},
	ItemUserID:    validate.Rule{Path: "userId", Required: true, Pattern: patternNonEmpty},
}

// Batch sizes from the model: UserEmailList and UserIdList max 50,
// UpdateUserRequestItemList max 20.
const (
	maxInviteEmails = 50
	maxBatchUserIDs = 50
	maxBatchUpdates = 20
)

func (f *Face) getUser(r *http.Request, c rollcall.Caller, rt route, _ []byte) (awsx.Response, error) {
	u, err := f.svc.User(r.Context(), c, rt.accountID, rt.userID)
	if err != nil {
		return awsx.Response{}, err
	}
	return awsx.OK(userBody{u}), nil
}

// decodeBody decodes the body of an operation into req and returns the checks of its
// members to fill (the path's labels are checked before the handler, in checkPath).
func decodeBody(body []byte, req any) (*validate.Errors, error) {
	if err := httpx.DecodeJSON(body, req); err != nil {
		return nil, err
	}
	return new(validate.Errors), nil
}

// requiredList checks a list member the model requires: that it is there, and that it
// has at most max items (0: any number). It returns the items, none when the list is
// absent, for the caller to check each by itemPath.
func requiredList[T any](errs *validate.Errors, path string, list *[]T, max int) []T {
	errs.Present(validate.Rule{Path: path, Required: true}, list != nil)
	if list == nil {
		return nil
	}
	if max > 0 {
		errs.MaxItems(path, len(*list), max)
	}
	return *list
}

// stringList checks a required list of strings as requiredList does, then each item by
// rule.
func stringList(errs *validate.Errors, path string, list *[]string, max int, rule validate.Rule) []string {
	items := requiredList(errs, path, list, max)
	for i := range items {
		rule.Path = itemPath(path, i)
		errs.String(rule, &items[i])
	}
	return items
}

// itemPath names the item at index i of the list at path in messages, counting from 1.
func itemPath(path string, i int) string {
	return path + "." + strconv.Itoa(i+1)
}

// usersPage is ListUsers' response.
type usersPage struct {
	Users     []userJSON `json:"Users"`
	NextToken *string    `json:"NextToken"`
}

func (f *Face) listUsers(r *http.Request, c rollcall.Caller, rt route, _ []byte) (awsx.Response, error) {
	q := r.URL.Query()
	in := chime.ListUsersInput{AccountID: rt.accountID, Limit: defaultResults}
	var errs validate.Errors
	if q.Has("user-email") {
		in.Email = q.Get("user-email")
		errs.String(lifecycleRules.ListUserEmail, &in.Email)
	}
	if q.Has("user-type") {
		in.UserType = q.Get("user-type")
		errs.String(lifecycleRules.ListUserType, &in.UserType)
	}
	if err := checkListQuery(q, &errs, &in.Limit); err != nil {
		return awsx.Response{}, err
	}
	scope := listScope(c, "ListUsers", in.AccountID, strings.ToLower(in.Email), in.UserType)
	users, next, err := listPage(f, q, scope, func(after string) ([]*chime.User, bool, error) {
		in.After = after
		return f.svc.ListUsers(r.Context(), c, in)
	}, func(u *chime.User) string { return u.ID }, userOf)
	return awsx.Unless(err, awsx.OK(usersPage{Users: users, NextToken: next}))
}

type a4bMetadataRequest struct {
	IsAlexaForBusinessEnabled *bool   `json:"IsAlexaForBusinessEnabled"`
	AlexaForBusinessRoomArn   *string `json:"AlexaForBusinessRoomArn"`
}

type updateUserRequest struct {
	UserId                   *string             `json:"UserId"`
	LicenseType              *string             `json:"LicenseType"`
	UserType                 *string             `json:"UserType"`
	AlexaForBusinessMetadata *a4bMetadataRequest `json:"AlexaForBusinessMetadata"`
}

// change validates the members an update sets; prefix names the item in messages.
func (req *updateUserRequest) change(errs *validate.Errors, prefix string) chime.UserChange {
	lic, typ := lifecycleRules.LicenseType, lifecycleRules.UserType
	lic.Path, typ.Path = prefix+lic.Path, prefix+typ.Path
	errs.String(lic, req.LicenseType)
	errs.String(typ, req.UserType)
	ch := chime.UserChange{LicenseType: req.LicenseType, UserType: req.UserType}
	if m := req.AlexaForBusinessMetadata; m != nil {
		ch.SetA4B(m.IsAlexaForBusinessEnabled, m.AlexaForBusinessRoomArn)
	}
	return ch
}

func (f *Face) updateUser(r *http.Request, c rollcall.Caller, rt route, body []byte) (awsx.Response, error) {
	var req updateUserRequest
	errs, err := decodeBody(body, &req)
	if err != nil {
		return awsx.Response{}, err
	}
	ch := req.change(errs, "")
	if err := errs.Err(); err != nil {
		return awsx.Response{}, err
	}
	ch.UserID = rt.userID
	u, err := f.svc.UpdateUser(r.Context(), c, rt.accountID, ch)
	if err != nil {
		return awsx.Response{}, err
	}
	return awsx.OK(userBody{u}), nil
}

// userErrorJSON is the model's UserError.
type userErrorJSON struct {
	UserId       string `json:"UserId"`
	ErrorCode    string `json:"ErrorCode"`
	ErrorMessage string `json:"ErrorMessage"`
}

func userErrors(failed []chime.UserError) any {
	out := struct {
		UserErrors []userErrorJSON `json:"UserErrors"`
	}{UserErrors: make([]userErrorJSON, 0, len(failed))}
	for _, e := range failed {
		out.UserErrors = append(out.UserErrors, userErrorJSON{UserId: e.UserID, ErrorCode: byKind[rollcall.ErrorKind(e.Err)].code, ErrorMessage: wording(e.Err)})
	}
	return out
}

func (f *Face) batchUpdateUser(r *http.Request, c rollcall.Caller, rt route, body []byte) (awsx.Response, error) {
	var req struct {
		UpdateUserRequestItems *[]updateUserRequest `json:"UpdateUserRequestItems"`
	}
	errs, err := decodeBody(body, &req)
	if err != nil {
		return awsx.Response{}, err
	}
	var changes []chime.UserChange
	items := requiredList(errs, "updateUserRequestItems", req.UpdateUserRequestItems, maxBatchUpdates)
	for i := range items {
		prefix := itemPath("updateUserRequestItems", i) + "."
		idRule := lifecycleRules.ItemUserID
		idRule.Path = prefix + idRule.Path
		errs.String(idRule, items[i].UserId)
		ch := items[i].change(errs, prefix)
		if items[i].UserId != nil {
			ch.UserID = *items[i].UserId
		}
		changes = append(changes, ch)
	}
	if err := errs.Err(); err != nil {
		return awsx.Response{}, err
	}
	failed, err := f.svc.BatchUpdateUsers(r.Context(), c, rt.accountID, changes)
	if err != nil {
		return awsx.Response{}, err
	}
	return awsx.OK(userErrors(failed)), nil
}

func (f *Face) batchSuspendUser(r *http.Request, c rollcall.Caller, rt route, body []byte) (awsx.Response, error) {
	return f.batchSuspend(r, c, rt, body, true)
}

func (f *Face) batchUnsuspendUser(r *http.Request, c rollcall.Caller, rt route, body []byte) (awsx.Response, error) {
	return f.batchSuspend(r, c, rt, body, false)
}

// batchSuspend serves BatchSuspendUser (suspend) and BatchUnsuspendUser.
func (f *Face) batchSuspend(r *http.Request, c rollcall.Caller, rt route, body []byte, suspend bool) (awsx.Response, error) {
	var req struct {
		UserIdList *[]string `json:"UserIdList"`
	}
	errs, err := decodeBody(body, &req)
	if err != nil {
		return awsx.Response{}, err
	}
	ids := stringList(errs, "userIdList", req.UserIdList, maxBatchUserIDs, validate.Rule{Pattern: patternNonEmpty})
	if err := errs.Err(); err != nil {
		return awsx.Response{}, err
	}
	failed, err := f.svc.SuspendUsers(r.Context(), c, rt.accountID, ids, suspend)
	if err != nil {
		return awsx.Response{}, err
	}
	return awsx.OK(userErrors(failed)), nil
}

type inviteJSON struct {
	InviteId     string `json:"InviteId"`
	Status       string `json:"Status"`
	EmailAddress string `json:"EmailAddress"`
	EmailStatus  string `json:"EmailStatus"`
}

func (f *Face) inviteUsers(r *http.Request, c rollcall.Caller, rt route, body []byte) (awsx.Response, error) {
	var req struct {
		UserEmailList *[]string `json:"UserEmailList"`
		UserType      *string   `json:"UserType"`
	}
	errs, err := decodeBody(body, &req)
	if err != nil {
		return awsx.Response{}, err
	}
	emails := stringList(errs, "userEmailList", req.UserEmailList, maxInviteEmails, validate.Rule{Pattern: patternEmail, Sensitive: true})
	errs.String(lifecycleRules.UserType, req.UserType)
	if err := errs.Err(); err != nil {
		return awsx.Response{}, err
	}
	invites, err := f.svc.InviteUsers(r.Context(), c, rt.accountID, emails, awsx.Deref(req.UserType))
	if err != nil {
		return awsx.Response{}, err
	}
	out := struct {
		Invites []inviteJSON `json:"Invites"`
	}{Invites: make([]inviteJSON, 0, len(invites))}
	for _, inv := range invites {
		// The invitation is in the outbox, committed with the user: delivery is the
		// dispatcher's, so "Sent" means accepted for delivery, as Chime's own does.
		out.Invites = append(out.Invites, inviteJSON{InviteId: inv.InviteID, Status: inv.Status, EmailAddress: inv.Email, EmailStatus: "Sent"})
	}
	return awsx.Created(out), nil
}

func (f *Face) resetPersonalPIN(r *http.Request, c rollcall.Caller, rt route, _ []byte) (awsx.Response, error) {
	u, err := f.svc.ResetPIN(r.Context(), c, rt.accountID, rt.userID)
	if err != nil {
		return awsx.Response{}, err
	}
	return awsx.OK(userBody{u}), nil
}

func (f *Face) logoutUser(r *http.Request, c rollcall.Caller, rt route, _ []byte) (awsx.Response, error) {
	return awsx.Unless(f.svc.LogoutUser(r.Context(), c, rt.accountID, rt.userID), awsx.NoContent())
}

func (f *Face) updateAccount(r *http.Request, c rollcall.Caller, rt route, body []byte) (awsx.Response, error) {
	var req struct {
		Name           *string `json:"Name"`
		DefaultLicense *string `json:"DefaultLicense"`
	}
	errs, err := decodeBody(body, &req)
	if err != nil {
		return awsx.Response{}, err
	}
	errs.String(accountRules.ListName, req.Name)
	errs.String(validate.Rule{Path: "defaultLicense", Enum: licenses}, req.DefaultLicense)
	if err := errs.Err(); err != nil {
		return awsx.Response{}, err
	}
	d, err := f.svc.UpdateAccount(r.Context(), c, rt.accountID, req.Name, req.DefaultLicense)
	if err != nil {
		return awsx.Response{}, err
	}
	return awsx.OK(map[string]any{"Account": accountOf(d)}), nil
}

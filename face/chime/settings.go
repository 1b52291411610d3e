package chime

import (
	"net/http"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/validate"
)

// User and account settings, and sign-in delegate groups. Routes, status codes and
// constraints are the model's (botocore chime 2018-05-01); the path's accountId and
// userId are checked as every operation's are (checkPath).

var settingsRules = struct {
	GroupName, GroupNames validate.Rule
}{
	GroupName:  validate.Rule{Required: true, Pattern: patternNonEmpty},
	GroupNames: validate.Rule{Required: true},
}

type telephonyJSON struct {
	InboundCalling  *bool `json:"InboundCalling"`
	OutboundCalling *bool `json:"OutboundCalling"`
	SMS             *bool `json:"SMS"`
}

type userSettingsJSON struct {
	Telephony *telephonyJSON `json:"Telephony"`
}

func (f *Face) getUserSettings(r *http.Request, c rollcall.Caller, rt route, _ []byte) (awsx.Response, error) {
	u, err := f.svc.User(r.Context(), c, rt.accountID, rt.userID)
	if err != nil {
		return awsx.Response{}, err
	}
	t := chime.UserTelephony(u)
	out := userSettingsJSON{Telephony: &telephonyJSON{InboundCalling: &t.InboundCalling, OutboundCalling: &t.OutboundCalling, SMS: &t.SMS}}
	return awsx.OK(map[string]any{"UserSettings": out}), nil
}

// userSettingsRequest is UpdateUserSettings' body. Every member of Telephony is
// required, so an update replaces all three.
type userSettingsRequest struct {
	UserSettings *userSettingsJSON `json:"UserSettings"`
}

// check checks the members and returns the telephony settings they give.
func (req *userSettingsRequest) check() (chime.Telephony, error) {
	var errs validate.Errors
	required := func(path string, present bool) {
		errs.Present(validate.Rule{Path: path, Required: true}, present)
	}
	var tel telephonyJSON
	required("userSettings", req.UserSettings != nil)
	if req.UserSettings != nil {
		required("userSettings.telephony", req.UserSettings.Telephony != nil)
		if req.UserSettings.Telephony != nil {
			tel = *req.UserSettings.Telephony
			required("userSettings.telephony.inboundCalling", tel.InboundCalling != nil)
			required("userSettings.telephony.outboundCalling", tel.OutboundCalling != nil)
			required("userSettings.telephony.sMS", tel.SMS != nil)
		}
	}
	if err := errs.Err(); err != nil {
		return chime.Telephony{}, err
	}
	return chime.Telephony{InboundCalling: *tel.InboundCalling, OutboundCalling: *tel.OutboundCalling, SMS: *tel.SMS}, nil
}

func (f *Face) updateUserSettings(r *http.Request, c rollcall.Caller, rt route, body []byte) (awsx.Response, error) {
	_, t, err := awsx.Decode(body, (*userSettingsRequest).check)
	if err != nil {
		return awsx.Response{}, err
	}
	return awsx.Unless(f.svc.UpdateUserSettings(r.Context(), c, rt.accountID, rt.userID, t), awsx.NoContent())
}

type accountSettingsJSON struct {
	DisableRemoteControl *bool `json:"DisableRemoteControl"`
	EnableDialOut        *bool `json:"EnableDialOut"`
}

func (f *Face) getAccountSettings(r *http.Request, c rollcall.Caller, rt route, _ []byte) (awsx.Response, error) {
	d, err := f.account(r, c, rt)
	if err != nil {
		return awsx.Response{}, err
	}
	s := chime.SettingsOf(d)
	out := accountSettingsJSON{DisableRemoteControl: &s.DisableRemoteControl, EnableDialOut: &s.EnableDialOut}
	return awsx.OK(map[string]any{"AccountSettings": out}), nil
}

// accountSettingsRequest is UpdateAccountSettings' body: members of AccountSettings
// left out keep their value.
type accountSettingsRequest struct {
	AccountSettings *accountSettingsJSON `json:"AccountSettings"`
}

// check checks the members and returns the settings to change.
func (req *accountSettingsRequest) check() (*accountSettingsJSON, error) {
	var errs validate.Errors
	errs.Present(validate.Rule{Path: "accountSettings", Required: true}, req.AccountSettings != nil)
	return req.AccountSettings, errs.Err()
}

func (f *Face) updateAccountSettings(r *http.Request, c rollcall.Caller, rt route, body []byte) (awsx.Response, error) {
	_, s, err := awsx.Decode(body, (*accountSettingsRequest).check)
	if err != nil {
		return awsx.Response{}, err
	}
	return awsx.Unless(f.svc.UpdateAccountSettings(r.Context(), c, rt.accountID, s.DisableRemoteControl, s.EnableDialOut), awsx.NoContent())
}

// associateSigninDelegateGroups serves AssociateSigninDelegateGroupsWithAccount. The
// model leaves GroupName optional, but a group without a name names nothing: rollcall
// requires it.
func (f *Face) associateSigninDelegateGroups(r *http.Request, c rollcall.Caller, rt route, body []byte) (awsx.Response, error) {
	var req struct {
		SigninDelegateGroups *[]*struct {
			GroupName *string `json:"GroupName"`
		} `json:"SigninDelegateGroups"`
	}
	errs, err := decodeBody(body, &req)
	if err != nil {
		return awsx.Response{}, err
	}
	var names []string
	for i, g := range requiredList(errs, "signinDelegateGroups", req.SigninDelegateGroups, 0) {
		path := itemPath("signinDelegateGroups", i)
		if g == nil {
			errs.Present(validate.Rule{Path: path, Required: true}, false)
			continue
		}
		rule := settingsRules.GroupName
		rule.Path = path + ".groupName"
		errs.String(rule, g.GroupName)
		if g.GroupName != nil {
			names = append(names, *g.GroupName)
		}
	}
	if err := errs.Err(); err != nil {
		return awsx.Response{}, err
	}
	return awsx.Unless(f.svc.AssociateSigninDelegateGroups(r.Context(), c, rt.accountID, names), awsx.OK(struct{}{}))
}

// disassociateSigninDelegateGroups serves DisassociateSigninDelegateGroupsFromAccount.
func (f *Face) disassociateSigninDelegateGroups(r *http.Request, c rollcall.Caller, rt route, body []byte) (awsx.Response, error) {
	var req struct {
		GroupNames *[]*string `json:"GroupNames"`
	}
	errs, err := decodeBody(body, &req)
	if err != nil {
		return awsx.Response{}, err
	}
	groups := requiredList(errs, "groupNames", req.GroupNames, 0)
	if req.GroupNames != nil && len(groups) < 1 {
		errs.Add("groupNames", "[]", "Member must have length greater than or equal to 1")
	}
	var names []string
	for i, g := range groups {
		rule := settingsRules.GroupNames
		rule.Path = itemPath("groupNames", i)
		errs.String(rule, g)
		if g != nil {
			names = append(names, *g)
		}
	}
	if err := errs.Err(); err != nil {
		return awsx.Response{}, err
	}
	return awsx.Unless(f.svc.DisassociateSigninDelegateGroups(r.Context(), c, rt.accountID, names), awsx.OK(struct{}{}))
}

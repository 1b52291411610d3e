package workdocs

import (
	"net/http"
	"net/url"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/validate"
	"github.com/rollcall/rollcall/workdocs"
)

// The operations on one user: UpdateUser, DeleteUser, ActivateUser, DeactivateUser (all
// addressed by the UserId path label), and GetCurrentUser.

// patternID is the model's IdType pattern (UserId, OrganizationId).
var patternID = patternOrganizationID

// Locales (the model's LocaleType enum, in its order).
var locales = []string{"en", "fr", "ko", "de", "es", "ja", "ru", "zh_CN", "zh_TW", "pt_BR", "default"}

// userTypes is the model's UserType enum, in its order.
var userTypes = []string{workdocs.TypeUser, workdocs.TypeAdmin, workdocs.TypePowerUser,
	workdocs.TypeMinimalUser, workdocs.TypeWorkSpacesUser}

// userRules are the constraints of the members UpdateUser, DeleteUser, ActivateUser,
// DeactivateUser and GetCurrentUser have beside CreateUser's. (UpdateUser's StorageRule
// is CreateUser's: storageRuleRequest.check.)
var userRules = struct {
	UserID, GivenName, Surname, Type, TimeZoneID, Locale, GrantPoweruser, RequiredToken validate.Rule
}{
	UserID:         validate.Rule{Path: "userId", Required: true, MinLen: 1, MaxLen: 256, Pattern: patternID},
	GivenName:      validate.Rule{Path: "givenName", MinLen: 1, MaxLen: 64, Sensitive: true},
	Surname:        validate.Rule{Path: "surname", MinLen: 1, MaxLen: 64, Sensitive: true},
	Type:           validate.Rule{Path: "type", Enum: userTypes},
	TimeZoneID:     validate.Rule{Path: "timeZoneId", MinLen: 1, MaxLen: 256},
	Locale:         validate.Rule{Path: "locale", Enum: locales},
	GrantPoweruser: validate.Rule{Path: "grantPoweruserPrivileges", Enum: []string{"TRUE", "FALSE"}},
	RequiredToken:  validate.Rule{Path: "authenticationToken", Required: true, MinLen: 1, MaxLen: 8199, Sensitive: true},
}

// userHandler serves an operation on the user the path names.
type userHandler func(r *http.Request, c rollcall.Caller, body []byte, userID string) (awsx.Response, error)

// withUserID reads the raw UserId path segment (percent-decoded, as the SDK escapes it)
// and hands it on; validation is the handler's, in member order.
func withUserID(raw string, h userHandler) handler {
	return func(r *http.Request, c rollcall.Caller, body []byte) (awsx.Response, error) {
		id, err := url.PathUnescape(raw)
		if err != nil {
			return awsx.Response{}, &awsx.Failure{Status: http.StatusBadRequest, Shape: ErrValidation, Message: "The UserId in the path is not validly escaped.", Cause: err}
		}
		return h(r, c, body, id)
	}
}

// validateUserOp checks the UserId path label.
func validateUserOp(errs *validate.Errors, userID string) {
	errs.String(userRules.UserID, &userID)
}

// validateTokenMember checks the Authentication header, when there is one.
func validateTokenMember(errs *validate.Errors, r *http.Request) {
	token, _ := authenticationToken(r)
	errs.String(createUserRules.AuthenticationToken, token)
}

// updateUserRequest is UpdateUserRequest's body (UserId is the path label).
type updateUserRequest struct {
	GivenName                *string             `json:"GivenName"`
	Surname                  *string             `json:"Surname"`
	Type                     *string             `json:"Type"`
	StorageRule              *storageRuleRequest `json:"StorageRule"`
	TimeZoneId               *string             `json:"TimeZoneId"`
	Locale                   *string             `json:"Locale"`
	GrantPoweruserPrivileges *string             `json:"GrantPoweruserPrivileges"`
}

type userResponse struct {
	User userJSON `json:"User"`
}

// updateUser serves UpdateUser (PATCH /api/v1/users/{UserId}): 200 {"User": ...}.
func (f *Face) updateUser(r *http.Request, c rollcall.Caller, body []byte, userID string) (awsx.Response, error) {
	var req updateUserRequest
	if err := httpx.DecodeJSON(body, &req); err != nil {
		return awsx.Response{}, err
	}
	if err := req.StorageRule.parse(); err != nil {
		return awsx.Response{}, err
	}
	var errs validate.Errors
	validateUserOp(&errs, userID)
	errs.String(userRules.GivenName, req.GivenName)
	errs.String(userRules.Surname, req.Surname)
	errs.String(userRules.Type, req.Type)
	req.StorageRule.check(&errs)
	errs.String(userRules.TimeZoneID, req.TimeZoneId)
	errs.String(userRules.Locale, req.Locale)
	errs.String(userRules.GrantPoweruser, req.GrantPoweruserPrivileges)
	validateTokenMember(&errs, r)
	if err := errs.Err(); err != nil {
		return awsx.Response{}, err
	}
	in := workdocs.UpdateUserInput{
		UserID:      userID,
		GivenName:   req.GivenName,
		Surname:     req.Surname,
		Type:        awsx.Deref(req.Type),
		TimeZoneID:  req.TimeZoneId,
		Locale:      awsx.Deref(req.Locale),
		StorageRule: req.StorageRule.rule(),
	}
	if g := req.GrantPoweruserPrivileges; g != nil {
		grant := *g == "TRUE"
		in.GrantPoweruser = &grant
	}
	u, err := f.svc.UpdateUser(r.Context(), c, in)
	return userReply(u, withEntity(err, userID))
}

// userReply answers 200 {"User": ...}, or err.
func userReply(u *workdocs.User, err error) (awsx.Response, error) {
	if err != nil {
		return awsx.Response{}, err
	}
	return awsx.OK(userResponse{User: userOf(u)}), nil
}

// userOnly serves an operation whose only members are UserId and the token: it checks
// them, and names the user in a missing-user error.
func userOnly(op func(r *http.Request, c rollcall.Caller, userID string) (awsx.Response, error)) func(*http.Request, rollcall.Caller, []byte, string) (awsx.Response, error) {
	return func(r *http.Request, c rollcall.Caller, _ []byte, userID string) (awsx.Response, error) {
		var errs validate.Errors
		validateUserOp(&errs, userID)
		validateTokenMember(&errs, r)
		if err := errs.Err(); err != nil {
			return awsx.Response{}, err
		}
		resp, err := op(r, c, userID)
		return resp, withEntity(err, userID)
	}
}

// deleteUser serves DeleteUser (DELETE /api/v1/users/{UserId}): 204, no body.
func (f *Face) deleteUser(r *http.Request, c rollcall.Caller, userID string) (awsx.Response, error) {
	return awsx.Unless(f.svc.DeleteUser(r.Context(), c, userID), awsx.NoContent())
}

// activateUser serves ActivateUser (POST /api/v1/users/{UserId}/activation): 200
// {"User": ...}.
func (f *Face) activateUser(r *http.Request, c rollcall.Caller, userID string) (awsx.Response, error) {
	return userReply(f.svc.ActivateUser(r.Context(), c, userID))
}

// deactivateUser serves DeactivateUser (DELETE /api/v1/users/{UserId}/activation): 204.
func (f *Face) deactivateUser(r *http.Request, c rollcall.Caller, userID string) (awsx.Response, error) {
	return awsx.Unless(f.svc.DeactivateUser(r.Context(), c, userID), awsx.NoContent())
}

// getCurrentUser serves GetCurrentUser (GET /api/v1/me): the user of the Authentication
// token, which the operation requires. A request signed with AWS credentials may carry
// the token too; it must then be a token of the same account.
func (f *Face) getCurrentUser(r *http.Request, c rollcall.Caller, _ []byte) (awsx.Response, error) {
	token, _ := authenticationToken(r)
	var errs validate.Errors
	errs.String(userRules.RequiredToken, token)
	if err := errs.Err(); err != nil {
		return awsx.Response{}, err
	}
	if c.UserID == "" {
		tc, err := f.tokens.WorkDocs(r.Context(), *token)
		if err != nil {
			return awsx.Response{}, err
		}
		if tc.TenantID != c.TenantID {
			return awsx.Response{}, &rollcall.Error{Kind: rollcall.Unauthorized, Reason: rollcall.ReasonInvalidToken,
				Message: "The Authentication token belongs to another account."}
		}
		c = tc
	}
	return userReply(f.svc.CurrentUser(r.Context(), c))
}

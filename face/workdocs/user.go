package workdocs

import (
	"bytes"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/validate"
	"github.com/rollcall/rollcall/workdocs"
)

// createUserRequest is CreateUserRequest's body as the service model spells it. Pointers
// tell an absent member from an empty one. (AuthenticationToken is a header, not here.)
type createUserRequest struct {
	OrganizationId *string             `json:"OrganizationId"`
	Username       *string             `json:"Username"`
	EmailAddress   *string             `json:"EmailAddress"`
	GivenName      *string             `json:"GivenName"`
	Surname        *string             `json:"Surname"`
	Password       *string             `json:"Password"`
	TimeZoneId     *string             `json:"TimeZoneId"`
	StorageRule    *storageRuleRequest `json:"StorageRule"`
}

// storageRuleRequest is the model's StorageRuleType in a request. The Long member is kept
// raw and parsed by parseLong, which words a fraction or an out-of-range number better
// than the decoder does.
type storageRuleRequest struct {
	StorageAllocatedInBytes jsontext.Value `json:"StorageAllocatedInBytes"`
	StorageType             *string        `json:"StorageType"`

	allocated *int64 // StorageAllocatedInBytes, once parsed
}

// parse reads the raw Long member; a request without a StorageRule has nothing to read.
func (sr *storageRuleRequest) parse() error {
	if sr == nil {
		return nil
	}
	n, err := parseLong("StorageRule.StorageAllocatedInBytes", sr.StorageAllocatedInBytes)
	sr.allocated = n
	return err
}

// check checks the rule's members, once parsed, when the request has a StorageRule.
func (sr *storageRuleRequest) check(errs *validate.Errors) {
	if sr == nil {
		return
	}
	errs.Int(createUserRules.StorageAllocatedInBytes, sr.allocated)
	errs.String(createUserRules.StorageType, sr.StorageType)
}

// rule is the core's form of the rule; nil when the request has none.
func (sr *storageRuleRequest) rule() *workdocs.StorageRule {
	if sr == nil {
		return nil
	}
	return &workdocs.StorageRule{AllocatedInBytes: sr.allocated, Type: awsx.Deref(sr.StorageType)}
}

// parseLong reads a JSON member of the model's type long: null or absent is nil; a whole
// number in the range of a signed 64-bit integer is its value; anything else is a decode
// error. The value itself is not echoed (it may be very long).
func parseLong(path string, raw jsontext.Value) (*int64, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw.Kind() == 'n' {
		return nil, nil
	}
	if raw.Kind() != '0' {
		return nil, &httpx.DecodeError{Message: "Invalid type for '" + path + "': expected a number, found " + jsonKind(raw.Kind()) + "."}
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		return nil, &httpx.DecodeError{Message: "Invalid value for '" + path + "': expected a whole number from " +
			strconv.FormatInt(math.MinInt64, 10) + " to " + strconv.FormatInt(math.MaxInt64, 10) + "."}
	}
	return &n, nil
}

func jsonKind(k jsontext.Kind) string {
	switch k {
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case '[':
		return "a list"
	case '{':
		return "an object"
	}
	return "a value"
}

// storageRuleJSON is the model's StorageRuleType in a response.
type storageRuleJSON struct {
	StorageAllocatedInBytes *int64  `json:"StorageAllocatedInBytes,omitempty"`
	StorageType             *string `json:"StorageType,omitempty"`
}

type createUserResponse struct {
	User userJSON `json:"User"`
}

// userJSON is the model's User structure. Optional members the user does not have
// (EmailAddress, TimeZoneId) are left out rather than sent empty: their minimum length
// is 1.
type userJSON struct {
	Id                 string       `json:"Id"`
	Username           string       `json:"Username"`
	EmailAddress       string       `json:"EmailAddress,omitempty"`
	GivenName          string       `json:"GivenName"`
	Surname            string       `json:"Surname"`
	OrganizationId     string       `json:"OrganizationId"`
	RootFolderId       string       `json:"RootFolderId,omitempty"`       // a seeded user has none
	RecycleBinFolderId string       `json:"RecycleBinFolderId,omitempty"` // (minimum length 1)
	Status             string       `json:"Status"`
	Type               string       `json:"Type"`
	CreatedTimestamp   epochSeconds `json:"CreatedTimestamp"`
	ModifiedTimestamp  epochSeconds `json:"ModifiedTimestamp"`
	TimeZoneId         string       `json:"TimeZoneId,omitempty"`
	Locale             string       `json:"Locale,omitempty"`
	Storage            *storageJSON `json:"Storage,omitempty"` // DescribeUsers: only with fields=STORAGE_METADATA
}

// storageJSON is the model's UserStorageMetadata.
type storageJSON struct {
	StorageUtilizedInBytes int64           `json:"StorageUtilizedInBytes"`
	StorageRule            storageRuleJSON `json:"StorageRule"`
}

// epochSeconds is the REST-JSON timestamp format: seconds since the Unix epoch as a JSON
// number, with milliseconds as the fraction (1700000000.123), as AWS services send them.
type epochSeconds time.Time

func (t epochSeconds) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return strconv.AppendFloat(nil, float64(ms)/1000, 'f', -1, 64), nil
}

// Patterns as the API reference page gives them (Java syntax; validate translates).
var (
	patternEmail          = validate.MustPattern(`[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\.[a-zA-Z]{2,}`)
	patternOrganizationID = validate.MustPattern(`[&\w+-.@]+`)
	patternPassword       = validate.MustPattern(`[\u0020-\u00FF]+`)
	patternUsername       = validate.MustPattern(`[\w\-+.]+(@[a-zA-Z0-9.\-]+\.[a-zA-Z]+)?`)
)

// StorageType values (the model's StorageType enum, in its order).
var storageTypes = []string{workdocs.Unlimited, workdocs.Quota}

// createUserRules is the constraint table of CreateUser, in the model's member order.
// Paths are named as the service's (Coral) messages name them: lowerCamel member names,
// nested members joined with a dot. Members the model marks sensitive are never echoed.
var createUserRules = struct {
	OrganizationID, Username, EmailAddress, GivenName, Surname, Password, TimeZoneID,
	StorageAllocatedInBytes, StorageType, AuthenticationToken validate.Rule
}{
	OrganizationID:          validate.Rule{Path: "organizationId", MinLen: 1, MaxLen: 256, Pattern: patternOrganizationID},
	Username:                validate.Rule{Path: "username", Required: true, MinLen: 1, MaxLen: 256, Pattern: patternUsername, Sensitive: true},
	EmailAddress:            validate.Rule{Path: "emailAddress", MinLen: 1, MaxLen: 256, Pattern: patternEmail, Sensitive: true},
	GivenName:               validate.Rule{Path: "givenName", Required: true, MinLen: 1, MaxLen: 64, Sensitive: true},
	Surname:                 validate.Rule{Path: "surname", Required: true, MinLen: 1, MaxLen: 64, Sensitive: true},
	Password:                validate.Rule{Path: "password", Required: true, MinLen: 4, MaxLen: 32, Pattern: patternPassword, Sensitive: true},
	TimeZoneID:              validate.Rule{Path: "timeZoneId", MinLen: 1, MaxLen: 256},
	StorageAllocatedInBytes: validate.Rule{Path: "storageRule.storageAllocatedInBytes", Min: validate.Int64(0)},
	StorageType:             validate.Rule{Path: "storageRule.storageType", Enum: storageTypes},
	AuthenticationToken:     validate.Rule{Path: "authenticationToken", MinLen: 1, MaxLen: 8199, Sensitive: true},
}

// decode reads the body strictly (httpx.DecodeJSON), then the raw Long member.
func (req *createUserRequest) decode(body []byte) error {
	if err := httpx.DecodeJSON(body, req); err != nil {
		return err
	}
	return req.StorageRule.parse()
}

func (req *createUserRequest) validate(token *string) error {
	rules := &createUserRules
	var errs validate.Errors
	errs.String(rules.OrganizationID, req.OrganizationId)
	errs.String(rules.Username, req.Username)
	errs.String(rules.EmailAddress, req.EmailAddress)
	errs.String(rules.GivenName, req.GivenName)
	errs.String(rules.Surname, req.Surname)
	errs.String(rules.Password, req.Password)
	errs.String(rules.TimeZoneID, req.TimeZoneId)
	req.StorageRule.check(&errs)
	errs.String(rules.AuthenticationToken, token)
	return errs.Err()
}

// validateToken checks the Authentication header alone, for requests that would
// authenticate with it.
func validateToken(token *string) error {
	var errs validate.Errors
	errs.String(createUserRules.AuthenticationToken, token)
	return errs.Err()
}

// createUser serves CreateUser.
func (f *Face) createUser(r *http.Request, c rollcall.Caller, body []byte) (awsx.Response, error) {
	var req createUserRequest
	if err := req.decode(body); err != nil {
		return awsx.Response{}, err
	}
	token, _ := authenticationToken(r)
	if err := req.validate(token); err != nil {
		return awsx.Response{}, err
	}
	in := workdocs.CreateUserInput{
		OrganizationID: awsx.Deref(req.OrganizationId),
		Username:       *req.Username,
		EmailAddress:   awsx.Deref(req.EmailAddress),
		GivenName:      *req.GivenName,
		Surname:        *req.Surname,
		Password:       *req.Password,
		TimeZoneID:     awsx.Deref(req.TimeZoneId),
		StorageRule:    req.StorageRule.rule(),
	}
	u, err := f.svc.CreateUser(r.Context(), c, in)
	if err != nil {
		return awsx.Response{}, err
	}
	return awsx.Created(createUserResponse{User: userOf(u)}), nil
}

// userOf is the wire form of a WorkDocs user.
func userOf(u *workdocs.User) userJSON {
	rule := storageRuleJSON{StorageAllocatedInBytes: u.Attrs.StorageAllocatedInBytes}
	if u.Attrs.StorageType != "" {
		st := u.Attrs.StorageType
		rule.StorageType = &st
	}
	return userJSON{
		Id:                 u.ID,
		Username:           u.Username,
		EmailAddress:       u.Email,
		GivenName:          u.GivenName,
		Surname:            u.FamilyName,
		OrganizationId:     u.DirectoryID,
		RootFolderId:       u.Attrs.RootFolderID,
		RecycleBinFolderId: u.Attrs.RecycleBinFolderID,
		Status:             u.Status,
		Type:               u.UserType,
		CreatedTimestamp:   epochSeconds(u.CreatedAt),
		ModifiedTimestamp:  epochSeconds(u.UpdatedAt),
		TimeZoneId:         u.Attrs.TimeZoneID,
		Locale:             u.Attrs.Locale,
		Storage:            &storageJSON{StorageUtilizedInBytes: u.Attrs.StorageUtilizedInBytes, StorageRule: rule},
	}
}

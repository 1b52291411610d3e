package chime

import (
	"net/http"
	"strconv"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/chime"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/httpx"
	"github.com/rollcall/rollcall/internal/jsonstr"
	"github.com/rollcall/rollcall/internal/plainjson"
	"github.com/rollcall/rollcall/validate"
)

var userRules = struct{ Email, Username, UserType validate.Rule }{
	Email: validate.Rule{Path: "email", Pattern: patternEmail, Sensitive: true},
	// CreateUserRequest's Username is a bare String in the model; its UserName shape
	// (1-100 characters, sensitive) is the only length the model gives a user name.
	Username: validate.Rule{Path: "username", MaxLen: 100, Sensitive: true},
	UserType: validate.Rule{Path: "userType", Enum: []string{chime.PrivateUser, chime.SharedDevice}},
}

type createUserRequest struct {
	Email    *string   `json:"Email"`
	Username *string   `json:"Username"`
	UserType *string   `json:"UserType"`
	plain    [3]string // what decodePlain points the members at
}

// decode reads body: the plain form the SDKs send without reflection, anything else as
// every face decodes.
func (req *createUserRequest) decode(body []byte) error {
	if req.decodePlain(body) {
		return nil
	}
	*req = createUserRequest{} // what decodePlain read before it gave up
	return httpx.DecodeJSON(body, req)
}

// decodePlain reads body when it is plain JSON (internal/plainjson) of the request's
// members, each once, in the body's one copy: the reflective decoder made three
// allocations more. It reports false for any other body (an unknown member, an escape, a
// null, a duplicate, a syntax error), which httpx.DecodeJSON then reads or words as it
// always has: so this path decides nothing of its own (FuzzDecodePlain holds it to that).
func (req *createUserRequest) decodePlain(body []byte) bool {
	r := plainjson.NewReader(body)
	field := func(member **string, v *string) bool {
		if *member != nil {
			return false
		}
		*member = v
		return r.Str(v)
	}
	return r.Object(func(name string) bool {
		switch name {
		case "Email":
			return field(&req.Email, &req.plain[0])
		case "Username":
			return field(&req.Username, &req.plain[1])
		case "UserType":
			return field(&req.UserType, &req.plain[2])
		}
		return false
	}) && r.Done()
}

func (req *createUserRequest) validate() error {
	var errs validate.Errors
	errs.String(userRules.Email, req.Email)
	errs.String(userRules.Username, req.Username)
	errs.String(userRules.UserType, req.UserType)
	return errs.Err()
}

// userJSON is the User of the reference page's sample response, member for member,
// including the members it shows as null.
type userJSON struct {
	AccountId                string      `json:"AccountId"`
	AlexaForBusinessMetadata a4bMetadata `json:"AlexaForBusinessMetadata"`
	Delegates                []string    `json:"Delegates"`
	Devices                  []string    `json:"Devices"`
	DisplayName              string      `json:"DisplayName"`
	EmailAlias               []string    `json:"EmailAlias"`
	FullName                 string      `json:"FullName"`
	InvitedOn                *string     `json:"InvitedOn"`
	IsProTrial               bool        `json:"IsProTrial"`
	LastActiveOn             *string     `json:"LastActiveOn"`
	LicenseType              string      `json:"LicenseType"`
	PersonalPIN              *string     `json:"PersonalPIN"`
	PresenceVisibility       *string     `json:"PresenceVisibility"`
	PrimaryEmail             *string     `json:"PrimaryEmail"`
	PrimaryProvisionedNumber *string     `json:"PrimaryProvisionedNumber"`
	RegisteredOn             *string     `json:"RegisteredOn"`
	UserId                   string      `json:"UserId"`
	UserInvitationStatus     *string     `json:"UserInvitationStatus"`
	UserLocale               *string     `json:"UserLocale"`
	UserRegistrationStatus   *string     `json:"UserRegistrationStatus"`
	UserType                 string      `json:"UserType"`
	Vanity                   *string     `json:"Vanity"`
}

type a4bMetadata struct {
	AlexaForBusinessRoomArn   *string `json:"AlexaForBusinessRoomArn"`
	IsAlexaForBusinessEnabled bool    `json:"IsAlexaForBusinessEnabled"`
}

// optional is s, or nil when *s is empty. It points into what s points into (the user
// being answered), so it allocates nothing.
func optional(s *string) *string {
	if *s == "" {
		return nil
	}
	return s
}

// userResponse is the body of the operations that answer one user.
type userResponse struct {
	User userJSON `json:"User"`
}

func userOf(u *chime.User) userJSON {
	a4b := a4bMetadata{IsAlexaForBusinessEnabled: u.Attrs.A4BEnabled, AlexaForBusinessRoomArn: optional(&u.Attrs.A4BRoomArn)}
	return userJSON{
		AccountId:                u.DirectoryID,
		AlexaForBusinessMetadata: a4b,
		PersonalPIN:              optional(&u.Attrs.PersonalPIN),
		DisplayName:              u.DisplayName,
		EmailAlias:               []string{},
		FullName:                 u.DisplayName,
		InvitedOn:                timestamp(u.Attrs.InvitedOn),
		LicenseType:              u.Attrs.LicenseType,
		PrimaryEmail:             optional(&u.Email),
		RegisteredOn:             timestamp(u.Attrs.RegisteredOn),
		UserId:                   u.ID,
		UserInvitationStatus:     optional(&u.Attrs.InvitationStatus),
		UserRegistrationStatus:   optional(&u.Attrs.RegistrationStatus),
		UserType:                 u.UserType,
	}
}

func (f *Face) createUser(r *http.Request, c rollcall.Caller, rt route, body []byte) (awsx.Response, error) {
	var req createUserRequest
	if err := req.decode(body); err != nil {
		return awsx.Response{}, err
	}
	if err := req.validate(); err != nil {
		return awsx.Response{}, err
	}
	u, err := f.svc.CreateUser(r.Context(), c, chime.CreateUserInput{
		AccountID: rt.accountID, Email: awsx.Deref(req.Email), Username: awsx.Deref(req.Username), UserType: awsx.Deref(req.UserType),
	})
	if err != nil {
		return awsx.Response{}, err
	}
	return awsx.Created(userBody{u}), nil
}

// userBody is the body of the operations that answer one user (userResponse), as one
// pointer: a Response holds it without copying userResponse's 300 bytes to the heap.
type userBody struct{ u *chime.User }

func (b userBody) AppendJSON(buf []byte) []byte {
	return userResponse{User: userOf(b.u)}.AppendJSON(buf)
}

func (b userBody) MarshalJSON() ([]byte, error) { return b.AppendJSON(nil), nil }

// AppendJSON writes r byte for byte as json.Marshal does (TestUserResponseBytes), without
// reflection: every CreateUser answers one.
func (r userResponse) AppendJSON(b []byte) []byte {
	u := &r.User
	b = append(b, `{"User":{"AccountId":`...)
	b = jsonstr.Append(b, u.AccountId)
	b = append(b, `,"AlexaForBusinessMetadata":{"AlexaForBusinessRoomArn":`...)
	b = appendOptional(b, u.AlexaForBusinessMetadata.AlexaForBusinessRoomArn)
	b = append(b, `,"IsAlexaForBusinessEnabled":`...)
	b = strconv.AppendBool(b, u.AlexaForBusinessMetadata.IsAlexaForBusinessEnabled)
	b = append(b, `},"Delegates":`...)
	b = appendStrings(b, u.Delegates)
	b = append(b, `,"Devices":`...)
	b = appendStrings(b, u.Devices)
	b = append(b, `,"DisplayName":`...)
	b = jsonstr.Append(b, u.DisplayName)
	b = append(b, `,"EmailAlias":`...)
	b = appendStrings(b, u.EmailAlias)
	b = append(b, `,"FullName":`...)
	b = jsonstr.Append(b, u.FullName)
	b = append(b, `,"InvitedOn":`...)
	b = appendOptional(b, u.InvitedOn)
	b = append(b, `,"IsProTrial":`...)
	b = strconv.AppendBool(b, u.IsProTrial)
	for _, m := range [...]struct {
		name string
		v    *string
	}{{`,"LastActiveOn":`, u.LastActiveOn}, {`,"LicenseType":`, &u.LicenseType}, {`,"PersonalPIN":`, u.PersonalPIN},
		{`,"PresenceVisibility":`, u.PresenceVisibility}, {`,"PrimaryEmail":`, u.PrimaryEmail},
		{`,"PrimaryProvisionedNumber":`, u.PrimaryProvisionedNumber}, {`,"RegisteredOn":`, u.RegisteredOn},
		{`,"UserId":`, &u.UserId}, {`,"UserInvitationStatus":`, u.UserInvitationStatus}, {`,"UserLocale":`, u.UserLocale},
		{`,"UserRegistrationStatus":`, u.UserRegistrationStatus}, {`,"UserType":`, &u.UserType}, {`,"Vanity":`, u.Vanity}} {
		b = append(b, m.name...)
		b = appendOptional(b, m.v)
	}
	return append(b, "}}"...)
}

// appendOptional writes *s, or null for nil.
func appendOptional(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return jsonstr.Append(b, *s)
}

// appendStrings writes a list, or null for nil, as json.Marshal does.
func appendStrings(b []byte, list []string) []byte {
	if list == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range list {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonstr.Append(b, s)
	}
	return append(b, ']')
}

package amazonbusiness

import (
	"net/http"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/business"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/validate"
)

// createRequest is CreateBusinessUserAccountRequest. Pointers tell absent from empty.
type createRequest struct {
	AccountHolder               *accountHolder   `json:"accountHolder"`
	GroupID                     *groupIdentifier `json:"groupId"`
	Role                        *string          `json:"role"`
	Region                      *string          `json:"region"`
	NotificationTypesToSuppress []string         `json:"notificationTypesToSuppress"`
}

// accountHolder is AccountHolder.
type accountHolder struct {
	Email      *string `json:"email"`
	GivenName  *string `json:"givenName"`
	FamilyName *string `json:"familyName"`
}

// groupIdentifier is BusinessGroupIdentifier.
type groupIdentifier struct {
	IDType *string `json:"idType"`
	ID     *string `json:"id"`
}

// createResponse is CreateBusinessUserAccountResponse: an empty object.
type createResponse struct{}

// AppendJSON appends {}, what json.Marshal writes of it, without reflection.
func (createResponse) AppendJSON(b []byte) []byte { return append(b, "{}"...) }

// createdBody is the body of every created account's answer, known before the write:
// the pipeline declares it (awsx.Pipeline.ServeDeclared), so the call's audit event
// carries it from the create's transaction.
var createdBody = createResponse{}.AppendJSON(nil)

// Limits the reference page does not state; see the package documentation.
const (
	MaxEmailLen = 254 // the longest address SMTP can carry (RFC 5321: a 256-octet path less the brackets)
	MaxNameLen  = 256
	MaxGroupID  = 256
)

// Enums of the reference page.
var (
	roles             = []string{"Requisitioner", "PunchoutUser", "Administrator", "Finance", "Tech"}
	regions           = []string{"DE", "FR", "UK", "IT", "ES", "US", "CA", "JP"}
	idTypes           = []string{business.GroupByID, business.GroupByTag}
	notificationTypes = []string{business.SuppressEmail}
)

// The constraints of createBusinessUserAccount's members.
var (
	ruleAccountHolder = validate.Rule{Path: "accountHolder", Required: true}
	ruleEmail         = validate.Rule{Path: "accountHolder.email", Required: true, MinLen: 1, MaxLen: MaxEmailLen}
	ruleGivenName     = validate.Rule{Path: "accountHolder.givenName", Required: true, MinLen: 1, MaxLen: MaxNameLen}
	ruleFamilyName    = validate.Rule{Path: "accountHolder.familyName", Required: true, MinLen: 1, MaxLen: MaxNameLen}
	ruleIDType        = validate.Rule{Path: "groupId.idType", Required: true, Enum: idTypes}
	ruleGroupID       = validate.Rule{Path: "groupId.id", Required: true, MinLen: 1, MaxLen: MaxGroupID}
	ruleRole          = validate.Rule{Path: "role", Enum: roles} // the business's default when absent
	ruleRegion        = validate.Rule{Path: "region", Required: true, Enum: regions}
	ruleNotification  = validate.Rule{Path: "notificationTypesToSuppress", Enum: notificationTypes}
)

// createBusinessUserAccount: token (403), throttle (429), Content-Type (415), body size
// (413) — the pipeline's — then JSON (400), members (400), then the core: group (404),
// defaults and email (400).
func (f *Face) createBusinessUserAccount(r *http.Request, c rollcall.Caller, body []byte) (awsx.Response, error) {
	req, err := decodeCreate(body)
	if err != nil {
		return awsx.Response{}, err
	}
	in, err := req.input()
	if err != nil {
		return awsx.Response{}, err
	}
	if _, err := f.svc.CreateUser(r.Context(), c, in); err != nil {
		return awsx.Response{}, err
	}
	return awsx.Response{Status: http.StatusCreated, Value: createResponse{}, Header: f.withRateLimitHeader(nil, http.StatusCreated)}, nil
}

// input validates the request and turns it into the core's input.
func (req *createRequest) input() (business.CreateUserInput, error) {
	var p paramErrors
	var in business.CreateUserInput
	if h := req.AccountHolder; !p.absent(ruleAccountHolder, h != nil) {
		in.Email = p.email(ruleEmail, h.Email)
		in.GivenName = p.name(ruleGivenName, h.GivenName)
		in.FamilyName = p.name(ruleFamilyName, h.FamilyName)
	}
	if g := req.GroupID; g != nil {
		in.Group = &business.GroupRef{
			IDType: p.str(ruleIDType, g.IDType),
			ID:     p.notBlank(ruleGroupID, g.ID),
		}
	}
	in.Role = p.str(ruleRole, req.Role)
	in.Region = p.str(ruleRegion, req.Region)
	for i, n := range req.NotificationTypesToSuppress {
		if !slices.Contains(ruleNotification.Enum, n) { // the item's path is made only for its error
			rule := ruleNotification
			rule.Path += "[" + strconv.Itoa(i) + "]"
			p.str(rule, &n)
		}
	}
	in.Suppress = req.NotificationTypesToSuppress
	if len(p) > 0 {
		return in, p
	}
	return in, nil
}

// paramErrors collects the members that fail their rules, each as an ErrorList entry.
type paramErrors []apiError

func (p paramErrors) Error() string {
	msgs := make([]string, len(p))
	for i, e := range p {
		msgs[i] = e.Message
	}
	return strings.Join(msgs, " ")
}

func (p *paramErrors) add(message string) {
	*p = append(*p, apiError{Code: codeInvalidParameter, Message: message})
}

func (p *paramErrors) missing(r validate.Rule) {
	p.add("The required request parameter is missing: " + r.Path + ".")
}

func (p *paramErrors) invalid(r validate.Rule, v, why string) {
	p.add("Invalid value for request parameter " + r.Path + ": '" + truncate(v) + "'. " + why)
}

// absent reports whether a structure member is absent, and records it when it is
// required.
func (p *paramErrors) absent(r validate.Rule, present bool) bool {
	if !present && r.Required {
		p.missing(r)
	}
	return !present
}

// str checks a string member against its rule: required, length, enum. It returns the
// value, "" when absent.
func (p *paramErrors) str(r validate.Rule, v *string) string {
	if v == nil {
		if r.Required {
			p.missing(r)
		}
		return ""
	}
	s := *v
	switch n := utf16Len(s); {
	case n < r.MinLen && n == 0:
		p.add("Invalid value for request parameter " + r.Path + ": the value must not be empty.")
	case n < r.MinLen:
		p.invalid(r, s, "The value must be at least "+strconv.Itoa(r.MinLen)+" characters long.")
	case r.MaxLen > 0 && n > r.MaxLen:
		p.add("Invalid value for request parameter " + r.Path + ": the value must be at most " + strconv.Itoa(r.MaxLen) + " characters long.")
	case len(r.Enum) > 0 && !slices.Contains(r.Enum, s):
		p.invalid(r, s, "Valid values are "+strings.Join(r.Enum, ", ")+".")
	}
	return s
}

// notBlank is str, and the value must hold more than white space.
func (p *paramErrors) notBlank(r validate.Rule, v *string) string {
	before := len(*p)
	s := p.str(r, v)
	if v != nil && len(*p) == before && strings.TrimSpace(s) == "" {
		p.add("Invalid value for request parameter " + r.Path + ": the value must not be blank.")
	}
	return s
}

// name is notBlank, and the value must hold no control characters (it goes into mail
// headers).
func (p *paramErrors) name(r validate.Rule, v *string) string {
	before := len(*p)
	s := p.notBlank(r, v)
	if v != nil && len(*p) == before && strings.IndexFunc(s, unicode.IsControl) >= 0 {
		p.add("Invalid value for request parameter " + r.Path + ": the value must not contain control characters.")
	}
	return s
}

// email is str, and the value must be a bare, plausible email address.
func (p *paramErrors) email(r validate.Rule, v *string) string {
	before := len(*p)
	s := p.str(r, v)
	if v != nil && len(*p) == before && !plausibleEmail(s) {
		p.invalid(r, s, "The value must be an email address, such as name@example.com.")
	}
	return s
}

// plausibleEmail reports whether s is a bare address that net/mail parses to itself, with
// at least two non-empty labels in its domain. The usual address (ASCII dot-atoms on
// both sides of its @, simpleEmail) is told without net/mail, which allocates.
func plausibleEmail(s string) bool { return simpleEmail(s) || parsedEmail(s) }

// parsedEmail is plausibleEmail by net/mail.
func parsedEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	at := strings.LastIndexByte(s, '@')
	labels := strings.Split(s[at+1:], ".")
	if at <= 0 || len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if l == "" {
			return false
		}
	}
	return true
}

// simpleEmail reports whether s is local@domain, each side an ASCII dot-atom (RFC 5322:
// atext runs joined by single dots), with a dot in domain. net/mail parses every such s
// to itself, so plausibleEmail holds for it.
func simpleEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	return at > 0 && dotAtom(s[:at]) && dotAtom(s[at+1:]) && strings.IndexByte(s[at+1:], '.') > 0
}

// dotAtom reports whether s is an ASCII dot-atom: no leading, trailing or double dot.
func dotAtom(s string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '.':
			if s[i-1] == '.' {
				return false
			}
		case c < '!' || c > '~' || strings.IndexByte(`()<>[]:;@\,"`, c) >= 0:
			return false
		}
	}
	return true
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if l := utf16.RuneLen(r); l > 0 {
			n += l
		} else {
			n++
		}
	}
	return n
}

// truncate shortens a value echoed in a message.
func truncate(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "..."
}

package alexaforbusiness

import (
	"net/http"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/internal/jsonstr"
	"github.com/rollcall/rollcall/validate"
)

// createUserRequest is CreateUserRequest as the service model spells it. Pointers tell
// an absent member from an empty one.
type createUserRequest struct {
	UserId             *string          `json:"UserId"`
	FirstName          *string          `json:"FirstName"`
	LastName           *string          `json:"LastName"`
	Email              *string          `json:"Email"`
	ClientRequestToken *string          `json:"ClientRequestToken"`
	Tags               *[]*keyValueJSON `json:"Tags"`
}

// keyValueJSON is the model's Tag and Sort structures: each is a Key and a Value.
type keyValueJSON struct {
	Key   *string `json:"Key"`
	Value *string `json:"Value"`
}

type createUserResponse struct {
	UserArn string `json:"UserArn"`
}

// Patterns as the API reference page gives them. Where the page and the service model
// differ (Email), the page wins.
var (
	patternClientRequestToken = validate.MustPattern(`[a-zA-Z0-9][a-zA-Z0-9_-]*`)
	patternEmail              = validate.MustPattern(`([0-9a-zA-Z]([+-.\w]*[0-9a-zA-Z])*@([0-9a-zA-Z][-\w]*[0-9a-zA-Z]\.)+[a-zA-Z]{2,9})`)
	patternName               = validate.MustPattern(`([A-Za-z\-' 0-9._]|\p{IsLetter})*`)
	patternUserID             = validate.MustPattern(`[a-zA-Z0-9@_+.-]*`)
	// The page gives no constraints for Tag; these are the model's TagKey and TagValue.
	patternTag = validate.MustPattern(`^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$`)
)

// createUserRules is the constraint table of CreateUser, in the model's member order.
// Paths are named as the service's messages name them: lowerCamel member names, list
// elements as <list>.<n>.member.<field> counting from 1.
var createUserRules = struct {
	UserID, FirstName, LastName, Email, ClientRequestToken, TagKey, TagValue validate.Rule
}{
	UserID:             validate.Rule{Path: "userId", Required: true, MinLen: 1, MaxLen: 128, Pattern: patternUserID},
	FirstName:          validate.Rule{Path: "firstName", MinLen: 0, MaxLen: 30, Pattern: patternName},
	LastName:           validate.Rule{Path: "lastName", MinLen: 0, MaxLen: 30, Pattern: patternName},
	Email:              validate.Rule{Path: "email", MinLen: 1, MaxLen: 128, Pattern: patternEmail},
	ClientRequestToken: validate.Rule{Path: "clientRequestToken", MinLen: 10, MaxLen: 150, Pattern: patternClientRequestToken},
	TagKey:             validate.Rule{Required: true, MinLen: 1, MaxLen: 128, Pattern: patternTag},
	TagValue:           validate.Rule{Required: true, MinLen: 0, MaxLen: 256, Pattern: patternTag},
}

// validate checks every member and returns the user to create (its Tags nil for none
// or an empty list: the same request).
func (req *createUserRequest) validate() (alexa.CreateUserInput, error) {
	rules := &createUserRules
	var errs validate.Errors
	errs.String(rules.UserID, req.UserId)
	errs.String(rules.FirstName, req.FirstName)
	errs.String(rules.LastName, req.LastName)
	errs.String(rules.Email, req.Email)
	errs.String(rules.ClientRequestToken, req.ClientRequestToken)
	var tags []alexa.Tag
	if req.Tags != nil {
		tags = checkTags(&errs, *req.Tags, false)
	}
	if err := errs.Err(); err != nil {
		return alexa.CreateUserInput{}, err
	}
	return alexa.CreateUserInput{
		UserID:             *req.UserId,
		Email:              awsx.Deref(req.Email),
		FirstName:          awsx.Deref(req.FirstName),
		LastName:           awsx.Deref(req.LastName),
		ClientRequestToken: awsx.Deref(req.ClientRequestToken),
		Tags:               tags,
	}, nil
}

// checkTags checks a Tags list, item by item (tags.<n>.member.key and .value, the keys
// unique), and returns its tags. reserved also refuses system tags (aws:), which
// TagResource does and CreateUser does not.
func checkTags(errs *validate.Errors, list []*keyValueJSON, reserved bool) []alexa.Tag {
	var tags []alexa.Tag
	seen := make(map[string]bool, len(list))
	validate.Members(errs, "tags", list, func(path string, t *keyValueJSON) {
		key, value := createUserRules.TagKey, createUserRules.TagValue
		key.Path, value.Path = path+".key", path+".value"
		errs.String(key, t.Key)
		if reserved {
			checkReserved(errs, key.Path, t.Key)
		}
		errs.String(value, t.Value)
		if t.Key != nil {
			if seen[*t.Key] {
				errs.Add(key.Path, *t.Key, "Member must be unique among the keys of tags")
			}
			seen[*t.Key] = true
		}
		tags = append(tags, alexa.Tag{Key: awsx.Deref(t.Key), Value: awsx.Deref(t.Value)})
	})
	return tags
}

// createUser serves CreateUser.
func (f *Face) createUser(r *http.Request, c rollcall.Caller, body []byte) (awsx.Response, error) {
	var in alexa.CreateUserInput
	var err error
	if req, ok := plainCreateUser(body); ok {
		in, err = req.validate()
	} else {
		_, in, err = awsx.Decode(body, (*createUserRequest).validate)
	}
	if err != nil {
		return awsx.Response{}, err
	}
	d := &declarer{r: r}
	in.Declare = d
	arn, err := f.svc.CreateUser(r.Context(), c, in)
	if err != nil {
		return awsx.Response{}, withToken(err, in.ClientRequestToken)
	}
	if d.body.JSON != nil && arn == d.arn {
		return awsx.OK(&d.body), nil // the bytes declared (not a retry's first ARN)
	}
	return awsx.OK(createUserResponse{UserArn: arn}), nil
}

// declarer declares a create's answer for the audit trail (awsx.Declare) and keeps it,
// encoded into its own buffer: when the create answers the ARN it declared, the answer
// is those bytes. One allocation (this) for the declaration and the answer's body,
// where the declaration's bytes, the answer's value and its output buffer were three
// or more.
type declarer struct {
	r    *http.Request
	arn  string
	body awsx.Encoded
	buf  [128]byte // {"UserArn":"arn:aws:a4b:<region>:<account>:user/<UUID>"} is about 95
}

func (d *declarer) Declare(arn string) {
	d.arn = arn
	d.body.JSON = createUserResponse{UserArn: arn}.AppendJSON(d.buf[:0])
	awsx.Declare(d.r, &d.body)
}

// AppendJSON writes r byte for byte as json.Marshal does, without reflection: every
// CreateUser answers one.
func (r createUserResponse) AppendJSON(b []byte) []byte {
	b = append(b, `{"UserArn":`...)
	b = jsonstr.Append(b, r.UserArn)
	return append(b, '}')
}

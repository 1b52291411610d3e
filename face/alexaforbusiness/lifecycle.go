package alexaforbusiness

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/pagetoken"
	"github.com/rollcall/rollcall/validate"
)

// The model's Arn pattern, matched by validate's linear check of it (Go's regexp cannot
// compile its .{0,1023}); messages quote the model.
const arnPatternText = `arn:[a-z0-9-\.]{1,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[a-z0-9-\.]{0,63}:[^/].{0,1023}`

var arnPattern = validate.MustPattern(arnPatternText)

// lifecycleRules is the constraint table of DeleteUser, TagResource, UntagResource and
// ListTags. The model marks UserArn of DeleteUser optional, but its documentation says
// "Required." and nothing can be deleted without it, so rollcall requires it.
var lifecycleRules = struct {
	EnrollmentID, NextToken, MaxResults validate.Rule
}{
	EnrollmentID: validate.Rule{Path: "enrollmentId", Required: true, MinLen: 0, MaxLen: 128},
	NextToken:    validate.Rule{Path: "nextToken", MinLen: 1, MaxLen: 1100},
	MaxResults:   validate.Rule{Path: "maxResults", Min: validate.Int64(1), Max: validate.Int64(maxResultsLimit)},
}

// checkArn checks an Arn member: required, and the model's pattern.
func checkArn(errs *validate.Errors, path string, v *string) {
	errs.String(validate.Rule{Path: path, Required: true}, v)
	if v != nil && !arnPattern.Match(*v) {
		errs.Add(path, *v, "Member must satisfy regular expression pattern: "+arnPatternText)
	}
}

// checkTagKey checks a TagKey: the model's length and pattern, and no system tag.
func checkTagKey(errs *validate.Errors, path string, k *string) {
	rule := createUserRules.TagKey
	rule.Path = path
	errs.String(rule, k)
	checkReserved(errs, path, k)
}

// checkReserved refuses a system tag key (the documentation: "Do not provide system
// tags").
func checkReserved(errs *validate.Errors, path string, k *string) {
	if k != nil && strings.HasPrefix(strings.ToLower(*k), "aws:") {
		errs.Add(path, *k, "Member must not begin with aws: (system tags are reserved)")
	}
}

// userEnrollmentRequest is the body of DeleteUser and RevokeInvitation: a user and
// one of its enrollments.
type userEnrollmentRequest struct {
	UserArn      *string `json:"UserArn"`
	EnrollmentId *string `json:"EnrollmentId"`
}

// resource is what a checked request names: a resource (a user's ARN) and what the
// operation does to it (V: an enrollment ID, tags to set, tag keys to remove).
type resource[V any] struct {
	arn string
	v   V
}

// named is the resource arn names, with v; or, when errs holds any, the members' errors
// (arn is not nil without one: checkArn requires it).
func named[V any](errs *validate.Errors, arn *string, v V) (resource[V], error) {
	if err := errs.Err(); err != nil {
		return resource[V]{}, err
	}
	return resource[V]{arn: *arn, v: v}, nil
}

// validate checks the members and returns the user and enrollment they name.
func (req *userEnrollmentRequest) validate() (resource[string], error) {
	var errs validate.Errors
	checkArn(&errs, "userArn", req.UserArn)
	errs.String(lifecycleRules.EnrollmentID, req.EnrollmentId)
	return named(&errs, req.UserArn, awsx.Deref(req.EnrollmentId))
}

// resourceOp is the handler of an operation on one resource that answers an empty
// result (DeleteUser and RevokeInvitation on a user's enrollment, TagResource,
// UntagResource): it checks the request with check, then runs op, the product's method,
// on the resource and what check returned with it.
func resourceOp[Req, V any](f *Face, check func(*Req) (resource[V], error),
	op func(*alexa.Service, context.Context, rollcall.Caller, string, V) error) handler {
	return func(r *http.Request, c rollcall.Caller, body []byte) (awsx.Response, error) {
		_, res, err := awsx.Decode(body, check)
		if err != nil {
			return awsx.Response{}, err
		}
		return awsx.Unless(op(f.svc, r.Context(), c, res.arn, res.v), awsx.OK(struct{}{}))
	}
}

type tagResourceRequest struct {
	Arn  *string          `json:"Arn"`
	Tags *[]*keyValueJSON `json:"Tags"`
}

// validate checks the members and returns the resource and the tags to set.
func (req *tagResourceRequest) validate() (resource[[]alexa.Tag], error) {
	var errs validate.Errors
	checkArn(&errs, "arn", req.Arn)
	errs.Present(validate.Rule{Path: "tags", Required: true}, req.Tags != nil)
	var tags []alexa.Tag
	if req.Tags != nil {
		tags = checkTags(&errs, *req.Tags, true)
	}
	return named(&errs, req.Arn, tags)
}

type untagResourceRequest struct {
	Arn     *string    `json:"Arn"`
	TagKeys *[]*string `json:"TagKeys"`
}

// validate checks the members and returns the resource and the tag keys to remove.
func (req *untagResourceRequest) validate() (resource[[]string], error) {
	var errs validate.Errors
	checkArn(&errs, "arn", req.Arn)
	errs.Present(validate.Rule{Path: "tagKeys", Required: true}, req.TagKeys != nil)
	var keys []string
	if req.TagKeys != nil {
		for i, k := range *req.TagKeys {
			checkTagKey(&errs, "tagKeys."+strconv.Itoa(i+1)+".member", k)
			keys = append(keys, awsx.Deref(k))
		}
	}
	return named(&errs, req.Arn, keys)
}

type listTagsRequest struct {
	Arn        *string `json:"Arn"`
	NextToken  *string `json:"NextToken"`
	MaxResults *int64  `json:"MaxResults"`
}

type listTagsResponse struct {
	Tags      []tagOut `json:"Tags"`
	NextToken *string  `json:"NextToken,omitempty"`
}

type tagOut struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

// tagsCursor is the ListTags position: the last key returned.
type tagsCursor struct {
	After string `json:"k"`
}

var errBadTagsToken = &validate.Error{Message: "1 validation error detected: Value at 'nextToken' failed to satisfy constraint: " +
	"Member must be a NextToken returned by ListTags for this account and Arn"}

// validate checks the members and returns the page size.
func (req *listTagsRequest) validate() (limit int, err error) {
	var errs validate.Errors
	checkArn(&errs, "arn", req.Arn)
	errs.String(lifecycleRules.NextToken, req.NextToken)
	errs.Int(lifecycleRules.MaxResults, req.MaxResults)
	if req.MaxResults != nil {
		return int(*req.MaxResults), errs.Err()
	}
	return maxResultsLimit, errs.Err()
}

// listTags serves ListTags on user ARNs: the tags ordered by key.
func (f *Face) listTags(r *http.Request, c rollcall.Caller, body []byte) (awsx.Response, error) {
	req, limit, err := awsx.Decode(body, (*listTagsRequest).validate)
	if err != nil {
		return awsx.Response{}, err
	}
	scope := pagetoken.Scope(c.TenantID, "a4b.ListTags", *req.Arn)
	var cur tagsCursor
	if req.NextToken != nil {
		if err := f.Pages.Open(scope, *req.NextToken, &cur); err != nil || cur.After == "" {
			return awsx.Response{}, errBadTagsToken
		}
	}
	tags, next, err := f.svc.Tags(r.Context(), c, *req.Arn, cur.After, limit)
	if err != nil {
		return awsx.Response{}, err
	}
	out := listTagsResponse{Tags: make([]tagOut, 0, len(tags))}
	for _, t := range tags {
		out.Tags = append(out.Tags, tagOut{Key: t.Key, Value: t.Value})
	}
	if next != "" {
		tok := f.Pages.Seal(scope, tagsCursor{After: next})
		out.NextToken = &tok
	}
	return awsx.OK(out), nil
}

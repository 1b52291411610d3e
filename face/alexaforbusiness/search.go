package alexaforbusiness

import (
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/pagetoken"
	"github.com/rollcall/rollcall/validate"
)

// searchUsersRequest is SearchUsersRequest as the service model spells it.
type searchUsersRequest struct {
	NextToken    *string          `json:"NextToken"`
	MaxResults   *int64           `json:"MaxResults"`
	Filters      *[]*filterJSON   `json:"Filters"`
	SortCriteria *[]*keyValueJSON `json:"SortCriteria"`
}

// filterJSON is the model's Filter structure.
type filterJSON struct {
	Key    *string    `json:"Key"`
	Values *[]*string `json:"Values"`
}

// userDataJSON is the model's UserData structure.
type userDataJSON struct {
	UserArn          string  `json:"UserArn"`
	FirstName        *string `json:"FirstName,omitempty"`
	LastName         *string `json:"LastName,omitempty"`
	Email            *string `json:"Email,omitempty"`
	EnrollmentStatus string  `json:"EnrollmentStatus"`
	EnrollmentId     string  `json:"EnrollmentId"`
}

type searchUsersResponse struct {
	Users      []userDataJSON `json:"Users"`
	NextToken  *string        `json:"NextToken,omitempty"`
	TotalCount int            `json:"TotalCount"`
}

// The model's limits for SearchUsers (aws-sdk-go v1.51.32, api-2.json).
const (
	maxResultsLimit = 50 // MaxResults: 1..50; also the page size when MaxResults is absent
	maxFilters      = 25 // FilterList
	maxFilterValues = 50 // FilterValueList
	maxSortCriteria = 25 // SortList
)

// searchUsersRules is the constraint table of SearchUsers, in the model's member order.
// List elements are named <list>.<n>.member.<field>, counting from 1.
var searchUsersRules = struct {
	NextToken, MaxResults, FilterKey, FilterValue, SortKey, SortValue validate.Rule
}{
	NextToken:   validate.Rule{Path: "nextToken", MinLen: 1, MaxLen: 1100},
	MaxResults:  validate.Rule{Path: "maxResults", Min: validate.Int64(1), Max: validate.Int64(maxResultsLimit)},
	FilterKey:   validate.Rule{Required: true, MinLen: 1, MaxLen: 500, Enum: alexa.SearchFields},
	FilterValue: validate.Rule{Required: true, MinLen: 1, MaxLen: 500},
	SortKey:     validate.Rule{Required: true, MinLen: 1, MaxLen: 500, Enum: alexa.SearchFields},
	SortValue:   validate.Rule{Required: true, Enum: []string{"ASC", "DESC"}},
}

// validate checks every member and returns the search it asks for (without the cursor).
func (req *searchUsersRequest) validate() (alexa.SearchUsersInput, error) {
	rules := &searchUsersRules
	var errs validate.Errors
	in := alexa.SearchUsersInput{Limit: maxResultsLimit}
	errs.String(rules.NextToken, req.NextToken)
	errs.Int(rules.MaxResults, req.MaxResults)
	if req.MaxResults != nil {
		in.Limit = int(*req.MaxResults)
	}
	if req.Filters != nil {
		errs.MaxItems("filters", len(*req.Filters), maxFilters)
		validate.Members(&errs, "filters", *req.Filters, func(path string, f *filterJSON) {
			key := rules.FilterKey
			key.Path = path + ".key"
			errs.String(key, f.Key)
			errs.Present(validate.Rule{Path: path + ".values", Required: true}, f.Values != nil)
			filter := alexa.Filter{Key: awsx.Deref(f.Key)}
			if f.Values != nil {
				errs.MaxItems(path+".values", len(*f.Values), maxFilterValues)
				for j, v := range *f.Values {
					value := rules.FilterValue
					value.Path = path + ".values." + strconv.Itoa(j+1) + ".member"
					errs.String(value, v)
					filter.Values = append(filter.Values, awsx.Deref(v))
				}
			}
			in.Filters = append(in.Filters, filter)
		})
	}
	if req.SortCriteria != nil {
		errs.MaxItems("sortCriteria", len(*req.SortCriteria), maxSortCriteria)
		validate.Members(&errs, "sortCriteria", *req.SortCriteria, func(path string, s *keyValueJSON) {
			key, value := rules.SortKey, rules.SortValue
			key.Path, value.Path = path+".key", path+".value"
			errs.String(key, s.Key)
			errs.String(value, s.Value)
			in.Sort = append(in.Sort, alexa.Sort{Key: awsx.Deref(s.Key), Descending: awsx.Deref(s.Value) == "DESC"})
		})
	}
	return in, errs.Err()
}

// errBadNextToken answers a NextToken this service did not issue for this search.
var errBadNextToken = &validate.Error{Message: "1 validation error detected: Value at 'nextToken' failed to satisfy constraint: " +
	"Member must be a NextToken returned by SearchUsers for this account with the same Filters and SortCriteria"}

// searchScope binds a NextToken to the account and to the search's filters and order
// (MaxResults may change from page to page).
func searchScope(c rollcall.Caller, in alexa.SearchUsersInput) string {
	filters, _ := json.Marshal(in.Filters)
	order, _ := json.Marshal(alexa.EffectiveSort(in.Sort))
	return pagetoken.Scope(c.TenantID, "a4b.SearchUsers", string(filters), string(order))
}

// searchUsers serves SearchUsers.
func (f *Face) searchUsers(r *http.Request, c rollcall.Caller, body []byte) (awsx.Response, error) {
	req, in, err := awsx.Decode(body, (*searchUsersRequest).validate)
	if err != nil {
		return awsx.Response{}, err
	}
	scope := searchScope(c, in)
	if req.NextToken != nil {
		var cur alexa.Cursor
		if err := f.Pages.Open(scope, *req.NextToken, &cur); err != nil {
			return awsx.Response{}, errBadNextToken
		}
		in.After = &cur
	}
	page, err := f.svc.SearchUsers(r.Context(), c, in)
	if rollcall.IsKind(err, rollcall.Invalid) && in.After != nil {
		return awsx.Response{}, errBadNextToken
	}
	if err != nil {
		return awsx.Response{}, err
	}
	out := searchUsersResponse{Users: make([]userDataJSON, 0, len(page.Users)), TotalCount: len(page.Users)}
	for _, u := range page.Users {
		out.Users = append(out.Users, userDataJSON{
			UserArn:          u.Attrs.Arn,
			FirstName:        optional(u.GivenName),
			LastName:         optional(u.FamilyName),
			Email:            optional(u.Email),
			EnrollmentStatus: alexa.EnrollmentStatus(u),
			EnrollmentId:     alexa.EnrollmentID(u),
		})
	}
	if page.Next != nil {
		tok := f.Pages.Seal(scope, page.Next)
		out.NextToken = &tok
	}
	return awsx.OK(out), nil
}

// optional omits an empty member, as the service omits members a user does not have.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

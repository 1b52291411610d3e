package workdocs

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/pagetoken"
	"github.com/rollcall/rollcall/validate"
	"github.com/rollcall/rollcall/workdocs"
)

// DescribeUsers: GET /api/v1/users with every member in the query string.

// Values of DescribeUsers' enums, in the model's order.
var (
	userFilters = []string{"ALL", "ACTIVE_PENDING"}
	orders      = []string{"ASCENDING", "DESCENDING"}
	userSorts   = []string{workdocs.SortUserName, workdocs.SortFullName, workdocs.SortStorageLimit,
		workdocs.SortUserStatus, workdocs.SortStorageUsed}
)

// fieldStorageMetadata is the Fields value that adds each user's Storage.
const fieldStorageMetadata = "STORAGE_METADATA"

// describeUsersRules is DescribeUsers' constraint table (the service model's; the API
// reference page gives the same).
var describeUsersRules = struct {
	OrganizationID, UserIDs, Query, Include, Order, Sort, Marker, Limit, Fields validate.Rule
}{
	OrganizationID: validate.Rule{Path: "organizationId", MinLen: 1, MaxLen: 256, Pattern: patternID},
	UserIDs:        validate.Rule{Path: "userIds", MinLen: 1, MaxLen: 2000, Pattern: validate.MustPattern(`[&\w+-.@, ]+`)},
	Query:          validate.Rule{Path: "query", MinLen: 1, MaxLen: 512, Pattern: validate.MustPattern(`[\u0020-\uFFFF]+`), Sensitive: true},
	Include:        validate.Rule{Path: "include", Enum: userFilters},
	Order:          validate.Rule{Path: "order", Enum: orders},
	Sort:           validate.Rule{Path: "sort", Enum: userSorts},
	Marker:         validate.Rule{Path: "marker", MinLen: 1, MaxLen: 2048},
	Limit:          validate.Rule{Path: "limit", Min: validate.Int64(1), Max: validate.Int64(999)},
	Fields:         validate.Rule{Path: "fields", MinLen: 1, MaxLen: 256, Pattern: validate.MustPattern(`[\w,]+`)},
}

// describeUsersRequest is DescribeUsersRequest as the query string carries it; nil is
// absent.
type describeUsersRequest struct {
	OrganizationID, UserIDs, Query, Include, Order, Sort, Marker, Limit, Fields *string
	limit                                                                       *int64
}

// decode reads the query string. A member given twice is refused rather than guessed.
func (req *describeUsersRequest) decode(rawQuery string) error {
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return &awsx.Failure{Status: http.StatusBadRequest, Shape: ErrValidation, Message: "The query string is not validly encoded.", Cause: err}
	}
	members := []struct {
		name string
		dst  **string
	}{
		{"organizationId", &req.OrganizationID}, {"userIds", &req.UserIDs}, {"query", &req.Query},
		{"include", &req.Include}, {"order", &req.Order}, {"sort", &req.Sort}, {"marker", &req.Marker},
		{"limit", &req.Limit}, {"fields", &req.Fields},
	}
	for _, m := range members {
		vs, ok := q[m.name]
		if !ok {
			continue
		}
		if len(vs) > 1 {
			return &awsx.Failure{Status: http.StatusBadRequest, Shape: ErrValidation, Message: "The query parameter '" + m.name + "' is given more than once."}
		}
		v := vs[0]
		*m.dst = &v
	}
	if req.Limit != nil {
		n, err := strconv.ParseInt(*req.Limit, 10, 64)
		if err != nil {
			return &awsx.Failure{Status: http.StatusBadRequest, Shape: ErrValidation,
				Message: "Invalid value for 'limit': expected a whole number from 1 to 999.", Cause: err}
		}
		req.limit = &n
	}
	return nil
}

func (req *describeUsersRequest) validate(r *http.Request) error {
	rules := &describeUsersRules
	var errs validate.Errors
	errs.String(rules.OrganizationID, req.OrganizationID)
	errs.String(rules.UserIDs, req.UserIDs)
	errs.String(rules.Query, asUTF16Units(req.Query))
	errs.String(rules.Include, req.Include)
	errs.String(rules.Order, req.Order)
	errs.String(rules.Sort, req.Sort)
	errs.String(rules.Marker, req.Marker)
	errs.Int(rules.Limit, req.limit)
	errs.String(rules.Fields, req.Fields)
	validateTokenMember(&errs, r)
	return errs.Err()
}

// asUTF16Units stands each character beyond the Basic Multilingual Plane in for the two
// UTF-16 code units (surrogates, U+D800-U+DFFF) the service's Java pattern sees, as two
// U+FFFD: the pattern [\u0020-\uFFFF]+ then accepts what the service accepts (an emoji), and
// the length stays counted in code units. For a sensitive member only: the value changes.
func asUTF16Units(s *string) *string {
	if s == nil || !strings.ContainsFunc(*s, func(r rune) bool { return r > 0xFFFF }) {
		return s
	}
	var b strings.Builder
	for _, r := range *s {
		if r > 0xFFFF {
			r = utf8.RuneError
			b.WriteRune(r)
		}
		b.WriteRune(r)
	}
	out := b.String()
	return &out
}

// input turns the request into the core's input, with defaults applied (Include
// ACTIVE_PENDING, Sort USER_NAME, Order ASCENDING, Limit 24).
func (req *describeUsersRequest) input() workdocs.DescribeUsersInput {
	in := workdocs.DescribeUsersInput{
		OrganizationID:  awsx.Deref(req.OrganizationID),
		IncludeInactive: awsx.Deref(req.Include) == "ALL",
		Sort:            awsx.Deref(req.Sort),
		Descending:      awsx.Deref(req.Order) == "DESCENDING",
	}
	if in.Sort == "" {
		in.Sort = workdocs.SortUserName
	}
	if req.limit != nil {
		in.Limit = int(*req.limit)
	}
	if req.UserIDs != nil {
		for _, id := range strings.Split(*req.UserIDs, ",") {
			if id = strings.TrimSpace(id); id != "" {
				in.UserIDs = append(in.UserIDs, id)
			}
		}
	}
	if len(in.UserIDs) == 0 {
		in.Query = awsx.Deref(req.Query)
	}
	return in
}

// markerScope binds a Marker to the caller and to everything that decides the order and
// the set of users paged through (the Limit may change from page to page).
func markerScope(c rollcall.Caller, in workdocs.DescribeUsersInput) string {
	include := "ACTIVE_PENDING"
	if in.IncludeInactive {
		include = "ALL"
	}
	order := "ASCENDING"
	if in.Descending {
		order = "DESCENDING"
	}
	return pagetoken.Scope("workdocs", "DescribeUsers", c.TenantID, c.DirectoryID, c.UserID, in.OrganizationID,
		strings.Join(in.UserIDs, ","), in.Query, include, in.Sort, order)
}

type describeUsersResponse struct {
	Users              []userJSON `json:"Users"`
	TotalNumberOfUsers int64      `json:"TotalNumberOfUsers"`
	Marker             string     `json:"Marker,omitempty"`
}

// describeUsers serves DescribeUsers: 200 {"Users": [...], "TotalNumberOfUsers": n,
// "Marker": ...}. TotalNumberOfUsers (deprecated in the model) is the number of users in
// this page; Marker is left out on the last page.
func (f *Face) describeUsers(r *http.Request, c rollcall.Caller, _ []byte) (awsx.Response, error) {
	var req describeUsersRequest
	if err := req.decode(r.URL.RawQuery); err != nil {
		return awsx.Response{}, err
	}
	if err := req.validate(r); err != nil {
		return awsx.Response{}, err
	}
	in := req.input()
	scope := markerScope(c, in)
	if req.Marker != nil {
		var cur workdocs.UsersCursor
		if err := f.Markers.Open(scope, *req.Marker, &cur); err != nil {
			return awsx.Response{}, errInvalidMarker(err)
		}
		in.After = &cur
	}
	out, err := f.svc.DescribeUsers(r.Context(), c, in)
	if err != nil {
		if rollcall.IsKind(err, rollcall.Invalid) && req.Marker != nil && describeErrField(err) == "Marker" {
			return awsx.Response{}, errInvalidMarker(err)
		}
		return awsx.Response{}, err
	}
	storage := false
	for _, name := range strings.Split(awsx.Deref(req.Fields), ",") {
		storage = storage || strings.EqualFold(name, fieldStorageMetadata)
	}
	resp := describeUsersResponse{Users: make([]userJSON, len(out.Users)), TotalNumberOfUsers: int64(len(out.Users))}
	for i, u := range out.Users {
		resp.Users[i] = userOf(u)
		if !storage {
			resp.Users[i].Storage = nil
		}
	}
	if out.Next != nil {
		resp.Marker = f.Markers.Seal(scope, out.Next)
	}
	return awsx.OK(resp), nil
}

func describeErrField(err error) string {
	var e *rollcall.Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

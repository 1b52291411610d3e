package alexaforbusiness_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	a4b "github.com/aws/aws-sdk-go/service/alexaforbusiness"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
	face "github.com/rollcall/rollcall/face/alexaforbusiness"
	"github.com/rollcall/rollcall/pagetoken"
)

// person is a user the tests create through the core.
type person struct {
	ID, First, Last, Email string
}

// MustCreate creates users in an account through the core (faster than the SDK when a
// test needs hundreds) and returns their ARNs by UserId.
func (h *harness) MustCreate(tb testing.TB, accountID string, people ...person) map[string]string {
	tb.Helper()
	arns := make(map[string]string, len(people))
	for _, p := range people {
		arn, err := h.Alexa.CreateUser(context.Background(), rollcall.Caller{TenantID: accountID, Region: "us-east-1"},
			alexa.CreateUserInput{UserID: p.ID, FirstName: p.First, LastName: p.Last, Email: p.Email})
		if err != nil {
			tb.Fatalf("create %s: %v", p.ID, err)
		}
		arns[p.ID] = arn
	}
	return arns
}

// staff is a small directory with ties in every sortable field.
var staff = []person{
	{"ada", "Ada", "Lovelace", "ada@example.com"},
	{"grace", "Grace", "Hopper", "Grace@Example.com"},
	{"alan", "Alan", "Turing", "alan@example.com"},
	{"edsger", "Edsger", "Dijkstra", ""},
	{"barbara", "Barbara", "Liskov", "barbara@example.com"},
	{"ada2", "Ada", "Byron", "ada.byron@example.com"},
	{"nobody", "", "", ""},
}

// mustSearchAll walks every page of a search with the SDK's paginator and returns the
// users in the order they came, failing on a repeated user.
func mustSearchAll(tb testing.TB, client *a4b.AlexaForBusiness, in *a4b.SearchUsersInput) (users []*a4b.UserData, pages int) {
	tb.Helper()
	seen := map[string]bool{}
	err := client.SearchUsersPages(in, func(out *a4b.SearchUsersOutput, last bool) bool {
		pages++
		if int(aws.Int64Value(out.TotalCount)) != len(out.Users) {
			tb.Errorf("page %d: TotalCount %d, %d users", pages, aws.Int64Value(out.TotalCount), len(out.Users))
		}
		if last != (out.NextToken == nil) {
			tb.Errorf("page %d: last %v but NextToken %v", pages, last, out.NextToken)
		}
		for _, u := range out.Users {
			arn := aws.StringValue(u.UserArn)
			if seen[arn] {
				tb.Errorf("user %s returned twice", arn)
			}
			seen[arn] = true
			users = append(users, u)
		}
		if pages > 10000 {
			tb.Errorf("still paging after %d pages", pages)
			return false
		}
		return true
	})
	if err != nil {
		tb.Fatalf("SearchUsers: %v", err)
	}
	return users, pages
}

// idsOf maps returned users back to their UserIds.
func idsOf(users []*a4b.UserData, arns map[string]string) []string {
	byArn := make(map[string]string, len(arns))
	for id, arn := range arns {
		byArn[arn] = id
	}
	ids := make([]string, 0, len(users))
	for _, u := range users {
		ids = append(ids, byArn[aws.StringValue(u.UserArn)])
	}
	return ids
}

func TestSearchUsersSDK(t *testing.T) {
	h := MustHarness(t)
	arns := h.MustCreate(t, rollcall.DevAccountID, staff...)
	client := h.MustClient(t, "", "")
	out, err := client.SearchUsers(&a4b.SearchUsersInput{SortCriteria: []*a4b.Sort{{Key: aws.String("UserId"), Value: aws.String("ASC")}}})
	if err != nil {
		t.Fatalf("SearchUsers: %v", err)
	}
	if out.NextToken != nil || aws.Int64Value(out.TotalCount) != int64(len(staff)) || len(out.Users) != len(staff) {
		t.Fatalf("got %d users, TotalCount %d, NextToken %v", len(out.Users), aws.Int64Value(out.TotalCount), out.NextToken)
	}
	want := []string{"ada", "ada2", "alan", "barbara", "edsger", "grace", "nobody"}
	if got := idsOf(out.Users, arns); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("order %v, want %v", got, want)
	}
	ada := out.Users[0]
	wantEnrollment := strings.Replace(arns["ada"], ":user/", ":enrollment/", 1)
	if aws.StringValue(ada.UserArn) != arns["ada"] || aws.StringValue(ada.FirstName) != "Ada" || aws.StringValue(ada.LastName) != "Lovelace" ||
		aws.StringValue(ada.Email) != "ada@example.com" || aws.StringValue(ada.EnrollmentStatus) != a4b.EnrollmentStatusInitialized ||
		aws.StringValue(ada.EnrollmentId) != wantEnrollment || !pageArnPattern.MatchString(wantEnrollment) {
		t.Errorf("ada = %s", ada)
	}
	if len(wantEnrollment) > 128 {
		t.Errorf("EnrollmentId %q is longer than the model's 128", wantEnrollment)
	}
	nobody := out.Users[6]
	if nobody.FirstName != nil || nobody.LastName != nil || nobody.Email != nil || nobody.EnrollmentId == nil {
		t.Errorf("a user without names = %s", nobody)
	}
	// An account with no Alexa for Business users yet: an empty list, not an error.
	empty, err := h.MustClient(t, otherKeyID, otherSecret).SearchUsers(&a4b.SearchUsersInput{})
	if err != nil || len(empty.Users) != 0 || empty.NextToken != nil || aws.Int64Value(empty.TotalCount) != 0 {
		t.Fatalf("other account: %v, %s", err, empty)
	}
}

func filter(key string, values ...string) *a4b.Filter {
	return &a4b.Filter{Key: aws.String(key), Values: aws.StringSlice(values)}
}

func sortBy(key, dir string) *a4b.Sort {
	return &a4b.Sort{Key: aws.String(key), Value: aws.String(dir)}
}

func TestSearchUsersFiltersAndSorts(t *testing.T) {
	h := MustHarness(t)
	arns := h.MustCreate(t, rollcall.DevAccountID, staff...)
	client := h.MustClient(t, "", "")
	for _, tc := range []struct {
		name    string
		filters []*a4b.Filter
		sorts   []*a4b.Sort
		want    string // UserIds in order
	}{
		{"UserId values are alternatives", []*a4b.Filter{filter("UserId", "alan", "ada", "missing")}, nil, "ada,alan"},
		{"UserId is exact", []*a4b.Filter{filter("UserId", "ADA", "ad")}, nil, ""},
		{"FirstName", []*a4b.Filter{filter("FirstName", "Ada")}, []*a4b.Sort{sortBy("UserId", "DESC")}, "ada2,ada"},
		{"FirstName is exact", []*a4b.Filter{filter("FirstName", "ada", "Ad")}, nil, ""},
		{"LastName", []*a4b.Filter{filter("LastName", "Hopper", "Liskov")}, []*a4b.Sort{sortBy("LastName", "ASC")}, "grace,barbara"},
		{"Email ignores case", []*a4b.Filter{filter("Email", "grace@example.com", "ADA@EXAMPLE.COM")}, []*a4b.Sort{sortBy("Email", "ASC")}, "grace,ada"}, // "G" < "a",
		{"filters are all required", []*a4b.Filter{filter("FirstName", "Ada"), filter("LastName", "Byron")}, nil, "ada2"},
		{"a UserId filter with another", []*a4b.Filter{filter("UserId", "ada", "grace"), filter("LastName", "Hopper")}, nil, "grace"},
		{"EnrollmentStatus INITIALIZED", []*a4b.Filter{filter("EnrollmentStatus", "INITIALIZED")}, []*a4b.Sort{sortBy("UserId", "ASC")},
			"ada,ada2,alan,barbara,edsger,grace,nobody"},
		{"EnrollmentStatus REGISTERED", []*a4b.Filter{filter("EnrollmentStatus", "REGISTERED", "PENDING")}, nil, ""},
		{"an empty Values list matches nothing", []*a4b.Filter{filter("FirstName")}, nil, ""},
		{"by UserId, descending", nil, []*a4b.Sort{sortBy("UserId", "DESC")}, "nobody,grace,edsger,barbara,alan,ada2,ada"},
		// Empty values sort first; names compare bytewise.
		{"by FirstName, then UserId descending", nil, []*a4b.Sort{sortBy("FirstName", "ASC"), sortBy("UserId", "DESC")},
			"nobody,ada2,ada,alan,barbara,edsger,grace"},
		{"by LastName, descending", nil, []*a4b.Sort{sortBy("LastName", "DESC")}, "alan,ada,barbara,grace,edsger,ada2,nobody"},
		{"by Email: upper case first, empty first", []*a4b.Filter{filter("UserId", "grace", "ada", "edsger")}, []*a4b.Sort{sortBy("Email", "ASC")},
			"edsger,grace,ada"},
		{"a repeated sort key is the first one", nil, []*a4b.Sort{sortBy("LastName", "DESC"), sortBy("LastName", "ASC")},
			"alan,ada,barbara,grace,edsger,ada2,nobody"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, size := range []int64{50, 2, 1} { // one page, and the same walk over many
				users, _ := mustSearchAll(t, client, &a4b.SearchUsersInput{Filters: tc.filters, SortCriteria: tc.sorts, MaxResults: aws.Int64(size)})
				got := strings.Join(idsOf(users, arns), ",")
				if tc.sorts == nil {
					ids := idsOf(users, arns)
					sort.Strings(ids)
					got = strings.Join(ids, ",")
				}
				if got != tc.want {
					t.Fatalf("MaxResults %d: got %q, want %q", size, got, tc.want)
				}
			}
		})
	}
}

// TestSearchUsersPages walks 23 users five at a time in every kind of order.
func TestSearchUsersPages(t *testing.T) {
	h := MustHarness(t)
	var people []person
	for i := 0; i < 23; i++ {
		people = append(people, person{ID: fmt.Sprintf("user%02d", i), First: fmt.Sprintf("F%d", i%4), Last: fmt.Sprintf("L%02d", 22-i)})
	}
	arns := h.MustCreate(t, rollcall.DevAccountID, people...)
	h.MustCreate(t, otherAccountID, person{ID: "user00"}, person{ID: "zz-other"})
	client := h.MustClient(t, "", "")
	for _, tc := range []struct {
		name    string
		filters []*a4b.Filter
		sorts   []*a4b.Sort
		want    []string // nil: any order
		pages   int
	}{
		{"no sort (index by ID)", nil, nil, nil, 5},
		{"UserId ascending (index by key)", nil, []*a4b.Sort{sortBy("UserId", "ASC")}, ids(0, 23, 1), 5},
		{"UserId descending (index by key)", nil, []*a4b.Sort{sortBy("UserId", "DESC")}, ids(22, -1, -1), 5},
		{"LastName ascending (scan)", nil, []*a4b.Sort{sortBy("LastName", "ASC")}, ids(22, -1, -1), 5},
		{"FirstName, ties by ID (scan)", nil, []*a4b.Sort{sortBy("FirstName", "DESC"), sortBy("UserId", "ASC")},
			[]string{"user03", "user07", "user11", "user15", "user19", "user02", "user06", "user10", "user14", "user18", "user22",
				"user01", "user05", "user09", "user13", "user17", "user21", "user00", "user04", "user08", "user12", "user16", "user20"}, 5},
		{"filtered (scan)", []*a4b.Filter{filter("FirstName", "F1", "F2")}, []*a4b.Sort{sortBy("UserId", "ASC")},
			[]string{"user01", "user02", "user05", "user06", "user09", "user10", "user13", "user14", "user17", "user18", "user21", "user22"}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			users, pages := mustSearchAll(t, client, &a4b.SearchUsersInput{Filters: tc.filters, SortCriteria: tc.sorts, MaxResults: aws.Int64(5)})
			got := idsOf(users, arns)
			want := tc.want
			if want == nil {
				want = ids(0, 23, 1)
				sort.Strings(got)
			}
			if strings.Join(got, ",") != strings.Join(want, ",") || pages != tc.pages {
				t.Fatalf("%d pages of %v\nwant %d pages of %v", pages, got, tc.pages, want)
			}
		})
	}
}

// ids returns user%02d for i from start to end (exclusive) by step.
func ids(start, end, step int) []string {
	var out []string
	for i := start; i != end; i += step {
		out = append(out, fmt.Sprintf("user%02d", i))
	}
	return out
}

func TestSearchUsersConstraints(t *testing.T) {
	h := MustHarness(t)
	h.MustCreate(t, rollcall.DevAccountID, staff...)
	many := func(n int, item string) string { return strings.TrimSuffix(strings.Repeat(item+",", n), ",") }
	vals := func(n int) string { return `[` + many(n, `"v"`) + `]` }
	long := func(n int) string { return strings.Repeat("a", n) }
	search := withTarget("AlexaForBusiness.SearchUsers")
	const pre = "1 validation error detected: "
	for _, tc := range []struct {
		name, body, msg string // msg "" = accepted
	}{
		{"empty body", ``, ""},
		{"MaxResults 1", `{"MaxResults":1}`, ""},
		{"MaxResults 50", `{"MaxResults":50}`, ""},
		{"MaxResults 0", `{"MaxResults":0}`, pre + "Value '0' at 'maxResults' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"MaxResults 51", `{"MaxResults":51}`, pre + "Value '51' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 50"},
		{"NextToken empty", `{"NextToken":""}`, pre + "Value '' at 'nextToken' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"NextToken 1101", `{"NextToken":"` + long(1101) + `"}`, pre + "Value '" + long(1101) + "' at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to 1100"},
		{"25 filters", `{"Filters":[` + many(25, `{"Key":"UserId","Values":["ada"]}`) + `]}`, ""},
		{"26 filters", `{"Filters":[` + many(26, `{"Key":"UserId","Values":["ada"]}`) + `]}`, pre + "Value '26 items' at 'filters' failed to satisfy constraint: Member must have length less than or equal to 25"},
		{"50 values", `{"Filters":[{"Key":"FirstName","Values":` + vals(50) + `}]}`, ""},
		{"51 values", `{"Filters":[{"Key":"FirstName","Values":` + vals(51) + `}]}`, pre + "Value '51 items' at 'filters.1.member.values' failed to satisfy constraint: Member must have length less than or equal to 50"},
		{"value 500", `{"Filters":[{"Key":"FirstName","Values":["` + long(500) + `"]}]}`, ""},
		{"value 501", `{"Filters":[{"Key":"FirstName","Values":["` + long(501) + `"]}]}`, pre + "Value '" + long(501) + "' at 'filters.1.member.values.1.member' failed to satisfy constraint: Member must have length less than or equal to 500"},
		{"empty value", `{"Filters":[{"Key":"FirstName","Values":["x",""]}]}`, pre + "Value '' at 'filters.1.member.values.2.member' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"null value", `{"Filters":[{"Key":"FirstName","Values":[null]}]}`, pre + "Value null at 'filters.1.member.values.1.member' failed to satisfy constraint: Member must not be null"},
		{"unknown filter key", `{"Filters":[{"Key":"UserType","Values":["x"]}]}`, pre + "Value 'UserType' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [UserId, FirstName, LastName, Email, EnrollmentStatus]"},
		{"filter key case", `{"Filters":[{"Key":"userid","Values":["x"]}]}`, pre + "Value 'userid' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [UserId, FirstName, LastName, Email, EnrollmentStatus]"},
		{"empty filter key", `{"Filters":[{"Key":"","Values":["x"]}]}`, "2 validation errors detected: Value '' at 'filters.1.member.key' failed to satisfy constraint: Member must have length greater than or equal to 1; Value '' at 'filters.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [UserId, FirstName, LastName, Email, EnrollmentStatus]"},
		{"filter without key", `{"Filters":[{"Values":["x"]}]}`, pre + "Value null at 'filters.1.member.key' failed to satisfy constraint: Member must not be null"},
		{"filter without values", `{"Filters":[{"Key":"Email"}]}`, pre + "Value null at 'filters.1.member.values' failed to satisfy constraint: Member must not be null"},
		{"null filter", `{"Filters":[null]}`, pre + "Value null at 'filters.1.member' failed to satisfy constraint: Member must not be null"},
		{"25 sort criteria", `{"SortCriteria":[` + many(25, `{"Key":"Email","Value":"ASC"}`) + `]}`, ""},
		{"26 sort criteria", `{"SortCriteria":[` + many(26, `{"Key":"Email","Value":"ASC"}`) + `]}`, pre + "Value '26 items' at 'sortCriteria' failed to satisfy constraint: Member must have length less than or equal to 25"},
		{"sort value case", `{"SortCriteria":[{"Key":"Email","Value":"asc"}]}`, pre + "Value 'asc' at 'sortCriteria.1.member.value' failed to satisfy constraint: Member must satisfy enum value set: [ASC, DESC]"},
		{"sort without value", `{"SortCriteria":[{"Key":"Email"}]}`, pre + "Value null at 'sortCriteria.1.member.value' failed to satisfy constraint: Member must not be null"},
		{"unknown sort key", `{"SortCriteria":[{"Key":"Arn","Value":"ASC"}]}`, pre + "Value 'Arn' at 'sortCriteria.1.member.key' failed to satisfy constraint: Member must satisfy enum value set: [UserId, FirstName, LastName, Email, EnrollmentStatus]"},
		{"wrong type", `{"MaxResults":"5"}`, "*"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rp := h.MustDo(t, tc.body, search)
			switch tc.msg {
			case "":
				if rp.Status != http.StatusOK {
					t.Fatalf("got %d %s, want 200", rp.Status, rp.Body)
				}
				if _, ok := rp.JSON["Users"].([]any); !ok {
					t.Fatalf("no Users list in %s", rp.Body)
				}
			case "*":
				rp.MustError(t, http.StatusBadRequest, face.ErrSerialization, "")
			default:
				rp.MustError(t, http.StatusBadRequest, face.ErrValidation, tc.msg)
			}
		})
	}
}

// TestSearchUsersTokens: a NextToken opens only for the account and search it was issued
// for; anything else is a ValidationException, never a crash and never another's data.
func TestSearchUsersTokens(t *testing.T) {
	h := MustHarness(t)
	var people []person
	for i := 0; i < 6; i++ {
		people = append(people, person{ID: fmt.Sprintf("user%02d", i), First: "Same"})
	}
	h.MustCreate(t, rollcall.DevAccountID, people...)
	h.MustCreate(t, otherAccountID, people...)
	mine, theirs := h.MustClient(t, "", ""), h.MustClient(t, otherKeyID, otherSecret)
	first := func(in *a4b.SearchUsersInput) string {
		t.Helper()
		out, err := mine.SearchUsers(in)
		if err != nil || out.NextToken == nil {
			t.Fatalf("first page: %v, %v", err, out)
		}
		return aws.StringValue(out.NextToken)
	}
	plain := &a4b.SearchUsersInput{MaxResults: aws.Int64(2)}
	byName := &a4b.SearchUsersInput{MaxResults: aws.Int64(2), SortCriteria: []*a4b.Sort{sortBy("FirstName", "ASC")}}
	filtered := &a4b.SearchUsersInput{MaxResults: aws.Int64(2), Filters: []*a4b.Filter{filter("FirstName", "Same")}}
	tok, tokByName, tokFiltered := first(plain), first(byName), first(filtered)
	if len(tok) > 1100 || strings.Contains(tok, "user") {
		t.Fatalf("token %q", tok)
	}
	flipped := []byte(tok)
	flipped[len(flipped)/2] ^= 0x01
	with := func(in *a4b.SearchUsersInput, token string) *a4b.SearchUsersInput {
		c := *in
		c.NextToken = aws.String(token)
		return &c
	}
	for _, tc := range []struct {
		name   string
		client *a4b.AlexaForBusiness
		in     *a4b.SearchUsersInput
	}{
		{"another account", theirs, with(plain, tok)},
		{"another order", mine, with(byName, tok)},
		{"another sort direction", mine, with(&a4b.SearchUsersInput{SortCriteria: []*a4b.Sort{sortBy("FirstName", "DESC")}}, tokByName)},
		{"other filters", mine, with(plain, tokFiltered)},
		{"other filter values", mine, with(&a4b.SearchUsersInput{Filters: []*a4b.Filter{filter("FirstName", "Other")}}, tokFiltered)},
		{"a changed byte", mine, with(plain, string(flipped))},
		{"truncated", mine, with(plain, tok[:len(tok)-3])},
		{"not base64", mine, with(plain, "not a token!")},
		{"another server's key", mine, with(plain, pagetoken.NewRandom().Seal(pagetoken.Scope(rollcall.DevAccountID, "a4b.SearchUsers", "null", "null"), alexa.Cursor{ID: "x"}))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.client.SearchUsers(tc.in)
			var ae interface{ Code() string }
			if !errors.As(err, &ae) || ae.Code() != face.ErrValidation || !strings.Contains(err.Error(), "Member must be a NextToken returned by SearchUsers") {
				t.Fatalf("got %v, want ValidationException", err)
			}
		})
	}
	// The right token still works, for any page size.
	out, err := mine.SearchUsers(&a4b.SearchUsersInput{MaxResults: aws.Int64(50), NextToken: aws.String(tok)})
	if err != nil || len(out.Users) != 4 {
		t.Fatalf("second page: %v, %v", err, out)
	}
}

// TestSearchUsersTokenLength: the longest cursor (every sort key, the longest values the
// model allows, multi-byte names) still fits the model's 1100 characters.
func TestSearchUsersTokenLength(t *testing.T) {
	h := MustHarness(t)
	name := strings.Repeat("𝔸", 15) // 30 UTF-16 units, 60 bytes of UTF-8
	people := []person{
		{ID: strings.Repeat("a", 127) + "1", First: name, Last: name, Email: strings.Repeat("e", 115) + "@example.com"},
		{ID: strings.Repeat("a", 127) + "2", First: name, Last: name, Email: strings.Repeat("e", 115) + "@example.com"},
	}
	h.MustCreate(t, rollcall.DevAccountID, people...)
	var sorts []*a4b.Sort
	for _, k := range []string{"FirstName", "LastName", "Email", "EnrollmentStatus", "UserId"} {
		sorts = append(sorts, sortBy(k, "DESC"))
	}
	out, err := h.MustClient(t, "", "").SearchUsers(&a4b.SearchUsersInput{MaxResults: aws.Int64(1), SortCriteria: sorts})
	if err != nil || out.NextToken == nil {
		t.Fatalf("%v %v", err, out)
	}
	if n := len(aws.StringValue(out.NextToken)); n > 1100 {
		t.Fatalf("NextToken has %d characters, the model allows 1100", n)
	}
}

// TestSearchUsersSparseFilter: a filter that matches few users of a large account, in an
// index order, walks the index across several batches and still finds each match once.
func TestSearchUsersSparseFilter(t *testing.T) {
	h := MustHarness(t)
	mustBulkAlexaUsers(t, h, 2500) // GivenName Given<i%977>
	client := h.MustClient(t, "", "")
	for _, tc := range []struct {
		name  string
		in    *a4b.SearchUsersInput
		want  []string // Key of each user, in order
		pages int
	}{
		{"by UserId", &a4b.SearchUsersInput{MaxResults: aws.Int64(1), Filters: []*a4b.Filter{filter("FirstName", "Given5")},
			SortCriteria: []*a4b.Sort{sortBy("UserId", "ASC")}}, []string{"bench00000005", "bench00000982", "bench00001959"}, 3},
		{"by UserId, descending", &a4b.SearchUsersInput{MaxResults: aws.Int64(2), Filters: []*a4b.Filter{filter("FirstName", "Given5", "Given6")},
			SortCriteria: []*a4b.Sort{sortBy("UserId", "DESC")}},
			[]string{"bench00001960", "bench00001959", "bench00000983", "bench00000982", "bench00000006", "bench00000005"}, 3},
		{"no sort", &a4b.SearchUsersInput{MaxResults: aws.Int64(2), Filters: []*a4b.Filter{filter("FirstName", "Given976")}},
			[]string{"bench00000976", "bench00001953"}, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			users, pages := mustSearchAll(t, client, tc.in)
			var got []string
			for _, u := range users {
				id := aws.StringValue(u.UserArn)[strings.LastIndex(aws.StringValue(u.UserArn), "/")+1:]
				var n int
				fmt.Sscanf(id, "%x", &n)
				got = append(got, fmt.Sprintf("bench%08d", n))
			}
			if strings.Join(got, ",") != strings.Join(tc.want, ",") || pages != tc.pages {
				t.Fatalf("%d pages of %v, want %d of %v", pages, got, tc.pages, tc.want)
			}
		})
	}
}

// churn creates and deletes users of the dev account, their UserIds and names spread
// between the stable users' so they land before and after every page's cursor.
type churn struct {
	h      *harness
	rng    *rand.Rand
	mu     sync.Mutex
	n      int
	live   []string          // ARNs of churn users not yet deleted
	people map[string]person // every ARN ever created -> the user
}

func (c *churn) step(tb testing.TB) {
	c.mu.Lock()
	c.n++
	n := c.n
	p := person{ID: fmt.Sprintf("s-%03d-c%d", c.rng.Intn(120), n), First: names[c.rng.Intn(len(names))], Last: fmt.Sprintf("L%03d", c.rng.Intn(120))}
	var victim string
	if len(c.live) > 0 && c.rng.Intn(3) > 0 {
		i := c.rng.Intn(len(c.live))
		victim = c.live[i]
		c.live = append(c.live[:i], c.live[i+1:]...)
	}
	c.mu.Unlock()
	ctx, caller := context.Background(), rollcall.Caller{TenantID: rollcall.DevAccountID, Region: "us-east-1"}
	arn, err := c.h.Alexa.CreateUser(ctx, caller, alexa.CreateUserInput{UserID: p.ID, FirstName: p.First, LastName: p.Last})
	if err != nil {
		tb.Errorf("churn create: %v", err)
		return
	}
	c.mu.Lock()
	c.live = append(c.live, arn)
	c.people[arn] = p
	c.mu.Unlock()
	if victim != "" {
		c.delete(tb, victim)
	}
}

// delete deletes the churn user with the ARN.
func (c *churn) delete(tb testing.TB, arn string) {
	caller := rollcall.Caller{TenantID: rollcall.DevAccountID, Region: "us-east-1"}
	if err := c.h.Alexa.DeleteUser(context.Background(), caller, arn, strings.Replace(arn, ":user/", ":enrollment/", 1)); err != nil {
		tb.Errorf("churn delete: %v", err)
	}
}

// clear deletes every churn user still there, so that the next walk starts from the
// stable users alone.
func (c *churn) clear(tb testing.TB) {
	for _, arn := range c.live {
		c.delete(tb, arn)
	}
	c.live = nil
}

func (c *churn) person(arn string) (person, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	p, ok := c.people[arn]
	return p, ok
}

var names = []string{"Ada", "Alan", "Barbara", "Edsger", "Grace"}

// The churn of a walk: steps between two pages, and steps run while the next page is
// read (and finished before the one after). A step creates a user, and in two of three
// also deletes one, so a page sees up to churnBetween+churnDuring new users. They must
// be fewer than a page holds (searchPage): in the order by ID a user created during the
// walk sorts after every user there was (IDs are version 7 UUIDs, in time order; every
// other order breaks its ties by ID too), so a walk that meets more new users per page
// than it reads never ends, however correct its cursor. At 3 between and 5 during (8
// new per page against 7 read) it did not: it ended only while the concurrent steps,
// then queued to a goroutine and never waited for, fell behind the walk, and when the
// writer's scheduling let them keep up (eb89933), the walk by ID ran into its
// 1,000-page cap, and the churn it had left behind (every walk's added to the next)
// made the later walks run into it too.
const (
	searchPage   = 7
	churnBetween = 2
	churnDuring  = 2
	maxPages     = 1000
)

// TestSearchUsersUnderChurn walks the account page by page in every kind of order while
// users are created and deleted, both between pages and concurrently: every user that
// exists throughout the walk comes back exactly once, the walk stays in order, and it
// ends. Each walk starts from the stable users alone.
func TestSearchUsersUnderChurn(t *testing.T) {
	h := MustHarness(t)
	c := &churn{h: h, rng: rand.New(rand.NewSource(4)), people: map[string]person{}}
	var stable []person
	for i := 0; i < 120; i++ {
		stable = append(stable, person{ID: fmt.Sprintf("s-%03d", i), First: names[i%len(names)], Last: fmt.Sprintf("L%03d", (i*37)%120)})
	}
	arns := h.MustCreate(t, rollcall.DevAccountID, stable...)
	for _, p := range stable {
		c.people[arns[p.ID]] = p
	}
	client := h.MustClient(t, "", "")
	for _, tc := range []struct {
		name    string
		filters []*a4b.Filter
		sorts   []*a4b.Sort
		match   func(person) bool
		less    func(a, b person) bool // non-strict order the walk must keep; nil = by ID, unchecked
	}{
		{name: "no sort (index by ID)"},
		{name: "UserId ascending (index by key)", sorts: []*a4b.Sort{sortBy("UserId", "ASC")},
			less: func(a, b person) bool { return a.ID < b.ID }},
		{name: "UserId descending (index by key)", sorts: []*a4b.Sort{sortBy("UserId", "DESC")},
			less: func(a, b person) bool { return a.ID > b.ID }},
		{name: "FirstName then LastName (scan)", sorts: []*a4b.Sort{sortBy("FirstName", "ASC"), sortBy("LastName", "DESC")},
			less: func(a, b person) bool { return a.First < b.First || a.First == b.First && a.Last >= b.Last }},
		{name: "filtered, UserId descending (index walk)", filters: []*a4b.Filter{filter("FirstName", "Alan", "Edsger")},
			sorts: []*a4b.Sort{sortBy("UserId", "DESC")},
			match: func(p person) bool { return p.First == "Alan" || p.First == "Edsger" },
			less:  func(a, b person) bool { return a.ID > b.ID }},
		{name: "filtered, LastName descending (scan)", filters: []*a4b.Filter{filter("FirstName", "Ada", "Grace")},
			sorts: []*a4b.Sort{sortBy("LastName", "DESC")},
			match: func(p person) bool { return p.First == "Ada" || p.First == "Grace" },
			less:  func(a, b person) bool { return a.Last >= b.Last }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer c.clear(t)
			// A fixed amount of churn per page, whatever the machine's speed and the
			// writer's scheduling: churnBetween steps between two pages, and churnDuring
			// steps while the next page is read, waited for before the page after it.
			var wg sync.WaitGroup
			seen := map[string]int{}
			var arns []string
			pages := 0
			err := client.SearchUsersPages(&a4b.SearchUsersInput{Filters: tc.filters, SortCriteria: tc.sorts, MaxResults: aws.Int64(searchPage)},
				func(out *a4b.SearchUsersOutput, last bool) bool {
					wg.Wait()
					pages++
					for _, u := range out.Users {
						arn := aws.StringValue(u.UserArn)
						seen[arn]++
						arns = append(arns, arn)
					}
					for range churnBetween {
						c.step(t)
					}
					wg.Go(func() {
						for range churnDuring {
							c.step(t)
						}
					})
					return pages < maxPages
				})
			wg.Wait() // now every created user is in c.people
			if err != nil {
				t.Fatalf("SearchUsers: %v", err)
			}
			if pages >= maxPages {
				t.Fatalf("the walk did not end in %d pages (%d users read)", pages, len(arns))
			}
			var walk []person
			for _, arn := range arns {
				p, ok := c.person(arn)
				if !ok {
					t.Fatalf("unknown user %s", arn)
				}
				if tc.match != nil && !tc.match(p) {
					t.Errorf("user %+v does not match the filters", p)
				}
				walk = append(walk, p)
			}
			want := 0
			for _, p := range stable {
				if tc.match != nil && !tc.match(p) {
					continue
				}
				want++
			}
			got := 0
			for arn, n := range seen {
				if n != 1 {
					t.Errorf("%s returned %d times", arn, n)
				}
				if p, _ := c.person(arn); !strings.Contains(p.ID, "-c") {
					got++
				}
			}
			if got != want {
				t.Errorf("%d of the %d stable users returned", got, want)
			}
			if tc.less != nil {
				for i := 1; i < len(walk); i++ {
					if !tc.less(walk[i-1], walk[i]) {
						t.Errorf("out of order: %+v then %+v", walk[i-1], walk[i])
					}
				}
			}
			t.Logf("%d pages, %d users (%d stable), %d churn steps so far", pages, len(walk), got, c.n)
		})
	}
}

package workdocs_test

import (
	"context"
	"fmt"
	"math/rand"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/facetest"
	workdocssvc "github.com/rollcall/rollcall/workdocs"
)

// spec is a user a test creates through the service (fast; the HTTP path of CreateUser
// has its own tests).
type spec struct {
	org, username, given, surname string
	alloc                         *int64 // nil: the default quota
	unlimited                     bool
}

// MustCreate creates users in the dev account (or the other account for its organizations)
// and returns them in order.
func (h *harness) MustCreate(tb testing.TB, specs ...spec) []*workdocssvc.User {
	tb.Helper()
	users := make([]*workdocssvc.User, len(specs))
	for i, s := range specs {
		u, err := h.create(s)
		if err != nil {
			tb.Fatalf("create %s: %v", s.username, err)
		}
		users[i] = u
	}
	return users
}

// create is MustCreate for one user, safe to call from any goroutine.
func (h *harness) create(s spec) (*workdocssvc.User, error) {
	org, tenant := s.org, rollcall.DevAccountID
	if org == "" {
		org = rollcall.DevOrganizationID
	}
	if org == otherOrgA || org == otherOrgB {
		tenant = otherAccountID
	}
	in := workdocssvc.CreateUserInput{OrganizationID: org, Username: s.username, GivenName: s.given, Surname: s.surname, Password: "pass"}
	if in.GivenName == "" {
		in.GivenName = "Given"
	}
	if in.Surname == "" {
		in.Surname = "Surname"
	}
	if s.alloc != nil {
		in.StorageRule = &workdocssvc.StorageRule{AllocatedInBytes: s.alloc, Type: workdocssvc.Quota}
	}
	if s.unlimited {
		in.StorageRule = &workdocssvc.StorageRule{Type: workdocssvc.Unlimited}
	}
	return h.WorkDocs.CreateUser(context.Background(), rollcall.Caller{TenantID: tenant}, in)
}

// describeAll pages through DescribeUsers with the SDK's paginator and returns the
// usernames in the order they came, and how many pages there were.
func describeAll(tb testing.TB, client *workdocs.WorkDocs, in *workdocs.DescribeUsersInput) ([]string, int) {
	tb.Helper()
	var names []string
	pages := 0
	err := client.DescribeUsersPages(in, func(out *workdocs.DescribeUsersOutput, last bool) bool {
		pages++
		if got := aws.Int64Value(out.TotalNumberOfUsers); got != int64(len(out.Users)) {
			tb.Errorf("TotalNumberOfUsers = %d, page has %d", got, len(out.Users))
		}
		if last != (out.Marker == nil) {
			tb.Errorf("last page %v, Marker %v", last, out.Marker)
		}
		for _, u := range out.Users {
			names = append(names, aws.StringValue(u.Username))
		}
		return true
	})
	if err != nil {
		tb.Fatalf("DescribeUsersPages: %v", err)
	}
	return names, pages
}

func TestDescribeUsersSDK(t *testing.T) {
	h := MustHarness(t)
	client := h.MustClient(t, "", "")
	gib := int64(1 << 30)
	small := int64(10)
	h.MustCreate(t,
		spec{username: "mateo", given: "Mateo", surname: "Jackson", alloc: &gib},
		spec{username: "Marcia", given: "Márcia", surname: "Oliveira", alloc: &small},
		spec{username: "maria", given: "María", surname: "García", unlimited: true},
		spec{username: "zed", given: "Zed", surname: "Mason"},
		spec{username: "bob.smith@example.com", given: "Bob", surname: "Smith", alloc: &gib},
	)
	// The seed's admin ("admin", Dev Admin, UNLIMITED) is a user of the organization too.
	all := []string{"admin", "bob.smith@example.com", "Marcia", "maria", "mateo", "zed"}

	t.Run("every user, by user name, over pages", func(t *testing.T) {
		names, pages := describeAll(t, client, &workdocs.DescribeUsersInput{OrganizationId: aws.String(rollcall.DevOrganizationID), Limit: aws.Int64(4)})
		if !slices.Equal(names, all) || pages != 2 {
			t.Fatalf("got %v in %d pages, want %v in 2", names, pages, all)
		}
	})
	t.Run("no organization: the caller's only one; default limit", func(t *testing.T) {
		out, err := client.DescribeUsers(&workdocs.DescribeUsersInput{})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Users) != len(all) || out.Marker != nil {
			t.Fatalf("got %d users, marker %v", len(out.Users), out.Marker)
		}
		u := out.Users[0]
		if u.Storage != nil {
			t.Errorf("Storage without fields=STORAGE_METADATA: %v", u.Storage)
		}
		if aws.StringValue(u.Id) == "" || aws.StringValue(u.OrganizationId) != rollcall.DevOrganizationID || u.CreatedTimestamp == nil {
			t.Errorf("user %v", u)
		}
	})
	t.Run("storage metadata", func(t *testing.T) {
		out, err := client.DescribeUsers(&workdocs.DescribeUsersInput{Fields: aws.String("STORAGE_METADATA"), UserIds: aws.String("x")})
		if err != nil || len(out.Users) != 0 {
			t.Fatalf("unknown user ID: %v %v", out, err)
		}
		out, err = client.DescribeUsers(&workdocs.DescribeUsersInput{Fields: aws.String("STORAGE_METADATA"), Query: aws.String("mateo")})
		if err != nil || len(out.Users) != 1 {
			t.Fatalf("%v %v", out, err)
		}
		s := out.Users[0].Storage
		if s == nil || s.StorageRule == nil || aws.Int64Value(s.StorageRule.StorageAllocatedInBytes) != gib ||
			aws.StringValue(s.StorageRule.StorageType) != "QUOTA" || s.StorageUtilizedInBytes == nil {
			t.Fatalf("Storage = %v", s)
		}
	})
	sorted := []struct {
		sort, order string
		want        []string
	}{
		{"USER_NAME", "DESCENDING", []string{"zed", "mateo", "maria", "Marcia", "bob.smith@example.com", "admin"}},
		// Accents folded: Márcia sorts as marcia, before María.
		{"FULL_NAME", "ASCENDING", []string{"bob.smith@example.com", "admin", "Marcia", "maria", "mateo", "zed"}},
		{"FULL_NAME", "DESCENDING", []string{"zed", "mateo", "maria", "Marcia", "admin", "bob.smith@example.com"}},
		// 10 B < 1 GiB (twice: tie broken by ID) < unlimited (twice).
		{"STORAGE_LIMIT", "ASCENDING", nil},
		{"USER_STATUS", "ASCENDING", nil},
		{"STORAGE_USED", "DESCENDING", nil},
	}
	for _, tc := range sorted {
		t.Run(tc.sort+" "+tc.order, func(t *testing.T) {
			names, _ := describeAll(t, client, &workdocs.DescribeUsersInput{Sort: aws.String(tc.sort), Order: aws.String(tc.order), Limit: aws.Int64(1)})
			if tc.want != nil && !slices.Equal(names, tc.want) {
				t.Fatalf("got %v, want %v", names, tc.want)
			}
			if len(names) != len(all) {
				t.Fatalf("got %v", names)
			}
			if tc.sort == "STORAGE_LIMIT" && (names[0] != "Marcia" || !slices.Contains(names[4:], "maria") || !slices.Contains(names[4:], "admin")) {
				t.Fatalf("by storage limit: %v", names)
			}
		})
	}
	queries := []struct{ query, want string }{
		{"ma", "Marcia maria mateo zed"}, // Márcia, María (accents folded), Mateo, and Zed Mason
		{"Ma J", "mateo"},
		{"MA O", "Marcia"},
		{"garc", "maria"},
		{"bob.s", "bob.smith@example.com"},
		{"smith bob", "bob.smith@example.com"},
		{"ar", ""}, // a prefix, not a substring
		{"dev", "admin"},
	}
	for _, tc := range queries {
		t.Run("query "+tc.query, func(t *testing.T) {
			names, _ := describeAll(t, client, &workdocs.DescribeUsersInput{Query: aws.String(tc.query), Limit: aws.Int64(1)})
			if got := strings.Join(names, " "); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}
	t.Run("user IDs, and Query ignored with them", func(t *testing.T) {
		mateo, zed := h.MustUser(t, rollcall.DevOrganizationID, "mateo"), h.MustUser(t, rollcall.DevOrganizationID, "zed")
		ids := zed.ID + ", " + mateo.ID + ",no-such-id," + zed.ID
		names, pages := describeAll(t, client, &workdocs.DescribeUsersInput{UserIds: aws.String(ids), Query: aws.String("bob"), Limit: aws.Int64(1)})
		if !slices.Equal(names, []string{"mateo", "zed"}) || pages != 2 {
			t.Fatalf("got %v in %d pages", names, pages)
		}
	})
}

// TestDescribeUsersInclude: INACTIVE users only with Include=ALL, on the index walk (which
// must skip them without ending the page early) and in memory.
func TestDescribeUsersInclude(t *testing.T) {
	h := MustHarness(t)
	client := h.MustClient(t, "", "")
	var specs []spec
	for i := range 30 {
		specs = append(specs, spec{username: fmt.Sprintf("u%02d", i)})
	}
	users := h.MustCreate(t, specs...)
	var active []string
	for i, u := range users {
		if i%3 != 0 {
			active = append(active, u.Username)
			continue
		}
		if _, err := client.DeactivateUser(&workdocs.DeactivateUserInput{UserId: aws.String(u.ID)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, sort := range []string{"USER_NAME", "FULL_NAME"} {
		names, _ := describeAll(t, client, &workdocs.DescribeUsersInput{Sort: aws.String(sort), Query: aws.String("u"), Limit: aws.Int64(4)})
		slices.Sort(names) // every full name is the same: FULL_NAME orders by ID
		if !slices.Equal(names, active) {
			t.Errorf("%s, default include: got %v, want %v", sort, names, active)
		}
		names, _ = describeAll(t, client, &workdocs.DescribeUsersInput{Sort: aws.String(sort), Query: aws.String("u"), Include: aws.String("ALL"), Limit: aws.Int64(7)})
		if len(names) != 30 {
			t.Errorf("%s, include ALL: got %d users", sort, len(names))
		}
	}
	out, err := client.DescribeUsers(&workdocs.DescribeUsersInput{Include: aws.String("ACTIVE_PENDING"), UserIds: aws.String(users[0].ID + "," + users[1].ID)})
	if err != nil || len(out.Users) != 1 || aws.StringValue(out.Users[0].Username) != "u01" {
		t.Fatalf("user IDs, active only: %v %v", out, err)
	}
}

// TestDescribeUsersStablePaging pages while users are created and deleted, between pages
// and concurrently: every user that exists throughout comes exactly once, no user comes
// twice, and the pages are in order.
func TestDescribeUsersStablePaging(t *testing.T) {
	cases := []struct {
		name        string
		sort, order string
		query       string
	}{
		{"user name", "USER_NAME", "ASCENDING", ""},
		{"user name descending", "USER_NAME", "DESCENDING", ""},
		{"user name with a query", "USER_NAME", "ASCENDING", "u"},
		{"full name (ties)", "FULL_NAME", "ASCENDING", ""},
		{"storage limit descending (ties)", "STORAGE_LIMIT", "DESCENDING", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := MustHarness(t)
			client := h.MustClient(t, "", "")
			rng := rand.New(rand.NewSource(1))
			sizes := []int64{1, 2, 3}
			mk := func(name string) spec {
				s := spec{username: name, given: []string{"Ann", "Bo", "Cy"}[rng.Intn(3)], surname: "Same"}
				if rng.Intn(4) == 0 {
					s.unlimited = true
				} else {
					s.alloc = &sizes[rng.Intn(3)]
				}
				return s
			}
			var stable, victims []spec
			for i := range 80 {
				stable = append(stable, mk(fmt.Sprintf("u%03d-s", i*10)))
				victims = append(victims, mk(fmt.Sprintf("u%03d-v", i*10+5)))
			}
			stableUsers := h.MustCreate(t, stable...)
			victimUsers := h.MustCreate(t, victims...)
			want := map[string]bool{rollcall.DevWorkDocsAdmin: tc.query == ""}
			for _, u := range stableUsers {
				want[u.Username] = true
			}

			var mu sync.Mutex // the service's rng and victims list
			next := 0
			churn := func(tb testing.TB) {
				mu.Lock()
				defer mu.Unlock()
				for range 2 {
					if next < len(victimUsers) {
						if err := h.WorkDocs.DeleteUser(context.Background(), rollcall.Caller{TenantID: rollcall.DevAccountID}, victimUsers[next].ID); err != nil {
							tb.Errorf("delete: %v", err)
						}
						next++
					}
					if _, err := h.create(mk(fmt.Sprintf("u%03d-n%d", rng.Intn(800), rng.Int()))); err != nil {
						tb.Errorf("create: %v", err)
					}
				}
			}
			stop := make(chan struct{})
			done := make(chan struct{})
			go func() {
				defer close(done)
				for {
					select {
					case <-stop:
						return
					default:
						churn(t)
					}
				}
			}()

			seen := map[string]int{}
			var order []*workdocs.User
			pages := 0
			in := &workdocs.DescribeUsersInput{Sort: aws.String(tc.sort), Order: aws.String(tc.order), Limit: aws.Int64(7),
				Fields: aws.String("STORAGE_METADATA")}
			if tc.query != "" {
				in.Query = aws.String(tc.query)
			}
			err := client.DescribeUsersPages(in, func(out *workdocs.DescribeUsersOutput, last bool) bool {
				pages++
				for _, u := range out.Users {
					seen[aws.StringValue(u.Username)]++
					order = append(order, u)
				}
				churn(t) // between every two pages, for certain
				return true
			})
			close(stop)
			<-done
			if err != nil {
				t.Fatal(err)
			}
			if pages < 10 {
				t.Fatalf("only %d pages", pages)
			}
			for name, n := range seen {
				if n != 1 {
					t.Errorf("%s came %d times", name, n)
				}
			}
			for name, ok := range want {
				if ok && seen[name] != 1 {
					t.Errorf("stable user %s came %d times", name, seen[name])
				}
			}
			for i := 1; i < len(order); i++ {
				if c := compareUsers(tc.sort, order[i-1], order[i]); (tc.order == "ASCENDING" && c >= 0) || (tc.order == "DESCENDING" && c <= 0) {
					t.Fatalf("out of order at %d: %s then %s", i, aws.StringValue(order[i-1].Username), aws.StringValue(order[i].Username))
				}
			}
		})
	}
}

// compareUsers is the order DescribeUsers promises, on the wire form of the users.
func compareUsers(sort string, a, b *workdocs.User) int {
	switch sort {
	case "FULL_NAME":
		fa := strings.ToLower(aws.StringValue(a.GivenName) + " " + aws.StringValue(a.Surname))
		fb := strings.ToLower(aws.StringValue(b.GivenName) + " " + aws.StringValue(b.Surname))
		if c := strings.Compare(fa, fb); c != 0 {
			return c
		}
		return strings.Compare(aws.StringValue(a.Id), aws.StringValue(b.Id))
	case "STORAGE_LIMIT":
		la, lb := storageLimit(a), storageLimit(b)
		switch {
		case la < lb:
			return -1
		case la > lb:
			return 1
		}
		return strings.Compare(aws.StringValue(a.Id), aws.StringValue(b.Id))
	default:
		return strings.Compare(strings.ToLower(aws.StringValue(a.Username)), strings.ToLower(aws.StringValue(b.Username)))
	}
}

func storageLimit(u *workdocs.User) int64 {
	r := u.Storage.StorageRule
	if aws.StringValue(r.StorageType) == "UNLIMITED" {
		return 1<<63 - 1
	}
	return aws.Int64Value(r.StorageAllocatedInBytes)
}

// TestDescribeUsersMarker: a Marker that is forged, changed, truncated, or minted for
// another tenant, organization, token or query is InvalidArgumentException 400, and
// leaks nothing.
func TestDescribeUsersMarker(t *testing.T) {
	h := MustHarness(t)
	dev := h.MustClient(t, "", "")
	other := h.MustClient(t, otherKeyID, otherSecret)
	var specs []spec
	for i := range 5 {
		specs = append(specs, spec{username: fmt.Sprintf("d%d", i)}, spec{org: otherOrgA, username: fmt.Sprintf("o%d", i)},
			spec{org: otherOrgB, username: fmt.Sprintf("b%d", i)})
	}
	h.MustCreate(t, specs...)
	first := func(client *workdocs.WorkDocs, in *workdocs.DescribeUsersInput) string {
		t.Helper()
		in.Limit = aws.Int64(2)
		out, err := client.DescribeUsers(in)
		if err != nil || out.Marker == nil {
			t.Fatalf("first page: %v %v", out, err)
		}
		if len(*out.Marker) > 2048 {
			t.Fatalf("the Marker is %d long, over the model's 2048", len(*out.Marker))
		}
		return *out.Marker
	}
	devMarker := first(dev, &workdocs.DescribeUsersInput{})
	otherMarker := first(other, &workdocs.DescribeUsersInput{OrganizationId: aws.String(otherOrgA)})
	sortMarker := first(dev, &workdocs.DescribeUsersInput{Sort: aws.String("FULL_NAME")})

	// The marker works for its own query, with another limit too.
	out, err := dev.DescribeUsers(&workdocs.DescribeUsersInput{Marker: aws.String(devMarker), Limit: aws.Int64(3)})
	if err != nil || len(out.Users) != 3 {
		t.Fatalf("next page: %v %v", out, err)
	}

	flip := []byte(devMarker)
	flip[len(flip)/2] ^= 1
	if flip[len(flip)/2] == '-' || flip[len(flip)/2] == '_' {
		flip[len(flip)/2] = 'A'
	}
	cases := []struct {
		name   string
		client *workdocs.WorkDocs
		in     *workdocs.DescribeUsersInput
	}{
		{"changed", dev, &workdocs.DescribeUsersInput{Marker: aws.String(string(flip))}},
		{"truncated", dev, &workdocs.DescribeUsersInput{Marker: aws.String(devMarker[:len(devMarker)-4])}},
		{"forged", dev, &workdocs.DescribeUsersInput{Marker: aws.String("eyJvIjoiIiwidiI6InoiLCJpIjoiIn0")}},
		{"not base64", dev, &workdocs.DescribeUsersInput{Marker: aws.String("!!!")}},
		{"longest allowed", dev, &workdocs.DescribeUsersInput{Marker: aws.String(strings.Repeat("A", 2048))}},
		{"another tenant's", dev, &workdocs.DescribeUsersInput{Marker: aws.String(otherMarker)}},
		{"used by another tenant", other, &workdocs.DescribeUsersInput{OrganizationId: aws.String(otherOrgA), Marker: aws.String(devMarker)}},
		{"another organization", other, &workdocs.DescribeUsersInput{OrganizationId: aws.String(otherOrgB), Marker: aws.String(otherMarker)}},
		{"another sort", dev, &workdocs.DescribeUsersInput{Marker: aws.String(sortMarker)}},
		{"another order", dev, &workdocs.DescribeUsersInput{Order: aws.String("DESCENDING"), Marker: aws.String(devMarker)}},
		{"another query", dev, &workdocs.DescribeUsersInput{Query: aws.String("d"), Marker: aws.String(devMarker)}},
		{"another include", dev, &workdocs.DescribeUsersInput{Include: aws.String("ALL"), Marker: aws.String(devMarker)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := tc.client.DescribeUsers(tc.in)
			facetest.WantSDKError(t, err, workdocs.ErrCodeInvalidArgumentException, 400, "The marker is not valid for this request; start again without it.")
			if out != nil && len(out.Users) > 0 {
				t.Errorf("users leaked: %v", out.Users)
			}
		})
	}
	t.Run("the longest marker fits the model's 2048", func(t *testing.T) {
		// The sort value is the longest there can be: 64+64 characters that JSON escapes.
		h.MustCreate(t, spec{username: "lt1", given: strings.Repeat("<", 64), surname: strings.Repeat("&", 64)},
			spec{username: "lt2", given: strings.Repeat("<", 64), surname: strings.Repeat("&", 64)})
		first(dev, &workdocs.DescribeUsersInput{Sort: aws.String("FULL_NAME")}) // lt1, lt2 first
	})
	t.Run("over the maximum length", func(t *testing.T) {
		q := url.Values{"marker": {strings.Repeat("A", 2049)}}
		h.MustDo(t, "", withRoute(http.MethodGet, "/api/v1/users?"+q.Encode())).MustError(t, 400, "ValidationException",
			facetest.Detected(facetest.Failure(strings.Repeat("A", 2049), "marker", facetest.MaxLen(2048))))
	})
}

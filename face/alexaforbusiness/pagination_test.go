package alexaforbusiness_test

import (
	"context"
	"fmt"
	"math/rand"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go/aws"
	a4b "github.com/aws/aws-sdk-go/service/alexaforbusiness"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/alexa"
)

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

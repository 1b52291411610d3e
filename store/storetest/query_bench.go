package storetest

import (
	"context"
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// QueryBenchSizes are the directory sizes the query benchmarks measure: 1,000 and
// 100,000 users, or those ROLLCALL_BENCH_QUERY_SIZES lists (comma-separated, e.g.
// "1000,100000,1000000").
func QueryBenchSizes() []int {
	var sizes []int
	for _, f := range strings.Split(os.Getenv("ROLLCALL_BENCH_QUERY_SIZES"), ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(f)); err == nil && n > 0 {
			sizes = append(sizes, n)
		}
	}
	if len(sizes) == 0 {
		return []int{1_000, 100_000}
	}
	return sizes
}

// QueryBenchCase is one page a face reads, as a store query.
type QueryBenchCase struct {
	Name  string
	Query rollcall.UserQuery
}

var (
	benchGiven  = strings.Fields("Ada Grace Márcia Mateo María Zoë Alan Barbara Claude Donald Edsger Frances John Ken Leslie Niklaus Radia Shafi Tim Whitfield Adele Bjarne Dennis Guido Hedy Ivan Joan Katherine Linus Margaret Mary Nancy Ole Peter Robin Sophie Tony Ursula Vint Yukihiro")
	benchFamily = strings.Fields("Lovelace Hopper Silva Jackson Álvarez Turing Liskov Shannon Knuth Dijkstra Allen Backus Thompson Lamport Wirth Perlman Goldwasser Berners-Lee Diffie Goldberg Stroustrup Ritchie Rossum Lamarr Sutherland Clarke Johnson Torvalds Hamilton Kenneth Keller Lynch Dahl Naur Milner Wilson Hoare Martin Cerf Matsumoto")
)

// QueryBenchGivenNames is the pool QueryBenchUser picks given names from.
func QueryBenchGivenNames() []string { return slices.Clone(benchGiven) }

// QueryBenchUser is user i of a benchmark directory: names from a fixed pool, so that
// every filter and search matches the same share of any directory size.
func QueryBenchUser(dir string, i int, r *rand.Rand) *rollcall.User {
	u := NewUser(dir, fmt.Sprintf("%08x-%04x-%08d", r.Uint32(), r.Uint32()&0xffff, i), fmt.Sprintf("user%08d", i))
	u.GivenName, u.FamilyName = benchGiven[r.IntN(len(benchGiven))], benchFamily[r.IntN(len(benchFamily))]
	u.Username = u.Key
	u.DisplayName = u.GivenName + " " + u.FamilyName
	u.Email = fmt.Sprintf("%s.%s%d@example.com", strings.ToLower(u.GivenName), strings.ToLower(u.FamilyName), i)
	u.Status = []string{"ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "ACTIVE", "INACTIVE", "PENDING"}[r.IntN(10)]
	u.UserType = []string{"PrivateUser", "PrivateUser", "PrivateUser", "SharedDevice"}[r.IntN(4)]
	u.ProductKeys.Enrollment = []string{"INITIALIZED", "PENDING", "REGISTERED"}[r.IntN(3)]
	u.ProductKeys.StorageUsed = r.Int64N(1 << 40)
	if r.IntN(5) == 0 {
		u.ProductKeys.StorageLimit = math.MaxInt64
	} else {
		u.ProductKeys.StorageLimit = int64(1+r.IntN(1024)) << 30
	}
	u.CreatedAt = T0.Add(time.Duration(i) * time.Millisecond)
	u.UpdatedAt = u.CreatedAt
	return u
}

// FillQueryBench inserts n users of QueryBenchUser into directory dir (created, of
// kind), in transactions of 10,000, and returns the user in the middle.
func FillQueryBench(b testing.TB, s rollcall.Store, dir string, kind rollcall.DirectoryKind, n int) *rollcall.User {
	b.Helper()
	d := NewDirectory(dir)
	d.Kind = kind
	MustInsert(b, s, d)
	h := fnv.New64a()
	h.Write([]byte(dir))
	r := rand.New(rand.NewPCG(uint64(n), h.Sum64())) // IDs differ between directories
	var mid *rollcall.User
	for done := 0; done < n; done += 10_000 {
		err := s.Update(context.Background(), func(tx rollcall.Tx) error {
			for i := done; i < min(n, done+10_000); i++ {
				u := QueryBenchUser(dir, i, r)
				u.Kind = kind
				if i == n/2 {
					mid = u
				}
				if err := tx.InsertUser(u); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	return mid
}

// QueryBenchCases are the pages the faces document, as store queries: WorkDocs
// DescribeUsers (every sort, both directions, with and without a Query; a page of
// 100), Alexa for Business SearchUsers (every sort key, with and without filters; 50),
// Chime ListUsers by email and by type (100), and the console's newest users (100).
// Each product's pages read a directory of its kind, QueryBenchDir(prefix, kind), and
// name the kind as the product does: its indexes hold only its own users.
func QueryBenchCases(prefix string) []QueryBenchCase {
	var cs []QueryBenchCase
	wd, a4b, chime := QueryBenchDir(prefix, rollcall.DirWorkDocs), QueryBenchDir(prefix, rollcall.DirAlexa), QueryBenchDir(prefix, rollcall.DirChime)
	live := []string{"ACTIVE", "PENDING"}
	newest := []rollcall.UserSort{{Field: rollcall.UserCreatedAt, Descending: true}}
	for _, f := range []struct {
		name  string
		field rollcall.UserField
	}{{"USER_NAME", rollcall.UserKey}, {"FULL_NAME", rollcall.UserFullName}, {"STORAGE_LIMIT", rollcall.UserStorageLimit},
		{"STORAGE_USED", rollcall.UserStorageUsed}, {"USER_STATUS", rollcall.UserStatus}} {
		for _, desc := range []bool{false, true} {
			order := []rollcall.UserSort{{Field: f.field, Descending: desc}, {Field: rollcall.UserID, Descending: desc}}
			dirName := map[bool]string{false: "ASC", true: "DESC"}[desc]
			cs = append(cs,
				QueryBenchCase{"workdocs/" + f.name + "/" + dirName, rollcall.UserQuery{DirectoryID: wd, Kind: rollcall.DirWorkDocs, Statuses: live, Sort: order, Limit: 100}},
				QueryBenchCase{"workdocs/" + f.name + "/" + dirName + "/query", rollcall.UserQuery{DirectoryID: wd, Kind: rollcall.DirWorkDocs, Statuses: live,
					Search: rollcall.SearchTerms("ma"), Sort: order, Limit: 100}})
		}
	}
	for _, f := range []struct {
		name  string
		field rollcall.UserField
	}{{"UserId", rollcall.UserKey}, {"FirstName", rollcall.UserGivenName}, {"LastName", rollcall.UserFamilyName},
		{"Email", rollcall.UserEmail}, {"EnrollmentStatus", rollcall.UserEnrollment}} {
		for _, desc := range []bool{false, true} {
			order, name := []rollcall.UserSort{{Field: f.field, Descending: desc}}, "alexa/"+f.name
			if desc { // ties by ascending ID: read group by group (migration 0310)
				name += "/DESC"
			}
			cs = append(cs,
				QueryBenchCase{name, rollcall.UserQuery{DirectoryID: a4b, Kind: rollcall.DirAlexa, Sort: order, Limit: 50}},
				QueryBenchCase{name + "/filters", rollcall.UserQuery{DirectoryID: a4b, Kind: rollcall.DirAlexa, Sort: order, Limit: 50,
					GivenNames: benchGiven[:len(benchGiven)/2], Enrollments: []string{"PENDING", "REGISTERED"}}})
		}
	}
	cs = append(cs,
		QueryBenchCase{"alexa/none", rollcall.UserQuery{DirectoryID: a4b, Kind: rollcall.DirAlexa, Limit: 50}},
		QueryBenchCase{"chime/email", rollcall.UserQuery{DirectoryID: chime, Kind: rollcall.DirChime, Emails: []string{"the middle user's"}, Limit: 100}},
		QueryBenchCase{"chime/type", rollcall.UserQuery{DirectoryID: chime, Kind: rollcall.DirChime, UserTypes: []string{"SharedDevice"}, Limit: 100}},
		QueryBenchCase{"console/newest", rollcall.UserQuery{TenantID: TenantID, Sort: newest, Limit: 100}},
	)
	return cs
}

// QueryBenchKinds are the kinds of directory QueryBenchCases reads.
var QueryBenchKinds = []rollcall.DirectoryKind{rollcall.DirWorkDocs, rollcall.DirAlexa, rollcall.DirChime}

// QueryBenchDir is the benchmark directory of kind under prefix.
func QueryBenchDir(prefix string, kind rollcall.DirectoryKind) string {
	return prefix + "-" + string(kind)
}

// BenchQueries measures one page of every QueryBenchCase, from the middle of its
// matches in its order, for each of QueryBenchSizes. open makes a fresh, empty store;
// settle, when not nil, runs after the users are in (PostgreSQL: VACUUM ANALYZE, which
// autovacuum does for a table that grew by a tenth). server, when not nil, is the CPU
// time the database server has spent on the store's connections so far (PostgreSQL):
// its share per page is reported as "server-cpu-ns/op".
// Filters and searches keep a fixed share of any directory (a third for Alexa for
// Business' filters, about a sixth for WorkDocs' "ma"), so a page reads the same number
// of rows at every size; at 1,000 users a search's middle may leave less than a page.
func BenchQueries(b *testing.B, open func(b *testing.B) rollcall.Store, settle func(rollcall.Store), server func() time.Duration) {
	for _, n := range QueryBenchSizes() {
		s := open(b)
		mids := map[string]*rollcall.User{}
		for _, k := range QueryBenchKinds {
			mids[QueryBenchDir("bench", k)] = FillQueryBench(b, s, QueryBenchDir("bench", k), k, n)
		}
		if settle != nil {
			settle(s)
		}
		for _, c := range QueryBenchCases("bench") {
			q := c.Query
			if len(q.Emails) > 0 {
				q.Emails = []string{strings.ToUpper(mids[q.DirectoryID].Email)} // one user, in any case
			} else {
				q.After = middle(b, s, q)
			}
			b.Run(fmt.Sprintf("users=%d/%s", n, c.Name), func(b *testing.B) {
				if server != nil {
					start := server()
					defer func() { b.ReportMetric(float64(server()-start)/float64(b.N), "server-cpu-ns/op") }()
				}
				BenchPage(b, 0, func() (users []*rollcall.User, err error) {
					err = s.View(context.Background(), func(tx rollcall.Tx) error {
						users, err = tx.Users(q)
						return err
					})
					return users, err
				})
			})
		}
		s.Close()
	}
}

// BenchSizes runs bench once for each of QueryBenchSizes, as the sub-benchmark
// "users=<n>".
func BenchSizes(b *testing.B, bench func(b *testing.B, n int)) {
	for _, n := range QueryBenchSizes() {
		b.Run("users="+strconv.Itoa(n), func(b *testing.B) { bench(b, n) })
	}
}

// BenchSorts runs a benchmark of one page for each sort key in both orders, without and
// with a filter, named "<key>/ASC", "<key>/DESC", "<key>/ASC/<filter>" and so on.
// setup places the page (in the middle of what matches, as a rule) and returns what
// BenchPage loops on; it runs before the benchmark does.
func BenchSorts[T any](b *testing.B, keys []string, filter string, setup func(key string, desc, filtered bool) func() ([]T, error)) {
	for _, key := range keys {
		for _, desc := range []bool{false, true} {
			for _, filtered := range []bool{false, true} {
				name := key + map[bool]string{false: "/ASC", true: "/DESC"}[desc]
				if filtered {
					name += "/" + filter
				}
				page := setup(key, desc, filtered)
				b.Run(name, func(b *testing.B) { BenchPage(b, 0, page) })
			}
		}
	}
}

// BenchPage is the loop of a benchmark of one page of rows: it calls page for b.Loop
// and reports the CPU time per op (ReportCPU). An error fails the benchmark, and so
// does an empty page, or one of other than want rows when want is not 0.
func BenchPage[T any](b *testing.B, want int, page func() ([]T, error)) {
	defer ReportCPU(b)()
	for b.Loop() {
		rows, err := page()
		if err == nil && (len(rows) == 0 || want > 0 && len(rows) != want) {
			err = fmt.Errorf("a page of %d rows, want %d (0: any but none)", len(rows), want)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}

// ReportCPU reports, when the returned function is called at the end of a benchmark,
// the process's CPU time (user and system) per op as "cpu-ns/op". On a machine that
// other work keeps busy, wall time per op grows with the wait for a CPU; CPU time
// stays what the operation costs (on SQLite all of it; on PostgreSQL the client's
// share only, as the server is another process).
func ReportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if b.N > 0 {
			b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
		}
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// middle is the cursor after the first half of q's matches.
func middle(b *testing.B, s rollcall.Store, q rollcall.UserQuery) *rollcall.UserCursor {
	var c *rollcall.UserCursor
	err := s.View(context.Background(), func(tx rollcall.Tx) error {
		n, err := tx.CountUsers(q)
		if err != nil || n < 2 {
			return err
		}
		q.Limit = n / 2
		half, err := tx.Users(q)
		if err == nil {
			c = rollcall.CursorOf(q, half[len(half)-1])
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return c
}

package sqlite_test

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/store/storetest"
)

// A user as chime.Service.CreateUser makes one: its key is its lower-cased email, and it has
// attrs.
func benchUser(id string) *rollcall.User {
	now := time.Now().UTC().Truncate(time.Millisecond)
	email := id + "@example.com"
	return &rollcall.User{ID: id, DirectoryID: "bench", TenantID: storetest.TenantID, Kind: rollcall.DirChime,
		Key: email, Email: email, DisplayName: id, UserType: "PrivateUser", Status: "Active",
		CreatedAt: now, UpdatedAt: now,
		Attrs: `{"licenseType":"Pro","registrationStatus":"Unregistered"}`}
}

// uuid returns a random (version 4) UUID, as the Service makes user IDs.
func uuid() string {
	var b [16]byte
	rand.Read(b[:])
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// idKinds are the two shapes of ID the insert benchmarks use. Random UUIDs are what
// the Service makes; every one lands on a different page of each of the users
// table's four indexes, so a commit writes several WAL frames per user. Sequential IDs
// (and keys) land on the last pages, which a batch shares: the B-tree's best case.
var idKinds = []struct {
	name string
	next func() func() string
}{
	{"uuid", func() func() string { return uuid }},
	{"sequential", func() func() string {
		var seq atomic.Int64
		return func() string { return fmt.Sprintf("u%012d", seq.Add(1)) }
	}},
}

func reportStats(b *testing.B, s *sqlite.Store, start time.Time) {
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "users/s")
	st := s.Stats()
	if st.Commits > 0 {
		b.ReportMetric(float64(st.Committed)/float64(st.Commits), "users/commit")
	}
	if st.Committed > 0 {
		// Where the writer's time goes, per user: running the batch's statements, and
		// committing (writing and fsyncing the WAL).
		b.ReportMetric(float64(st.RunTime.Nanoseconds())/float64(st.Committed), "run-ns/user")
		b.ReportMetric(float64(st.CommitTime.Nanoseconds())/float64(st.Committed), "commit-ns/user")
	}
}

// BenchmarkInsertUserParallel: durable creates (synchronous=FULL, on a temp dir) from
// 64 goroutines (and 256, to show how batches grow), each an Update of one InsertUser
// of a new user. The writer group-commits them.
func BenchmarkInsertUserParallel(b *testing.B) {
	for _, ids := range idKinds {
		for _, goroutines := range []int{64, 256} {
			b.Run(fmt.Sprintf("ids=%s/goroutines=%d", ids.name, goroutines), func(b *testing.B) {
				s := mustOpen(b)
				next := ids.next()
				b.SetParallelism(max(1, goroutines/runtime.GOMAXPROCS(0)))
				b.ReportAllocs()
				start := time.Now()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						u := benchUser(next())
						if err := s.Update(context.Background(), func(tx rollcall.Tx) error { return tx.InsertUser(u) }); err != nil {
							b.Error(err)
							return
						}
					}
				})
				reportStats(b, s, start)
			})
		}
	}
}

// BenchmarkCreateParallel: a create as the Service makes it, from 64 goroutines: an
// Update that looks its directory up, then inserts the user (time-ordered IDs). run-ns/user
// is the writer's time per create outside COMMIT.
func BenchmarkCreateParallel(b *testing.B) {
	s := mustOpen(b)
	storetest.MustInsert(b, s, storetest.NewDirectory("bench"))
	next := idKinds[1].next()
	b.SetParallelism(max(1, 64/runtime.GOMAXPROCS(0)))
	b.ReportAllocs()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := benchCreate(s, benchUser(next())); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportStats(b, s, start)
}

// benchCreate is a create as the Service makes it: an Update that looks its directory
// up, then inserts the user.
func benchCreate(s *sqlite.Store, u *rollcall.User) error {
	return s.Update(context.Background(), func(tx rollcall.Tx) error {
		if _, err := tx.Directory(u.DirectoryID); err != nil {
			return err
		}
		return tx.InsertUser(u)
	})
}

// BenchmarkInsertUserSerial: the same creates from one goroutine, so one commit (one
// fsync) each.
func BenchmarkInsertUserSerial(b *testing.B) {
	for _, ids := range idKinds {
		b.Run("ids="+ids.name, func(b *testing.B) {
			s := mustOpen(b)
			next := ids.next()
			b.ReportAllocs()
			start := time.Now()
			for b.Loop() {
				u := benchUser(next())
				if err := s.Update(context.Background(), func(tx rollcall.Tx) error { return tx.InsertUser(u) }); err != nil {
					b.Fatal(err)
				}
			}
			reportStats(b, s, start)
		})
	}
}

// BenchmarkUserByKeyParallel: Views on the read pool, nothing writing.
func BenchmarkUserByKeyParallel(b *testing.B) {
	s := mustOpen(b)
	const n = 10000
	keys := make([]string, n)
	storetest.MustUpdate(b, s, func(tx rollcall.Tx) error {
		for i := range n {
			u := benchUser(uuid())
			keys[i] = u.Key
			if err := tx.InsertUser(u); err != nil {
				return err
			}
		}
		return nil
	})
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			i++
			if err := s.View(context.Background(), func(tx rollcall.Tx) error {
				_, err := tx.UserByKey("bench", keys[i%n])
				return err
			}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkQueryPage reads one page of every sort and filter the faces document (see
// storetest.BenchQueries) at 1,000 and 100,000 users (or ROLLCALL_BENCH_QUERY_SIZES).
//
//	go test ./store/sqlite -run '^$' -bench QueryPage -benchtime 200x
func BenchmarkQueryPage(b *testing.B) {
	storetest.BenchQueries(b, func(b *testing.B) rollcall.Store {
		return mustOpenPath(b, filepath.Join(b.TempDir(), "query.db"))
	}, nil, nil)
}

// snapshotBenchKinds are the directories of BenchmarkSnapshot100k: 100,000 users, a
// third of each product, so that every one of the users table's sort indexes is full.
var snapshotBenchKinds = []struct {
	dir   string
	kind  rollcall.DirectoryKind
	users int
}{{"workdocs", rollcall.DirWorkDocs, 34_000}, {"alexa", rollcall.DirAlexa, 33_000}, {"chime", rollcall.DirChime, 33_000}}

// BenchmarkSnapshot100k saves and restores a store of 100,000 users (about 180 MB),
// idle, and while two goroutines keep reading (a user by key) and one keeps writing:
// it reports the reads and writes served during each operation, the slowest of each,
// and fails on any error. ns/op is the wall clock; cpu-ns/op (idle only) the process's
// CPU time, which says more on a machine others load.
//
//	go test ./store/sqlite -run '^$' -bench Snapshot100k -benchtime 5x
func BenchmarkSnapshot100k(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "rollcall.db")
	s := mustOpenPath(b, path)
	b.Cleanup(func() { s.Close() })
	storetest.MustInsert(b, s, storetest.NewTenant(storetest.TenantID))
	for _, k := range snapshotBenchKinds {
		storetest.FillQueryBench(b, s, k.dir, k.kind, k.users)
	}
	if _, err := s.SaveSnapshot(ctx, "bench"); err != nil {
		b.Fatal(err)
	}
	var version uint32
	for _, op := range []struct {
		name string
		run  func() error
	}{
		{"save", func() error { _, err := s.SaveSnapshot(ctx, "bench"); return err }},
		{"restore", func() error { return s.RestoreSnapshot(ctx, "bench") }},
		// A file this store has not seen (copied in by hand, or saved before a restart)
		// is checked whole first: here each time, as the test edits the header's
		// user_version (4 bytes at offset 60, which rollcall does not use) in between.
		{"restore-unchecked", func() error {
			version++
			f, err := os.OpenFile(filepath.Join(sqlite.SnapshotDir(path), "bench.db"), os.O_WRONLY, 0)
			if err != nil {
				return err
			}
			_, err = f.WriteAt(binary.BigEndian.AppendUint32(nil, version), 60)
			if err = errors.Join(err, f.Close()); err != nil {
				return err
			}
			return s.RestoreSnapshot(ctx, "bench")
		}},
	} {
		b.Run(op.name+"/idle", func(b *testing.B) {
			time.Sleep(time.Second) // the checkpointer has copied what came before
			report := storetest.ReportCPU(b)
			for b.Loop() {
				if err := op.run(); err != nil {
					b.Fatal(err)
				}
			}
			report()
		})
		b.Run(op.name+"/serving", func(b *testing.B) {
			var stop atomic.Bool
			var wg sync.WaitGroup
			var reads, writes, slowRead, slowWrite atomic.Int64
			during := func(n *atomic.Int64, slowest *atomic.Int64, fn func(i int) error) {
				defer wg.Done()
				for i := 0; !stop.Load(); i++ {
					start := time.Now()
					if err := fn(i); err != nil {
						b.Error(err)
						return
					}
					n.Add(1)
					if d := int64(time.Since(start)); d > slowest.Load() {
						slowest.Store(d)
					}
				}
			}
			for range 2 {
				wg.Add(1)
				go during(&reads, &slowRead, func(i int) error {
					k := snapshotBenchKinds[i%len(snapshotBenchKinds)]
					return s.View(ctx, func(tx rollcall.Tx) error {
						_, err := tx.UserByKey(k.dir, fmt.Sprintf("user%08d", i%k.users))
						return err
					})
				})
			}
			wg.Add(1)
			go during(&writes, &slowWrite, func(i int) error {
				u := benchUser(fmt.Sprintf("w-%s-%d", uuid(), i))
				u.DirectoryID = "other"
				return s.Update(ctx, func(tx rollcall.Tx) error { return tx.InsertUser(u) })
			})
			for b.Loop() {
				if err := op.run(); err != nil {
					b.Fatal(err)
				}
			}
			stop.Store(true)
			wg.Wait()
			b.ReportMetric(float64(reads.Load())/float64(b.N), "reads/op")
			b.ReportMetric(float64(writes.Load())/float64(b.N), "writes/op")
			b.ReportMetric(float64(slowRead.Load())/1e6, "max-read-ms")
			b.ReportMetric(float64(slowWrite.Load())/1e6, "max-write-ms")
		})
	}
}

// BenchmarkCreateOnStore: Chime-shaped creates (time-ordered IDs, keys the lower-cased
// email), 64 goroutines, into a copy of the store file ROLLCALL_BENCH_STORE (for
// example the harness's 1M-user cache, or an empty store; unset, a new empty store) in
// its directory
// ROLLCALL_BENCH_DIRECTORY (default the harness's Chime account), so the write path
// can be compared at two sizes without HTTP. ROLLCALL_BENCH_EMAILS=random scatters the
// emails, as loadgen -emails random does. Besides reportStats it reports the bytes the
// process wrote per user (/proc/self/io: the WAL and the checkpoints' copies).
func BenchmarkCreateOnStore(b *testing.B) {
	from := os.Getenv("ROLLCALL_BENCH_STORE")
	dir := os.Getenv("ROLLCALL_BENCH_DIRECTORY")
	if dir == "" {
		dir = "00000000-0000-4000-8000-00000000be4c" // tools/loadgen's BenchChimeAccount
	}
	random := os.Getenv("ROLLCALL_BENCH_EMAILS") == "random"
	path := filepath.Join(b.TempDir(), "rollcall.db")
	if from != "" {
		copyFile(b, from, path)
		syncFile(b, path)
	}
	s := mustOpenPath(b, path)
	defer s.Close()
	run := time.Now().UnixNano()
	var seq atomic.Int64
	b.SetParallelism(max(1, 64/runtime.GOMAXPROCS(0)))
	b.ReportAllocs()
	w0 := writeBytes(b)
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			n := uint64(seq.Add(1))
			now := time.Now().UTC().Truncate(time.Millisecond)
			id := fmt.Sprintf("%012x-%04x-7000-8000-%012x", now.UnixMilli(), n>>48, n&(1<<48-1))
			id = id[:8] + "-" + id[8:]
			local := strconv.FormatInt(run, 10) + "-" + strconv.FormatUint(n, 10)
			if random {
				x := n ^ uint64(run) // splitmix64's finalizer, as loadgen's
				x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
				x = (x ^ x>>27) * 0x94d049bb133111eb
				local = fmt.Sprintf("%016x-%d", x^x>>31, run)
			}
			email := "user-" + local + "@example.com"
			u := &rollcall.User{ID: id, DirectoryID: dir, TenantID: rollcall.DevAccountID, Kind: rollcall.DirChime,
				Key: strings.ToLower(email), Email: email, DisplayName: "user-" + local, UserType: "PrivateUser", Status: "Active",
				CreatedAt: now, UpdatedAt: now, Attrs: `{"licenseType":"Pro","registrationStatus":"Unregistered"}`}
			if err := s.Update(context.Background(), func(tx rollcall.Tx) error { return tx.InsertUser(u) }); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportStats(b, s, start)
	b.ReportMetric(float64(writeBytes(b)-w0)/float64(b.N), "write-B/user")
}

// syncFile flushes path to disk: a copy's writeback would otherwise stall a run's fsyncs.
func syncFile(tb testing.TB, path string) {
	tb.Helper()
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		tb.Fatal(err)
	}
}

// writeBytes is the bytes this process has caused to be written to storage.
func writeBytes(tb testing.TB) int64 {
	tb.Helper()
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "write_bytes: "); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

// BenchmarkUpdateLatency4: the latency of a create as the Service makes it (a
// directory read and an insert, time-ordered IDs) from 4 goroutines, each waiting for
// its Update before the next, as at 4 clients (issue 12's low-load case). Besides the
// percentiles it reports which share of all Updates, and of those at or past the p99,
// overlapped a checkpoint (PASSIVE or RESTART), how many RESTARTs (writer stalls)
// each 1,000 commits cost, and the p99 of the COMMITs (the WAL append and its fsync,
// little CPU) that overlapped a checkpoint and of those that did not: what the tail is
// made of, in figures that a shared machine moves less than the percentiles. Run it
// with -benchtime 5s or more.
func BenchmarkUpdateLatency4(b *testing.B) {
	type span struct{ from, to time.Time }
	var mu sync.Mutex
	var ckpts, commits []span
	record := func(into *[]span, d time.Duration) {
		now := time.Now()
		mu.Lock()
		*into = append(*into, span{now.Add(-d), now})
		mu.Unlock()
	}
	s := mustOpen(b, sqlite.WithHooks(sqlite.Hooks{
		Checkpoint: func(d time.Duration) { record(&ckpts, d) },
		Commit:     func(_ int, d time.Duration) { record(&commits, d) },
	}))
	overlaps := func(u span) bool {
		return slices.ContainsFunc(ckpts, func(c span) bool { return c.from.Before(u.to) && c.to.After(u.from) })
	}
	storetest.MustInsert(b, s, storetest.NewDirectory("bench"))
	next := idKinds[1].next()
	var left atomic.Int64
	left.Store(int64(b.N))
	var ups []span
	var wg sync.WaitGroup
	b.ReportAllocs()
	b.ResetTimer()
	for range 4 {
		wg.Go(func() {
			var mine []span
			for left.Add(-1) >= 0 {
				u := benchUser(next())
				from := time.Now()
				if err := benchCreate(s, u); err != nil {
					b.Error(err)
					return
				}
				mine = append(mine, span{from, time.Now()})
			}
			mu.Lock()
			ups = append(ups, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	b.StopTimer()
	mu.Lock()
	defer mu.Unlock()
	if len(ups) == 0 {
		return
	}
	lat := make([]time.Duration, len(ups))
	for i, u := range ups {
		lat[i] = u.to.Sub(u.from)
	}
	slices.Sort(lat)
	q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	p99 := q(0.99)
	var overlapped, slow, slowOverlapped int
	for _, u := range ups {
		over := overlaps(u)
		if over {
			overlapped++
		}
		if u.to.Sub(u.from) >= p99 {
			slow++
			if over {
				slowOverlapped++
			}
		}
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	b.ReportMetric(ms(q(0.5)), "p50-ms")
	b.ReportMetric(ms(p99), "p99-ms")
	b.ReportMetric(ms(q(0.999)), "p99.9-ms")
	b.ReportMetric(ms(lat[len(lat)-1]), "max-ms")
	b.ReportMetric(100*float64(overlapped)/float64(len(ups)), "ckpt-overlap-%")
	b.ReportMetric(100*float64(slowOverlapped)/float64(slow), "slow-ckpt-%")
	// The COMMITs (a WAL append and its fsync: little CPU), apart: the p99 of those that
	// overlapped a checkpoint and of those that did not.
	var cOver, cFree []time.Duration
	for _, c := range commits {
		if overlaps(c) {
			cOver = append(cOver, c.to.Sub(c.from))
		} else {
			cFree = append(cFree, c.to.Sub(c.from))
		}
	}
	for name, d := range map[string][]time.Duration{"commit-ckpt-p99-ms": cOver, "commit-free-p99-ms": cFree} {
		if len(d) > 0 {
			slices.Sort(d)
			b.ReportMetric(ms(d[len(d)*99/100]), name)
		}
	}
	if st := s.Stats(); st.Commits > 0 {
		b.ReportMetric(1000*float64(st.Restarts)/float64(st.Commits), "restarts/1k-commits")
	}
}

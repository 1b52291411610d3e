package postgres_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/postgres"
	"github.com/rollcall/rollcall/store/postgres/pgtest"
	"github.com/rollcall/rollcall/store/storetest"
)

// benchGoroutines is how many goroutines BenchmarkInsertUserParallel runs: a server's
// worth of concurrent requests.
const benchGoroutines = 64

// BenchmarkInsertUserParallel runs benchGoroutines goroutines, each doing one Update
// (InsertUser of a new user) at a time, and reports durable inserts per second. The
// pool has ROLLCALL_BENCH_POOL connections (default 32).
func BenchmarkInsertUserParallel(b *testing.B) {
	conns := 32
	if v, err := strconv.Atoi(os.Getenv("ROLLCALL_BENCH_POOL")); err == nil && v > 0 {
		conns = v
	}
	dsn := withParam(freshDB(b), "pool_max_conns", strconv.Itoa(conns))
	if v := os.Getenv("ROLLCALL_BENCH_GROUP_COMMIT"); v != "" { // on (the default) or off
		dsn = withParam(dsn, "group_commit", v)
	}
	s := mustOpen(b, dsn)
	storetest.MustInsert(b, s, storetest.NewDirectory("A"))
	ctx := context.Background()
	var next atomic.Int64
	b.SetParallelism((benchGoroutines + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ReportAllocs()
	b.ResetTimer()
	began := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1)
			u := storetest.NewUser("A", fmt.Sprintf("u%09d", i), fmt.Sprintf("k%09d", i))
			if err := s.Update(ctx, func(tx rollcall.Tx) error { return tx.InsertUser(u) }); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(began).Seconds(), "users/s")
	if st := s.GroupStats(); st.Commits > 0 {
		b.ReportMetric(float64(st.Committed)/float64(st.Commits), "users/commit")
		b.ReportMetric(float64(st.Alone), "alone")
	}
}

var _ = postgres.Open

// BenchmarkCreateParallel is BenchmarkInsertUserParallel with a create's whole Update
// (Chime's and Alexa for Business's shape): its directory read, the insert and its
// audit event. It reports the server's CPU per create too (serverCPU), the figure that
// counts when the server shares the machine's cores with rollcall. The pool has 16
// connections (the harness's); ROLLCALL_BENCH_GROUP_COMMIT sets group_commit.
//
//	go test ./store/postgres -run '^$' -bench CreateParallel -benchtime 20000x
func BenchmarkCreateParallel(b *testing.B) {
	dsn := freshDB(b)
	opts := withParam(dsn, "pool_max_conns", "16")
	if v := os.Getenv("ROLLCALL_BENCH_GROUP_COMMIT"); v != "" {
		opts = withParam(opts, "group_commit", v)
	}
	s := mustOpen(b, opts)
	storetest.MustInsert(b, s, storetest.NewDirectory("A"))
	ctx := context.Background()
	var next atomic.Int64
	create := func() error {
		i := next.Add(1)
		u := storetest.NewUser("A", fmt.Sprintf("u%09d", i), fmt.Sprintf("k%09d", i))
		return s.Update(ctx, func(tx rollcall.Tx) error {
			if _, err := tx.Directory("A"); err != nil {
				return err
			}
			if err := tx.InsertUser(u); err != nil {
				return err
			}
			return tx.PutAuditEvent(&rollcall.AuditEvent{TenantID: storetest.TenantID, Time: u.CreatedAt, ID: u.ID,
				Name: "CreateUser", Principal: "bench", Record: []byte(`{"userId":"` + u.ID + `"}`)})
		})
	}
	if err := create(); err != nil { // the directory cache, the connections
		b.Fatal(err)
	}
	b.SetParallelism((benchGoroutines + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	st0, cpu0 := s.GroupStats(), serverCPU(b, dsn)
	b.ReportAllocs()
	b.ResetTimer()
	began := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := create(); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(began).Seconds(), "creates/s")
	b.ReportMetric(float64((serverCPU(b, dsn)-cpu0).Microseconds())/float64(b.N), "server-µs/op")
	if st := s.GroupStats(); st.Commits > st0.Commits {
		b.ReportMetric(float64(st.Committed-st0.Committed)/float64(st.Commits-st0.Commits), "creates/commit")
	}
}

// BenchmarkInsertUser is one goroutine's Update(InsertUser): the latency of a durable
// create.
func BenchmarkInsertUser(b *testing.B) {
	s := mustOpen(b, freshDB(b))
	storetest.MustInsert(b, s, storetest.NewDirectory("A"))
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		u := storetest.NewUser("A", fmt.Sprintf("u%09d", i), fmt.Sprintf("k%09d", i))
		if err := s.Update(ctx, func(tx rollcall.Tx) error { return tx.InsertUser(u) }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkViewUser is one goroutine's View(User): the latency of a read.
func BenchmarkViewUser(b *testing.B) {
	s := mustOpen(b, freshDB(b))
	storetest.MustInsert(b, s, storetest.NewDirectory("A"), storetest.NewUser("A", "u1", "ada"))
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if err := s.View(ctx, func(tx rollcall.Tx) error { _, err := tx.User("A", "u1"); return err }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkQueryPage reads one page of every sort and filter the faces document (see
// storetest.BenchQueries) at 1,000 and 100,000 users (or ROLLCALL_BENCH_QUERY_SIZES).
//
//	go test ./store/postgres -run '^$' -bench QueryPage -benchtime 200x
func BenchmarkQueryPage(b *testing.B) {
	var dsn string
	storetest.BenchQueries(b, func(b *testing.B) rollcall.Store {
		dsn = freshDB(b)
		return mustOpen(b, dsn)
	}, func(rollcall.Store) {
		// What autovacuum does to a table that grew (autovacuum_vacuum_insert_threshold): the
		// statistics, and the visibility map that lets a scan skip rows it does not return.
		if _, err := pgtest.Connect(b, dsn).Exec(context.Background(), "VACUUM ANALYZE"); err != nil {
			b.Fatal(err)
		}
	}, func() time.Duration { return serverCPU(b, dsn) })
}

// serverCPU is the CPU time (user and system) the server's backends for dsn's database
// have used: the processes of the store's connections, as the benchmark's database is
// its own. It reads /proc, so the server must run on this machine.
func serverCPU(b *testing.B, dsn string) time.Duration {
	ctx := context.Background()
	conn := pgtest.Connect(b, dsn)
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`)
	if err != nil {
		b.Fatal(err)
	}
	pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
	if err != nil {
		b.Fatal(err)
	}
	var total time.Duration
	for _, pid := range pids {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			b.Fatalf("server CPU: %v", err)
		}
		// Fields 14 and 15 (utime, stime), after the parenthesized command name, in
		// clock ticks of 10 ms (USER_HZ is 100 on Linux).
		f := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		for _, v := range f[11:13] {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				b.Fatal(err)
			}
			total += time.Duration(n) * 10 * time.Millisecond
		}
	}
	return total
}

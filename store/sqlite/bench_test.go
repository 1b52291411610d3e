package sqlite_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"runtime"
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
		Attrs: rollcall.UserAttrs{LicenseType: "Pro", RegistrationStatus: "Unregistered"}}
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
			u := benchUser(next())
			if err := s.Update(context.Background(), func(tx rollcall.Tx) error {
				if _, err := tx.Directory(u.DirectoryID); err != nil {
					return err
				}
				return tx.InsertUser(u)
			}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportStats(b, s, start)
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
	}, nil)
}

package sqlite_test

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/store/storetest"
)

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
// and fails on any error. ns/op is the wall clock; cpu-ms/op (idle only) the process's
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
			cpu := cpuTime()
			for b.Loop() {
				if err := op.run(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(cpuTime()-cpu)/1e6/float64(b.N), "cpu-ms/op")
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

// cpuTime is the process's user and system CPU time so far, in nanoseconds: on a
// machine others load, it says what an operation costs better than the wall clock.
func cpuTime() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

package sqlite_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

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
		copyStore(b, from, path)
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

func copyStore(tb testing.TB, from, to string) {
	tb.Helper()
	in, err := os.Open(from)
	if err != nil {
		tb.Fatal(err)
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		tb.Fatal(err)
	}
	if err := out.Sync(); err != nil { // its writeback would otherwise stall the run's fsyncs
		tb.Fatal(err)
	}
	if err := out.Close(); err != nil {
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

package main

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall/store/sqlite"
	"github.com/rollcall/rollcall/tools/loadgen/load"
)

// storeStats is the SQLite store's writer counters (zero on another store).
func storeStats(m *testMain) sqlite.Stats {
	if s, ok := m.Store.(*sqlite.Store); ok {
		return s.Stats()
	}
	return sqlite.Stats{}
}

// BenchmarkServeCreate: each face's create through the whole server as `rollcall serve`
// runs it for scripts/bench.sh (the default configuration: audit trail on, IAM on, logs
// at warn; Amazon Business's rate limit off), from 64 keep-alive clients and from one
// (low-load latency; one Update per commit), and a bare net/http handler answering the
// same signed requests, in one process. The requests are
// the load generator's (tools/loadgen/load), built and signed before the timer starts, so
// an op is the client's send and the server's answer. The difference between a face's
// and bare's instructions per op (callgrind, two -benchtime counts) is the server's own
// cost; see scripts/callgrind.sh.
func BenchmarkServeCreate(b *testing.B) {
	bare := httptest.NewServer(load.BareHandler())
	b.Cleanup(bare.Close)
	m := MustRunMain(b, b.TempDir(), "--log-level", "warn", "--rate-limit", "amazonbusiness.createBusinessUserAccount=off")
	account, err := load.New(m.URL, "chime").CreateChimeAccount()
	if err != nil {
		b.Fatal(err)
	}
	for _, face := range []string{"bare", "chime", "a4b", "business"} {
		for _, clients := range []int{64, 1} {
			b.Run(face+"/clients="+strconv.Itoa(clients), func(b *testing.B) { benchServe(b, m, face, bare.URL, account, clients) })
		}
	}
}

// benchServe sends b.N requests of face from clients keep-alive clients to m (bare: to
// bareURL) and reports creates/s, p99, Updates per commit, the writer's busy shares and the
// CPU share.
func benchServe(b *testing.B, m *testMain, face, bareURL, account string, clients int) {
	url := m.URL
	if face == "bare" {
		url = bareURL
	}
	g := load.New(url, face)
	g.ChimeAccount, g.SignBare = account, true
	reqs := make([]*http.Request, b.N)
	for i := range reqs {
		var err error
		if reqs[i], err = g.Request(); err != nil {
			b.Fatal(err)
		}
	}
	before := storeStats(m)
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	res := load.Run(face, clients, time.Hour, func() (*http.Request, error) {
		if i := next.Add(1) - 1; i < int64(len(reqs)) {
			return reqs[i], nil
		}
		return nil, nil
	})
	b.StopTimer()
	if res.Failed > 0 || res.OK != b.N {
		b.Fatalf("%d of %d created: %v", res.OK, b.N, res.Statuses)
	}
	b.ReportMetric(float64(res.OK)/res.Elapsed.Seconds(), "creates/s")
	b.ReportMetric(float64(res.P99.Microseconds())/1000, "p99-ms")
	if face != "bare" {
		after := storeStats(m)
		b.ReportMetric(float64(after.Committed-before.Committed)/float64(max(1, after.Commits-before.Commits)), "updates/commit")
		// The writer's shares of the wall clock in its batches' statements and in COMMIT:
		// their sum near 1, it is the ceiling, and only its own work per request counts.
		b.ReportMetric((after.RunTime-before.RunTime).Seconds()/res.Elapsed.Seconds(), "writer-run")
		b.ReportMetric((after.CommitTime-before.CommitTime).Seconds()/res.Elapsed.Seconds(), "writer-commit")
	}
	// The process's (server and clients) CPU time over the machine's: near 1 the cores are.
	b.ReportMetric(res.CPU, "cpu-share")
}

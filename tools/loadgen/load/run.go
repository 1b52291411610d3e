package load

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"syscall"
	"time"
)

// Result is what a run measured.
type Result struct {
	Face                string
	OK, Failed          int
	Statuses            map[int]int // -1: no answer
	Elapsed             time.Duration
	P50, P90, P99, PMax time.Duration
	CPU                 float64 // the process's CPU time over the machine's (elapsed x cores)
}

func (r Result) String() string {
	return fmt.Sprintf("face=%s ok=%d failed=%d statuses=%v elapsed=%s rate=%.0f/s p50=%s p90=%s p99=%s max=%s loadgen_cpu=%.0f%%",
		r.Face, r.OK, r.Failed, r.Statuses, r.Elapsed.Round(time.Millisecond), float64(r.OK)/r.Elapsed.Seconds(), r.P50, r.P90, r.P99, r.PMax, 100*r.CPU)
}

// Run sends requests from conc keep-alive clients until dur has passed or next has none
// left (nil, nil), and measures them.
func Run(face string, conc int, dur time.Duration, next func() (*http.Request, error)) Result {
	tr := &http.Transport{MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var mu sync.Mutex
	res := Result{Face: face, Statuses: map[int]int{}}
	var lat []time.Duration
	var wg sync.WaitGroup
	cpu0 := CPUTime()
	start := time.Now()
	for range conc {
		wg.Go(func() {
			var mine []time.Duration
			statuses := map[int]int{}
			for ctx.Err() == nil {
				req, err := next()
				if req == nil && err == nil {
					break
				}
				if err != nil {
					statuses[-1]++
					continue
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err != nil {
					statuses[-1]++
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				mine = append(mine, time.Since(t0))
				statuses[resp.StatusCode]++
			}
			mu.Lock()
			lat = append(lat, mine...)
			for s, n := range statuses {
				res.Statuses[s] += n
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	res.Elapsed = time.Since(start)
	res.CPU = (CPUTime() - cpu0).Seconds() / (res.Elapsed.Seconds() * float64(runtime.NumCPU()))
	for s, n := range res.Statuses {
		if s >= 200 && s < 300 {
			res.OK += n
		} else {
			res.Failed += n
		}
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
		res.P50, res.P90, res.P99, res.PMax = q(0.5), q(0.9), q(0.99), lat[len(lat)-1]
	}
	return res
}

// BareHandler is the baseline: it reads and decodes the same JSON body and answers 201
// with a small JSON document, and does nothing else.
func BareHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"User": in})
	})
}

// CPUTime is the CPU time (user and system) this process has used.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

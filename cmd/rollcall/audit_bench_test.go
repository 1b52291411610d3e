package main

import (
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"

	"github.com/rollcall/rollcall/face/facetest"
	"github.com/rollcall/rollcall/store/sqlite"
)

// BenchmarkAuditCreateUser measures what the audit trail costs Chime CreateUser
// throughput through the whole server (signed requests from 32 keep-alive clients,
// durable SQLite): the issue allows the trail at most 15%, with reads recorded.
//
// "ratio" runs two servers in one process, the trail off and on (reads recorded, the
// default), in alternating phases of auditPhase requests (off, on, on, off, ...), so
// both see the same machine load, and reports each one's users/s and cost-%
// (1 - on/off over all phases); median-cost-% is the median of the rounds' costs (on
// a busy machine both swing widely: compare runs made at a quiet moment). A phase of the
// trail-on server ends once its queued events are stored. One op is one CreateUser on each.
// It also reports the process's CPU time per CreateUser in each server's phases
// (off-cpu-µs/user, on-cpu-µs/user; the in-process clients included) and cpu-cost-%,
// 1 - off/on: CPU time counts only while the process runs, so it moves far less than
// throughput with the machine's load.
//
// "off" and "on" run one server each, for counting instructions (valgrind --tool=callgrind
// is repeatable on a loaded machine: scripts/callgrind.sh; see the README's audit cost).
func BenchmarkAuditCreateUser(b *testing.B) {
	b.Run("ratio", func(b *testing.B) {
		servers := [2]*auditBench{newAuditBench(b, false), newAuditBench(b, true)}
		var costs, cpuCosts []float64 // each round's, in %
		b.ResetTimer()
		for done, round := 0, 0; done < b.N; round++ {
			n := min(auditPhase, b.N-done)
			first := round % 2 // ABBA: neither server always runs right after the other
			var took, cpu [2]time.Duration
			for _, i := range []int{first, 1 - first} {
				c0 := processCPU(b)
				took[i] = servers[i].phase(b, n)
				cpu[i] = processCPU(b) - c0
				servers[i].cpu += cpu[i]
			}
			costs = append(costs, 100*(1-took[0].Seconds()/took[1].Seconds()))
			cpuCosts = append(cpuCosts, 100*(1-cpu[0].Seconds()/cpu[1].Seconds()))
			done += n
		}
		b.StopTimer()
		slices.Sort(costs)
		off := float64(b.N) / servers[0].elapsed.Seconds()
		on := float64(b.N) / servers[1].elapsed.Seconds()
		b.ReportMetric(off, "off-users/s")
		b.ReportMetric(on, "on-users/s")
		b.ReportMetric(100*(1-on/off), "cost-%")
		b.ReportMetric(costs[len(costs)/2], "median-cost-%")
		// The process's CPU time (user and system, clients included) per CreateUser:
		// unlike throughput it hardly moves with what else the machine runs, so
		// on-off is the trail's own cost, and cpu-cost-% its share of the on phases'.
		slices.Sort(cpuCosts)
		offCPU := float64(servers[0].cpu.Microseconds()) / float64(b.N)
		onCPU := float64(servers[1].cpu.Microseconds()) / float64(b.N)
		b.ReportMetric(offCPU, "off-cpu-µs/user")
		b.ReportMetric(onCPU, "on-cpu-µs/user")
		b.ReportMetric(100*(1-offCPU/onCPU), "cpu-cost-%")
		b.ReportMetric(cpuCosts[len(cpuCosts)/2], "median-cpu-cost-%")
		for _, s := range servers {
			if st, ok := s.m.Store.(interface{ Stats() sqlite.Stats }); ok {
				b.Logf("audit %v: %+v", s.m.Trail != nil, st.Stats())
			}
		}
	})
	for _, on := range []bool{false, true} {
		b.Run(map[bool]string{false: "off", true: "on"}[on], func(b *testing.B) {
			s := newAuditBench(b, on)
			b.ResetTimer()
			s.phase(b, b.N)
			b.ReportMetric(float64(b.N)/s.elapsed.Seconds(), "users/s")
		})
	}
}

// auditPhase is how many CreateUsers a phase of the ratio benchmark sends to one server.
const auditPhase = 500

// auditBench is a server with the trail on or off and a Chime account to create users in.
type auditBench struct {
	m       *testMain
	create  func(seq int64) error
	seq     atomic.Int64
	elapsed time.Duration // the phases' total
	cpu     time.Duration // the process's CPU time during the phases (ratio only)
}

func newAuditBench(b *testing.B, on bool) *auditBench {
	args := []string{"--log-level", "error", "--audit=false"}
	if on {
		args = []string{"--log-level", "error", "--audit=true", "--audit-reads=true"}
	}
	m := MustRunMain(b, b.TempDir(), args...)
	if (m.Trail != nil) != on {
		b.Fatalf("--audit=%v, but the trail is %v", on, m.Trail)
	}
	acct := mustChimeAccount(b, devChime(b, m), "Bench")
	return &auditBench{m: m, create: facetest.ChimeCreateUser(m.URL, aws.StringValue(acct.AccountId))}
}

// phase sends n CreateUsers from 32 clients and waits for the trail's queue to be
// stored; it returns the time that took.
func (s *auditBench) phase(b *testing.B, n int) time.Duration {
	var next atomic.Int64
	var wg sync.WaitGroup
	t0 := time.Now()
	for range 32 {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				if err := s.create(s.seq.Add(1)); err != nil {
					b.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if s.m.Trail != nil {
		s.m.Trail.Flush()
	}
	took := time.Since(t0)
	s.elapsed += took
	return took
}

// processCPU is the CPU time (user and system) the process has used so far.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

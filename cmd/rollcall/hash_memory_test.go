package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws"
	"github.com/aws/aws-sdk-go/service/workdocs"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/internal/testdeps"
)

// procMemory reads a /proc/PID/status field in KiB (VmRSS, VmHWM).
func procMemory(tb testing.TB, pid int, field string) int {
	tb.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		tb.Fatal(err)
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(v), " kB"))
			if err != nil {
				tb.Fatal(err)
			}
			return n
		}
	}
	tb.Fatalf("no %s in /proc/%d/status", field, pid)
	return 0
}

// TestCreateUserHashMemoryBound runs a rollcall process with the default argon2id cost
// (19 MiB) and the default --argon2-budget, and sends it 64 WorkDocs CreateUsers at once:
// its peak resident memory grows by no more than the budget, as the README documents,
// plus 16 MiB for the requests themselves. Without the bound the same load raised the
// peak by about 64 × 19 MiB (1.2 GiB).
func TestCreateUserHashMemoryBound(t *testing.T) {
	testdeps.RequireFile(t, "/proc/self/status", "/proc, to read the process's peak memory")
	const budgetKiB = DefaultArgon2Budget
	bin := buildRollcall(t)
	r, err := startReplica(t, bin, "hashes", "sqlite:"+filepath.Join(t.TempDir(), "db"),
		"--argon2-memory", "19456", "--argon2-time", "2", "--argon2-budget", strconv.Itoa(budgetKiB), "--argon2-wait", "1m")
	if err != nil {
		t.Fatal(err)
	}
	pid := r.cmd.Process.Pid
	wd := workdocs.New(r.sess)
	// One create first, so the growth measured is the concurrency's, not the first
	// request's warm-up of the SDK paths and the store.
	in := func(name string) *workdocs.CreateUserInput {
		return &workdocs.CreateUserInput{OrganizationId: aws.String(rollcall.DevOrganizationID), Username: aws.String(name),
			GivenName: aws.String("Ada"), Surname: aws.String("Lovelace"), Password: aws.String("correct-horse-1")}
	}
	if _, err := wd.CreateUser(in("warm-up")); err != nil {
		t.Fatal(err)
	}
	before := procMemory(t, pid, "VmRSS")
	start := time.Now()
	const n = 64
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			if _, err := wd.CreateUser(in(fmt.Sprintf("user-%d", i))); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	took := time.Since(start)
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	peak := procMemory(t, pid, "VmHWM")
	growth := peak - before
	bound := budgetKiB + 16<<10
	t.Logf("%d concurrent creates in %v: RSS %d KiB before, peak %d KiB, growth %d KiB (bound %d KiB)", n, took.Round(time.Millisecond), before, peak, growth, bound)
	if growth > bound {
		t.Fatalf("peak memory grew by %d KiB, more than the documented bound of %d KiB", growth, bound)
	}
}

package pgtest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/rollcall/rollcall/internal/testdeps"
)

// Cluster is a throwaway PostgreSQL cluster of the test's own (initdb in a temporary
// directory, its own port on loopback), which a test may crash and restart. It never
// touches the server of ROLLCALL_TEST_POSTGRES.
type Cluster struct {
	tb   testing.TB
	dir  string // the data directory
	bin  string
	Port int
	DSN  string // postgres://postgres@127.0.0.1:PORT/postgres?sslmode=disable
}

// postgresBin is where Debian's newest PostgreSQL server programs are ("" if none).
func postgresBin() string {
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	best, bestVer := "", -1
	for _, d := range dirs {
		v, err := strconv.Atoi(filepath.Base(filepath.Dir(filepath.Dir(d))))
		if err == nil && v > bestVer {
			best, bestVer = filepath.Dir(d), v
		}
	}
	return best
}

// NewCluster initdbs and starts a cluster, run as the postgres user (the tests run as
// root, and PostgreSQL refuses to run as root); it is stopped and removed when tb ends.
// Without the server programs, or the postgres user, the test skips (fails under CI=true).
// A cluster takes seconds to make and start, so the test is slow (testdeps.Slow).
func NewCluster(tb testing.TB) *Cluster {
	tb.Helper()
	testdeps.Slow(tb, "runs a PostgreSQL cluster of its own")
	bin := postgresBin()
	testdeps.RequireFile(tb, filepath.Join(bin, "initdb"), "PostgreSQL's server programs in /usr/lib/postgresql/*/bin (apt-get install postgresql)")
	u, err := user.Lookup("postgres")
	testdeps.Require(tb, err, "the postgres user")
	root, err := os.MkdirTemp("", "rollcall-pg-")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(root) })
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(root, uid, gid); err != nil {
		testdeps.Require(tb, err, "root, to run a cluster as the postgres user")
	}
	c := &Cluster{tb: tb, dir: filepath.Join(root, "data"), bin: bin, Port: freePort(tb)}
	c.DSN = fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", c.Port)
	c.run("initdb", "-D", c.dir, "-A", "trust", "-U", "postgres", "--no-sync")
	c.Start()
	tb.Cleanup(func() { c.pgctl("stop", "-m", "immediate") })
	return c
}

// Start starts the cluster and waits until it accepts connections.
func (c *Cluster) Start() {
	c.tb.Helper()
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1 -c unix_socket_directories='%s' -c max_connections=50 -c fsync=on",
		c.Port, filepath.Dir(c.dir))
	if err := c.pgctl("start", "-w", "-t", "60", "-l", filepath.Join(filepath.Dir(c.dir), "log"), "-o", opts); err != nil {
		log, _ := os.ReadFile(filepath.Join(filepath.Dir(c.dir), "log"))
		c.tb.Fatalf("pg_ctl start: %v\n%s", err, log)
	}
}

// Stop stops the cluster: mode "immediate" is a crash (no checkpoint, recovery at the
// next start), "fast" a clean shutdown that ends the sessions.
func (c *Cluster) Stop(mode string) {
	c.tb.Helper()
	if err := c.pgctl("stop", "-w", "-m", mode); err != nil {
		c.tb.Fatalf("pg_ctl stop -m %s: %v", mode, err)
	}
}

// Outage is what a test does around each of Outages' stops.
type Outage struct {
	Stopping func(mode string)                  // before the cluster stops
	Down     func(mode string)                  // while it is stopped
	Up       func(mode string, since time.Time) // once it accepts connections again, since since
}

// Outages takes the cluster away the two ways a server goes away under a test's load,
// and starts it again after each: Stop("immediate"), a crash, then Stop("fast"), a clean
// shutdown that ends the sessions (57P01). The load runs a second before the first
// stop, a second while the cluster is down, and half a second after each Up.
func (c *Cluster) Outages(o Outage) {
	c.tb.Helper()
	time.Sleep(time.Second)
	for _, mode := range []string{"immediate", "fast"} {
		o.Stopping(mode)
		c.Stop(mode)
		o.Down(mode)
		time.Sleep(time.Second)
		c.Start()
		o.Up(mode, time.Now())
		time.Sleep(500 * time.Millisecond)
	}
}

func (c *Cluster) pgctl(args ...string) error {
	out, err := c.command("pg_ctl", append([]string{"-D", c.dir}, args...)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	return nil
}

func (c *Cluster) run(name string, args ...string) {
	c.tb.Helper()
	if out, err := c.command(name, args...).CombinedOutput(); err != nil {
		c.tb.Fatalf("%s: %v: %s", name, err, out)
	}
}

// command runs a server program as the postgres user.
func (c *Cluster) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command("runuser", append([]string{"-u", "postgres", "--", filepath.Join(c.bin, name)}, args...)...)
	cmd.Dir = "/"
	return cmd
}

// freePort asks the kernel for a free port on loopback (never 5432, the shared server's).
func freePort(tb testing.TB) int {
	tb.Helper()
	for {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			tb.Fatal(err)
		}
		port := ln.Addr().(*net.TCPAddr).Port
		ln.Close()
		if port != 5432 {
			return port
		}
	}
}

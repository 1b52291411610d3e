package facetest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/internal/testdeps"
)

// CLI runs one service's commands of the real AWS CLI against a server
// (testdeps.AWS: the dev credentials, the server as endpoint).
type CLI struct {
	tb      testing.TB
	url     string
	service string
}

// CLI returns the AWS CLI for service against the server. Under CI=true a missing CLI
// fails the test; elsewhere it skips.
func (s *Server) CLI(tb testing.TB, service string) *CLI {
	tb.Helper()
	testdeps.AWSCLI(tb)
	return &CLI{tb: tb, url: s.URL, service: service}
}

// Run runs a command and returns what it printed and how it ended.
func (c *CLI) Run(args ...string) (stdout, stderr string, err error) {
	c.tb.Helper()
	return testdeps.AWS(c.tb, c.url, append([]string{c.service}, args...)...)
}

// Must runs a command that must succeed and returns what it printed.
func (c *CLI) Must(args ...string) string {
	c.tb.Helper()
	stdout, stderr, err := c.Run(args...)
	if err != nil {
		c.tb.Fatalf("aws %s %s: %v\n%s", c.service, strings.Join(args, " "), err, stderr)
	}
	return stdout
}

// MustJSON runs a command that must succeed and decodes what it printed into out; it
// returns what it printed.
func (c *CLI) MustJSON(out any, args ...string) string {
	c.tb.Helper()
	stdout := c.Must(args...)
	if err := json.Unmarshal([]byte(stdout), out); err != nil {
		c.tb.Fatalf("aws %s %s printed %q: %v", c.service, strings.Join(args, " "), stdout, err)
	}
	return stdout
}

// MustFail runs a command that must fail with every one of want in what it wrote to
// stderr.
func (c *CLI) MustFail(args []string, want ...string) {
	c.tb.Helper()
	_, stderr, err := c.Run(args...)
	if err == nil {
		c.tb.Fatalf("aws %s %s succeeded, want a failure", c.service, strings.Join(args, " "))
	}
	for _, w := range want {
		if !strings.Contains(stderr, w) {
			c.tb.Fatalf("aws %s %s: %v, stderr %q, want %q in it", c.service, strings.Join(args, " "), err, stderr, w)
		}
	}
}

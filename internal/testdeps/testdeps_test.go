package testdeps

import (
	"errors"
	"fmt"
	"testing"
)

// recorder stands for a test and records how it was stopped.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Helper()                      {}
func (r *recorder) Fatalf(f string, args ...any) { r.fatal = fmt.Sprintf(f, args...) }
func (r *recorder) Skipf(f string, args ...any)  { r.skip = fmt.Sprintf(f, args...) }

func TestRequire(t *testing.T) {
	missing := errors.New("not installed")
	for _, c := range []struct {
		ci        string
		missing   error
		fail, skp bool
	}{
		{"true", missing, true, false},
		{"", missing, false, true},
		{"false", missing, false, true},
		{"true", nil, false, false},
		{"", nil, false, false},
	} {
		t.Setenv("CI", c.ci)
		r := &recorder{TB: t}
		Require(r, c.missing, "the thing")
		if (r.fatal != "") != c.fail || (r.skip != "") != c.skp {
			t.Errorf("CI=%q, missing %v: fatal %q, skip %q", c.ci, c.missing, r.fatal, r.skip)
		}
	}
}

func TestEnvOr(t *testing.T) {
	const name = "ROLLCALL_TESTDEPS_ENVOR"
	t.Setenv(name, "")
	if got := EnvOr(name, "/usr/bin/x"); got != "/usr/bin/x" {
		t.Errorf("unset: %q", got)
	}
	t.Setenv(name, "/opt/x")
	if got := EnvOr(name, "/usr/bin/x"); got != "/opt/x" {
		t.Errorf("set: %q", got)
	}
}

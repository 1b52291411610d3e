package postgres

import "testing"

// TestDefaultCommitters: one committer per CPU, two at least, and two connections of the
// pool left for Views and Updates that run alone (see defaultCommitters for the
// figures that chose it: more committers make smaller groups, which cost the server
// more per create).
func TestDefaultCommitters(t *testing.T) {
	for _, c := range []struct{ conns, cpus, want int }{
		{16, 2, 2}, {16, 1, 2}, {16, 8, 8}, {16, 32, 14}, {4, 8, 2}, {3, 2, 1}, {1, 4, 1},
	} {
		if got := defaultCommitters(c.conns, c.cpus); got != c.want {
			t.Errorf("defaultCommitters(%d conns, %d CPUs) = %d, want %d", c.conns, c.cpus, got, c.want)
		}
	}
}

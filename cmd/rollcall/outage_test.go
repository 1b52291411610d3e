package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall/store/postgres/pgtest"
)

// TestPostgresOutageUnderLoad runs rollcall on a PostgreSQL cluster of the test's own and
// crashes it (pg_ctl stop -m immediate), restarts it, shuts it down (-m fast) and
// restarts it again, under a load of Amazon Business creates. Required: every create
// refused meanwhile is 503 (never 500) and not stored; health is 503 while the server
// is down and 200 once it is back; creates succeed again without a restart of rollcall.
func TestPostgresOutageUnderLoad(t *testing.T) {
	c := pgtest.NewCluster(t)
	m := MustRunMain(t, t.TempDir(), "--store", c.DSN, "--rate-limit", "amazonbusiness.createBusinessUserAccount=off")
	load := startCreateLoad(t, m.URL, 4)
	c.Outages(pgtest.Outage{
		Stopping: func(mode string) { load.SetPhase("down (" + mode + ")") },
		Down: func(string) {
			if code, body := healthOf(t, m.URL); code != http.StatusServiceUnavailable || !strings.Contains(body, "unavailable") {
				t.Errorf("health with the database down: %d %s", code, body)
			}
		},
		Up: func(mode string, since time.Time) {
			load.SetPhase("back (" + mode + ")")
			load.WaitOK("restart after stop -m "+mode, since)
			if code, body := healthOf(t, m.URL); code != http.StatusOK {
				t.Errorf("health with the database back: %d %s", code, body)
			}
		},
	})
	load.Stop()
	load.Check(m.Store)
}

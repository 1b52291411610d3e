package web_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/fault"
)

// TestConsoleFaults: the faults page lists each rule with what it matches and how often
// it fired, and which rules are spent.
func TestConsoleFaults(t *testing.T) {
	h := MustHarness(t)
	c := h.MustLogin(t)
	if r := h.get(t, "/_rollcall/console/faults", c); r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "No rules: no faults are injected.") {
		t.Fatalf("faults page without an engine: %d %s", r.StatusCode, r.Body)
	}

	ids := 0
	e := &fault.Engine{Store: h.svc.Store, Catalog: map[string][]string{"chime": {"CreateUser"}}, Now: h.clock,
		NewID: func() string { ids++; return "f-" + strconv.Itoa(ids) }}
	if err := e.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.Close)
	h.face.Faults = e
	ctx := context.Background()
	once := &rollcall.Fault{Face: "chime", Operation: "CreateUser", Action: rollcall.FaultThrottle, Probability: 1, Limited: true, Remaining: 1}
	slow := &rollcall.Fault{Face: "chime", Operation: "*", Action: rollcall.FaultLatency, Latency: 250 * time.Millisecond, Probability: 0.5,
		HeaderName: "X-Chaos", HeaderValue: "slow"}
	for _, f := range []*rollcall.Fault{once, slow} {
		if err := e.Create(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	req := httptest.NewRequest("POST", "/", nil)
	for range 3 {
		e.Inject(req, "chime", "CreateUser", rollcall.Caller{TenantID: rollcall.DevAccountID})
	}

	r := h.get(t, "/_rollcall/console/faults", c)
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, `aria-current="page">Faults</a>`) ||
		!strings.Contains(r.Body, "This replica has injected 1 fault since it started.") || !strings.Contains(r.Body, "2 rules") {
		t.Fatalf("faults page: %d %s", r.StatusCode, r.Body)
	}
	assertSecurityHeaders(t, r)
	rows := regexp.MustCompile(`(?s)<tr>\s*<td><code>(f-[^<]+)</code></td>(.*?)</tr>`).FindAllStringSubmatch(r.Body, -1)
	got := map[string]string{}
	for _, m := range rows {
		got[m[1]] = regexp.MustCompile(`\s+`).ReplaceAllString(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[2], " "), " ")
	}
	if want := " chime CreateUser throttle every call 1 0 never 1 spent "; got[once.ID] != want {
		t.Errorf("the throttle rule's row: %q, want %q", got[once.ID], want)
	}
	if want := " chime * latency 250ms X-Chaos: slow 0.5 — never 0 active "; got[slow.ID] != want {
		t.Errorf("the latency rule's row: %q, want %q", got[slow.ID], want)
	}
}

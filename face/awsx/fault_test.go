package awsx_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/face/awsx"
)

// injector injects in, and notes what it was asked.
type injector struct {
	in    awsx.Injection
	asked string
}

func (i *injector) Inject(r *http.Request, face, op string, c rollcall.Caller) awsx.Injection {
	i.asked = face + "." + op + " " + c.TenantID
	return i.in
}

// TestPipelineFaults: the Injector is asked after the caller is authenticated and
// throttled and before the handler; an error goes through the face's table, a delay
// comes before the handler, a reset keeps the handler from running, and a lost
// response runs it and hangs up.
func TestPipelineFaults(t *testing.T) {
	for _, tc := range []struct {
		name      string
		in        awsx.Injection
		steps     string
		status    int
		clientErr func(error) bool
	}{
		{"none", awsx.Injection{}, "check auth:{} ready:t1 handler", http.StatusCreated, nil},
		{"error", awsx.Injection{Err: rollcall.Errorf(rollcall.Throttled, "Rate exceeded")}, "check auth:{} ready:t1", http.StatusTeapot, nil},
		{"delay", awsx.Injection{Delay: 50 * time.Millisecond}, "check auth:{} ready:t1 handler", http.StatusCreated, nil},
		{"reset", awsx.Injection{Reset: true}, "check auth:{} ready:t1", 0,
			func(err error) bool { return errors.Is(err, syscall.ECONNRESET) }},
		{"lose-response", awsx.Injection{LoseResponse: true}, "check auth:{} ready:t1 handler", 0,
			func(err error) bool { return errors.Is(err, io.EOF) || strings.HasSuffix(err.Error(), ": EOF") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &recorder{}
			inj := &injector{in: tc.in}
			p := rec.pipeline(false, nil)
			p.Faults = inj
			served := make(chan struct{}, 1) // the handler has returned (a client may see a hang-up first)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				defer func() { served <- struct{}{} }()
				p.Serve(w, r, "Op", func(r *http.Request, c rollcall.Caller, body []byte) (awsx.Response, error) {
					rec.steps = append(rec.steps, "handler")
					return awsx.Created(map[string]string{"ok": "yes"}), nil
				})
			}))
			defer srv.Close()
			start := time.Now()
			client := &http.Client{Transport: &http.Transport{}}
			resp, err := client.Post(srv.URL, "application/json", strings.NewReader("{}"))
			if tc.clientErr != nil {
				if err == nil || !tc.clientErr(err) {
					t.Fatalf("client: %v, %v", resp, err)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != tc.status {
					t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
				}
			}
			<-served
			if got := strings.Join(rec.steps, " "); got != tc.steps {
				t.Errorf("steps %q, want %q", got, tc.steps)
			}
			if inj.asked != "test.Op t1" {
				t.Errorf("the injector was asked %q", inj.asked)
			}
			if tc.in.Delay > 0 && time.Since(start) < tc.in.Delay {
				t.Errorf("answered before the delay")
			}
		})
	}
}

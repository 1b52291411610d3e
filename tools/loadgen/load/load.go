// Package load builds and sends the load generator's requests: every face's CreateUser,
// each a distinct user, signed as the official clients sign them, and a bare net/http
// handler for the baseline. tools/loadgen drives a server with it; cmd/rollcall's
// benchmarks drive an in-process one with the same requests.
package load

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/aws/aws-sdk-go/aws/credentials"
	v4 "github.com/aws/aws-sdk-go/aws/signer/v4"
)

// Faces are the faces Gen makes requests for.
var Faces = []string{"chime", "a4b", "business", "workdocs", "bare"}

// Gen makes one face's CreateUser requests, each for a new user.
type Gen struct {
	URL          string // the server's base URL
	Face         string // one of Faces
	ChimeAccount string // the Chime account users are created in (face chime)
	// SignBare signs the bare face's requests as Chime's are signed, so the bare
	// handler's client does the same work as a face's.
	SignBare bool

	signer *v4.Signer
	run    int64
	seq    atomic.Int64
}

// New returns a Gen for face at url, signing with the dev key.
func New(url, face string) *Gen {
	return &Gen{URL: url, Face: face, signer: v4.NewSigner(credentials.NewStaticCredentials("test", "test", "")), run: time.Now().UnixNano()}
}

// Request builds the next CreateUser request.
func (g *Gen) Request() (*http.Request, error) {
	n := g.seq.Add(1)
	email := fmt.Sprintf("user-%d-%d@example.com", g.run, n)
	var method, path, service, target string
	var body []byte
	switch g.Face {
	case "chime":
		method, path, service = "POST", "/accounts/"+g.ChimeAccount+"/users?operation=create", "chime"
		body, _ = json.Marshal(map[string]string{"Email": email, "UserType": "PrivateUser"})
	case "a4b":
		method, path, service, target = "POST", "/", "a4b", "AlexaForBusiness.CreateUser"
		body, _ = json.Marshal(map[string]string{"UserId": fmt.Sprintf("u-%d-%d", g.run, n), "Email": email})
	case "workdocs":
		method, path, service = "POST", "/api/v1/users", "workdocs"
		body, _ = json.Marshal(map[string]string{"OrganizationId": "d-0000000000", "Username": fmt.Sprintf("u-%d-%d", g.run, n),
			"GivenName": "Load", "Surname": "Test", "Password": "load-test-pw-1"})
	case "business":
		method, path = "POST", "/businessAccounts/2021-08-30/businessUserAccount"
		body, _ = json.Marshal(map[string]any{"accountHolder": map[string]string{"email": email, "givenName": "Load", "familyName": "Test"},
			"region": "US", "notificationTypesToSuppress": []string{"EMAIL"}})
	case "bare":
		method, path = "POST", "/bare"
		if g.SignBare {
			service = "chime"
		}
		body, _ = json.Marshal(map[string]string{"Email": email, "UserType": "PrivateUser"})
	default:
		return nil, fmt.Errorf("unknown face %q", g.Face)
	}
	req, err := http.NewRequest(method, g.URL+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	switch {
	case target != "":
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", target)
	case g.Face == "business":
		req.Header.Set("x-amz-access-token", "Atza|rollcall-dev-access-token")
	}
	if service != "" {
		if _, err := g.signer.Sign(req, bytes.NewReader(body), service, "us-east-1", time.Now()); err != nil {
			return nil, err
		}
	}
	return req, nil
}

// CreateChimeAccount creates a Chime account with the dev key and returns its ID.
func (g *Gen) CreateChimeAccount() (string, error) {
	body := []byte(`{"Name":"loadgen"}`)
	req, _ := http.NewRequest("POST", g.URL+"/accounts", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if _, err := g.signer.Sign(req, bytes.NewReader(body), "chime", "us-east-1", time.Now()); err != nil {
		return "", err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct{ Account struct{ AccountId string } }
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || out.Account.AccountId == "" {
		return "", fmt.Errorf("status %d: %v", resp.StatusCode, err)
	}
	return out.Account.AccountId, nil
}

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

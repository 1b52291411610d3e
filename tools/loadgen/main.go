// Command loadgen drives a running rollcall (or a bare net/http handler, for a baseline)
// with many concurrent keep-alive clients and reports throughput and latency.
//
//	loadgen -url http://127.0.0.1:4566 -face chime -c 64 -d 10s
//	loadgen -serve-bare 127.0.0.1:4599            # the baseline server
//	loadgen -url http://127.0.0.1:4599 -face bare -c 64 -d 10s
//	loadgen -wait http://127.0.0.1:4566/_rollcall/health -since 1700000000123456789
//	loadgen -gen-users 1000000 -out users.jsonl   # an import file for `rollcall import --merge`
//
// Every request is a distinct CreateUser (a unique email or user ID), signed with the
// official aws-sdk-go v1 signer where the face needs SigV4, so the server does its full
// work: verify, validate, commit durably, answer.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go/aws/credentials"
	v4 "github.com/aws/aws-sdk-go/aws/signer/v4"
)

func main() {
	url := flag.String("url", "http://127.0.0.1:4566", "server base URL")
	face := flag.String("face", "chime", "chime | a4b | business | workdocs | bare")
	conc := flag.Int("c", 64, "concurrent clients (one keep-alive connection each)")
	dur := flag.Duration("d", 10*time.Second, "how long to run (bounded)")
	account := flag.String("chime-account", "", "Chime account ID (created when empty)")
	bare := flag.String("serve-bare", "", "serve the bare baseline handler on this address instead")
	wait := flag.String("wait", "", "poll this URL until it answers 200, then print the milliseconds since -since")
	since := flag.Int64("since", 0, "with -wait: the start, in Unix nanoseconds (date +%s%N)")
	genUsers := flag.Int("gen-users", 0, "write an import file with this many users instead (see gen.go)")
	out := flag.String("out", "", "with -gen-users: the file to write")
	flag.Parse()
	switch {
	case *wait != "":
		if err := waitReady(*wait, *since); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		return
	case *genUsers > 0:
		if err := genImport(*out, *genUsers); err != nil {
			fmt.Fprintln(os.Stderr, "loadgen:", err)
			os.Exit(1)
		}
		return
	}
	if *bare != "" {
		fmt.Fprintln(os.Stderr, http.ListenAndServe(*bare, bareHandler()))
		os.Exit(1)
	}
	if *dur > 5*time.Minute {
		*dur = 5 * time.Minute
	}
	g := &gen{url: *url, face: *face, signer: v4.NewSigner(credentials.NewStaticCredentials("test", "test", "")), run: time.Now().UnixNano()}
	if g.face == "chime" {
		g.chimeAccount = *account
		if g.chimeAccount == "" {
			id, err := g.createChimeAccount()
			if err != nil {
				fmt.Fprintln(os.Stderr, "loadgen: create chime account:", err)
				os.Exit(1)
			}
			g.chimeAccount = id
		}
	}
	res := g.load(*conc, *dur)
	fmt.Println(res)
}

type gen struct {
	url, face, chimeAccount string
	signer                  *v4.Signer
	run                     int64
	seq                     atomic.Int64
}

// request builds the next CreateUser request for the face.
func (g *gen) request() (*http.Request, error) {
	n := g.seq.Add(1)
	email := fmt.Sprintf("user-%d-%d@example.com", g.run, n)
	var method, path, service, target string
	var body []byte
	switch g.face {
	case "chime":
		method, path, service = "POST", "/accounts/"+g.chimeAccount+"/users?operation=create", "chime"
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
		body, _ = json.Marshal(map[string]string{"Email": email, "UserType": "PrivateUser"})
	default:
		return nil, fmt.Errorf("unknown face %q", g.face)
	}
	req, err := http.NewRequest(method, g.url+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	switch {
	case target != "":
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", target)
	case g.face == "business":
		req.Header.Set("x-amz-access-token", "Atza|rollcall-dev-access-token")
	}
	if service != "" {
		if _, err := g.signer.Sign(req, bytes.NewReader(body), service, "us-east-1", time.Now()); err != nil {
			return nil, err
		}
	}
	return req, nil
}

func (g *gen) createChimeAccount() (string, error) {
	body := []byte(`{"Name":"loadgen"}`)
	req, _ := http.NewRequest("POST", g.url+"/accounts", bytes.NewReader(body))
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

type result struct {
	face                string
	ok, failed          int
	statuses            map[int]int
	elapsed             time.Duration
	p50, p90, p99, pmax time.Duration
	cpu                 float64 // the load generator's CPU time over the machine's (elapsed x cores)
}

func (r result) String() string {
	return fmt.Sprintf("face=%s ok=%d failed=%d statuses=%v elapsed=%s rate=%.0f/s p50=%s p90=%s p99=%s max=%s loadgen_cpu=%.0f%%",
		r.face, r.ok, r.failed, r.statuses, r.elapsed.Round(time.Millisecond), float64(r.ok)/r.elapsed.Seconds(), r.p50, r.p90, r.p99, r.pmax, 100*r.cpu)
}

func (g *gen) load(conc int, dur time.Duration) result {
	tr := &http.Transport{MaxIdleConnsPerHost: conc, MaxConnsPerHost: conc, DisableCompression: true}
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), dur)
	defer cancel()
	var mu sync.Mutex
	res := result{face: g.face, statuses: map[int]int{}}
	var lat []time.Duration
	var wg sync.WaitGroup
	cpu0 := cpuTime()
	start := time.Now()
	for range conc {
		wg.Go(func() {
			var mine []time.Duration
			statuses := map[int]int{}
			for ctx.Err() == nil {
				req, err := g.request()
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
				res.statuses[s] += n
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	res.cpu = (cpuTime() - cpu0).Seconds() / (res.elapsed.Seconds() * float64(runtime.NumCPU()))
	for s, n := range res.statuses {
		if s >= 200 && s < 300 {
			res.ok += n
		} else {
			res.failed += n
		}
	}
	slices.Sort(lat)
	if len(lat) > 0 {
		q := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
		res.p50, res.p90, res.p99, res.pmax = q(0.5), q(0.9), q(0.99), lat[len(lat)-1]
	}
	return res
}

// bareHandler is the baseline: it reads and decodes the same JSON body and answers 201
// with a small JSON document, and does nothing else.
func bareHandler() http.Handler {
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

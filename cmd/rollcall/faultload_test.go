package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall"
)

// createLoad is clients creating Amazon Business users as fast as they are answered,
// counting the answers by phase (a fault, the recovery) and status.
type createLoad struct {
	tb       testing.TB
	mu       sync.Mutex
	phase    string
	statuses map[string]int // "phase status" -> count
	acked    map[string]bool
	refused  map[string]int // email -> status
	seq      atomic.Int64
	lastOK   atomic.Int64 // UnixNano of the latest 201
	stop     chan struct{}
	wg       sync.WaitGroup
	once     sync.Once
}

// startCreateLoad starts n clients on url; they stop when tb ends, or at Stop.
func startCreateLoad(tb testing.TB, url string, n int) *createLoad {
	l := &createLoad{tb: tb, phase: "before", statuses: map[string]int{}, acked: map[string]bool{},
		refused: map[string]int{}, stop: make(chan struct{})}
	client := &http.Client{Timeout: time.Minute}
	for range n {
		l.wg.Go(func() {
			for {
				select {
				case <-l.stop:
					return
				default:
				}
				email := fmt.Sprintf("user%07d@example.com", l.seq.Add(1))
				code, body, err := businessCreateBody(client, url, email)
				l.mu.Lock()
				switch {
				case err != nil:
					l.statuses[l.phase+" "+"no answer"]++
					l.refused[email] = 0
				case code == http.StatusCreated:
					l.statuses[fmt.Sprintf("%s %d", l.phase, code)]++
					l.acked[email] = true
					l.lastOK.Store(time.Now().UnixNano())
				default:
					l.statuses[fmt.Sprintf("%s %d", l.phase, code)]++
					l.refused[email] = code
					if code != http.StatusServiceUnavailable {
						tb.Errorf("create %s: %d %s", email, code, body)
					}
				}
				l.mu.Unlock()
				if code != http.StatusCreated {
					time.Sleep(5 * time.Millisecond)
				}
			}
		})
	}
	tb.Cleanup(l.Stop)
	return l
}

func (l *createLoad) SetPhase(p string) {
	l.mu.Lock()
	l.phase = p
	l.mu.Unlock()
}

// Refusals is how many creates were not acknowledged so far.
func (l *createLoad) Refusals() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.refused)
}

// Count is how many answers of one phase and status came so far ("freed 201").
func (l *createLoad) Count(phaseStatus string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.statuses[phaseStatus]
}

// WaitOK waits for a create acknowledged after since, and says how long after since.
func (l *createLoad) WaitOK(what string, since time.Time) time.Duration {
	l.tb.Helper()
	deadline := time.Now().Add(time.Minute)
	for time.Unix(0, l.lastOK.Load()).Before(since) {
		if time.Now().After(deadline) {
			l.tb.Fatalf("%s: no create succeeded within a minute", what)
		}
		time.Sleep(time.Millisecond)
	}
	d := time.Unix(0, l.lastOK.Load()).Sub(since).Round(time.Millisecond)
	l.tb.Logf("%s: the first create succeeded %v after", what, d)
	return d
}

// Stop stops the clients and logs the answers by phase and status.
func (l *createLoad) Stop() {
	l.once.Do(func() {
		close(l.stop)
		l.wg.Wait()
		for k, n := range l.statuses {
			l.tb.Logf("creates %-24s %d", k, n)
		}
	})
}

// Check reads the business's users from st: every acknowledged create must be there and
// none refused with 503 (a create with no answer may be either).
func (l *createLoad) Check(st rollcall.Store) {
	l.tb.Helper()
	err := st.View(context.Background(), func(tx rollcall.Tx) error {
		users, err := tx.Users(rollcall.UserQuery{DirectoryID: rollcall.DevBusinessID})
		stored := map[string]bool{}
		for _, u := range users {
			stored[u.Email] = true
		}
		for e := range l.acked {
			if !stored[e] {
				l.tb.Errorf("acknowledged create %s lost", e)
			}
		}
		n503 := 0
		for e, code := range l.refused {
			if code == http.StatusServiceUnavailable {
				n503++
				if stored[e] {
					l.tb.Errorf("create %s was answered 503, yet it is stored", e)
				}
			}
		}
		l.tb.Logf("%d creates acknowledged, all there; %d refused with 503, none stored", len(l.acked), n503)
		return err
	})
	if err != nil {
		l.tb.Fatal(err)
	}
}

// businessCreateBody creates an Amazon Business user with the dev access token.
func businessCreateBody(client *http.Client, url, email string) (int, string, error) {
	resp, err := client.Do(businessCreateRequest(url, rollcall.DevAccessToken, holderBody(email)))
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), nil
}

// healthOf is GET /_rollcall/health.
func healthOf(tb testing.TB, url string) (int, string) {
	tb.Helper()
	resp, err := http.Get(url + "/_rollcall/health")
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(b))
}

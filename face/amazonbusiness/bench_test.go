package amazonbusiness_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall/face/amazonbusiness"
)

// BenchmarkCreateBusinessUserAccount measures parallel creates through the whole face
// (token lookup, strict decoding, validation, a durable SQLite commit with the user and
// its invitation) against a bare net/http handler doing the same JSON round trip, so the
// two creates/s figures give the face's cost as a ratio.
func BenchmarkCreateBusinessUserAccount(b *testing.B) {
	b.Run("rollcall", func(b *testing.B) {
		h := MustHarness(b)
		benchCreates(b, h.srv.URL+amazonbusiness.CreatePath)
	})
	b.Run("bare-net-http", func(b *testing.B) {
		srv := httptest.NewServer(http.HandlerFunc(bareCreate))
		b.Cleanup(srv.Close)
		benchCreates(b, srv.URL+amazonbusiness.CreatePath)
	})
}

// bareCreate is the floor: decode the same request, answer 201 {}.
func bareCreate(w http.ResponseWriter, r *http.Request) {
	var req struct {
		AccountHolder struct {
			Email, GivenName, FamilyName string
		} `json:"accountHolder"`
		Region string `json:"region"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil || req.AccountHolder.Email == "" {
		http.Error(w, `{"errors":[{"code":"INVALID_REQUEST_PARAMETER","message":"bad"}]}`, http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("x-amzn-RateLimit-Limit", "1.0")
	w.WriteHeader(http.StatusCreated)
	w.Write([]byte("{}"))
}

var benchRun atomic.Int64

func benchCreates(b *testing.B, url string) {
	run := benchRun.Add(1)
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512}}
	b.Cleanup(client.CloseIdleConnections)
	var seq atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			email := fmt.Sprintf("bench%d-%d@example.com", run, seq.Add(1))
			body := validRequest(email).String()
			req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader([]byte(body)))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("x-amz-access-token", devToken)
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusCreated {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "creates/s")
}

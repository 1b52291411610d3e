package chime_test

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

	"github.com/aws/aws-sdk-go/aws/credentials"
	v4 "github.com/aws/aws-sdk-go/aws/signer/v4"
)

// BenchmarkCreateUser: signed CreateUser requests from 64 keep-alive clients through the
// whole face (verify, validate, durable group commit), next to a bare net/http handler
// doing the same JSON round trip, in one run: compare the two creates/s figures.
func BenchmarkCreateUser(b *testing.B) {
	h := MustHarness(b)
	account := h.MustAccount(b)
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"User": in})
	}))
	defer bare.Close()
	for _, target := range []struct{ name, url string }{{"rollcall", h.srv.URL}, {"bare-net-http", bare.URL}} {
		b.Run(target.name, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
			signer := v4.NewSigner(credentials.NewStaticCredentials("test", "test", ""))
			var seq atomic.Int64
			b.SetParallelism(32)
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					body := []byte(fmt.Sprintf(`{"Email":"u%d-%d@example.com"}`, start.UnixNano(), seq.Add(1)))
					req, _ := http.NewRequest("POST", target.url+"/accounts/"+account+"/users?operation=create", bytes.NewReader(body))
					req.Header.Set("Content-Type", "application/json")
					signer.Sign(req, bytes.NewReader(body), "chime", "us-east-1", time.Now())
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
		})
	}
}

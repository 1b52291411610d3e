package facetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws/credentials"
	v4 "github.com/aws/aws-sdk-go/aws/signer/v4"
)

// MustServeBare serves a plain handler (no request log, no router), the floor a face's
// benchmark compares itself with.
func MustServeBare(tb testing.TB, h http.HandlerFunc) *Server {
	tb.Helper()
	s := &Server{Server: httptest.NewServer(h)}
	tb.Cleanup(s.Close)
	return s
}

// BareJSON is the handler MustServeBare serves for a face's benchmark: it decodes the
// body into a Req and answers reply(req) as JSON with header and status, doing no auth,
// checks or storage. A body that does not decode, or that reply refuses (nil), gets a
// 400 with bad as its body.
func BareJSON[Req any](status int, header http.Header, bad string, reply func(*Req) any) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var req Req
		var v any
		body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err := json.Unmarshal(body, &req); err == nil {
			v = reply(&req)
		}
		maps.Copy(w.Header(), header)
		if v == nil {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, bad)
			return
		}
		b, _ := json.Marshal(v)
		w.WriteHeader(status)
		w.Write(b)
	}
}

// BenchCreates runs create in parallel b.N times, each with its own sequence number
// (from 1), and reports creates/s. parallelism multiplies GOMAXPROCS (0: 1).
func BenchCreates(b *testing.B, parallelism int, create func(seq int64) error) {
	var n atomic.Int64
	if parallelism > 0 {
		b.SetParallelism(parallelism)
	}
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if err := create(n.Add(1)); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "creates/s")
}

// BenchChimeCreateUser runs BenchCreates with signed Chime CreateUser requests (SDK v1
// signer, the dev key) of fresh emails for account, sent to url from 32×GOMAXPROCS
// keep-alive clients, each wanting a 201.
func BenchChimeCreateUser(b *testing.B, url, account string) {
	BenchCreates(b, 32, ChimeCreateUser(url, account))
}

// ChimeCreateUser returns what BenchChimeCreateUser runs: create(seq) sends one signed
// Chime CreateUser of a fresh email for account to url, on keep-alive connections, and
// wants a 201.
func ChimeCreateUser(url, account string) (create func(seq int64) error) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
	signer := v4.NewSigner(credentials.NewStaticCredentials("test", "test", ""))
	start := time.Now().UnixNano()
	return func(seq int64) error {
		body := []byte(fmt.Sprintf(`{"Email":"u%d-%d@example.com"}`, start, seq))
		req, _ := http.NewRequest("POST", url+"/accounts/"+account+"/users?operation=create", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		signer.Sign(req, bytes.NewReader(body), "chime", "us-east-1", time.Now())
		return Expect(client, req, http.StatusCreated)
	}
}

// Expect sends req with client and wants status; the body is read and dropped.
func Expect(client *http.Client, req *http.Request, status int) error {
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != status {
		return fmt.Errorf("%s %s: status %d, want %d", req.Method, req.URL.Path, resp.StatusCode, status)
	}
	return nil
}

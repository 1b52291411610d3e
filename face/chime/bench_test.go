package chime_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws/credentials"
	v4 "github.com/aws/aws-sdk-go/aws/signer/v4"

	"github.com/rollcall/rollcall/face/facetest"
)

// BenchmarkCreateUser: signed CreateUser requests from 64 keep-alive clients through the
// whole face (verify, validate, durable group commit), next to a bare net/http handler
// doing the same JSON round trip, in one run: compare the two creates/s figures.
func BenchmarkCreateUser(b *testing.B) {
	h := MustHarness(b)
	account := h.MustAccount(b)
	bare := facetest.MustServeBare(b, func(w http.ResponseWriter, r *http.Request) {
		var in map[string]any
		json.NewDecoder(r.Body).Decode(&in)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusCreated)
		json.NewEncoder(w).Encode(map[string]any{"User": in})
	})
	for _, target := range []struct{ name, url string }{{"rollcall", h.srv.URL}, {"bare-net-http", bare.URL}} {
		b.Run(target.name, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 128}}
			signer := v4.NewSigner(credentials.NewStaticCredentials("test", "test", ""))
			start := time.Now().UnixNano()
			facetest.BenchCreates(b, 32, func(seq int64) error {
				body := []byte(fmt.Sprintf(`{"Email":"u%d-%d@example.com"}`, start, seq))
				req, _ := http.NewRequest("POST", target.url+"/accounts/"+account+"/users?operation=create", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				signer.Sign(req, bytes.NewReader(body), "chime", "us-east-1", time.Now())
				return facetest.Expect(client, req, http.StatusCreated)
			})
		})
	}
}

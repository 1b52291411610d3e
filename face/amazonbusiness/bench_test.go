package amazonbusiness_test

import (
	"bytes"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/rollcall/rollcall/face/amazonbusiness"
	"github.com/rollcall/rollcall/face/facetest"
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
		benchCreates(b, facetest.MustServeBare(b, bareCreate).URL+amazonbusiness.CreatePath)
	})
}

// bareCreate is the floor: decode the same request, answer 201 {}.
var bareCreate = facetest.BareJSON(http.StatusCreated,
	http.Header{"Content-Type": {"application/json"}, "X-Amzn-Ratelimit-Limit": {"1.0"}},
	`{"errors":[{"code":"INVALID_REQUEST_PARAMETER","message":"bad"}]}`,
	func(req *struct {
		AccountHolder struct {
			Email, GivenName, FamilyName string
		} `json:"accountHolder"`
		Region string `json:"region"`
	}) any {
		if req.AccountHolder.Email == "" {
			return nil
		}
		return struct{}{}
	})

var benchRun atomic.Int64

func benchCreates(b *testing.B, url string) {
	run := benchRun.Add(1)
	client := &http.Client{Transport: &http.Transport{MaxIdleConns: 512, MaxIdleConnsPerHost: 512}}
	b.Cleanup(client.CloseIdleConnections)
	facetest.BenchCreates(b, 8, func(seq int64) error {
		body := validRequest(fmt.Sprintf("bench%d-%d@example.com", run, seq)).String()
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("x-amz-access-token", devToken)
		return facetest.Expect(client, req, http.StatusCreated)
	})
}

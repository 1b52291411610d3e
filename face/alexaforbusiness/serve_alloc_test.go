//go:build !race

package alexaforbusiness_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go/aws/credentials"
	v4 "github.com/aws/aws-sdk-go/aws/signer/v4"

	"github.com/rollcall/rollcall"
	"github.com/rollcall/rollcall/httpx"
)

// TestServeCreateUserAllocs: a CreateUser served by the face, signed and stored, allocates
// a bounded number of times. Its answer is the body it declared for the audit trail,
// encoded once into the declarer's buffer (awsx.Encoded): the answer's value and its
// 1 KB output buffer were allocations of their own (and, with the trail, the
// declaration's bytes another, encoded twice).
func TestServeCreateUserAllocs(t *testing.T) {
	h := MustHarness(t)
	const runs = 100
	reqs := make([]*http.Request, runs+1) // AllocsPerRun runs once more, first
	bodies := make([]*bytes.Reader, len(reqs))
	signer := v4.NewSigner(credentials.NewStaticCredentials(rollcall.DevAccessKeyID, rollcall.DevSecretKey, ""))
	for i := range reqs {
		id := "serve-allocs-" + strconv.Itoa(i)
		body := []byte(`{"UserId":"` + id + `","Email":"` + id + `@example.com","ClientRequestToken":"token-` + id + `"}`)
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		r.Header.Set("X-Amz-Target", "AlexaForBusiness.CreateUser")
		r.Header.Set("Content-Type", httpx.AWSJSONContentType)
		if _, err := signer.Sign(r, bytes.NewReader(body), "a4b", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		bodies[i] = bytes.NewReader(body)
		r.Body, r.ContentLength = io.NopCloser(bodies[i]), int64(len(body))
		reqs[i] = r
	}
	w := &reusedWriter{header: http.Header{}}
	n := 0
	allocs := testing.AllocsPerRun(runs, func() {
		clear(w.header)
		w.body.Reset()
		w.status = 0
		h.face.ServeHTTP(w, reqs[n])
		if w.status != http.StatusOK {
			t.Fatalf("status %d: %s", w.status, w.body.Bytes())
		}
		n++
	})
	t.Logf("%v allocations per create", allocs)
	const maxServeCreateAllocs = 47 // 48 before
	if allocs > maxServeCreateAllocs {
		t.Errorf("%v allocations per create, want at most %d", allocs, maxServeCreateAllocs)
	}
}

// reusedWriter is a ResponseWriter used again for every request, so that the test counts
// the face's allocations only.
type reusedWriter struct {
	header http.Header
	body   bytes.Buffer
	status int
}

func (w *reusedWriter) Header() http.Header { return w.header }
func (w *reusedWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}
func (w *reusedWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.body.Write(b)
}

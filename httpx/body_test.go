package httpx_test

import (
	"bytes"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/rollcall/rollcall/httpx"
)

// TestReadBody: ReadBody reads what io.ReadAll of the body limited to limit+1 bytes
// reads, whether the length is declared (rightly or not) or not, and refuses more than
// limit bytes; one known length is one allocation.
func TestReadBody(t *testing.T) {
	const limit = 100
	for _, n := range []int{0, 1, 99, 100, 101, 600} {
		body := strings.Repeat("x", n)
		for _, declared := range []int64{int64(n), -1, int64(n) + 5, int64(max(n-5, 0))} {
			for name, wrap := range map[string]func(io.Reader) io.Reader{"whole": nil, "one byte at a time": iotest.OneByteReader, "data with EOF": iotest.DataErrReader} {
				r := httptest.NewRequest("POST", "/", strings.NewReader(body))
				if wrap != nil {
					r.Body = io.NopCloser(wrap(strings.NewReader(body)))
				}
				r.ContentLength = declared
				got, err := httpx.ReadBody(r, limit)
				want, wantErr := []byte(body), error(nil)
				if n > limit || declared > limit {
					want, wantErr = nil, httpx.ErrTooLarge
				}
				if !bytes.Equal(got, want) || !errors.Is(err, wantErr) {
					t.Errorf("%d bytes, declared %d, %s: got %d bytes, %v; want %d bytes, %v", n, declared, name, len(got), err, len(want), wantErr)
				}
			}
		}
	}
	failing := httptest.NewRequest("POST", "/", nil)
	failing.Body, failing.ContentLength = io.NopCloser(io.MultiReader(strings.NewReader("ab"), iotest.ErrReader(io.ErrUnexpectedEOF))), 10
	if _, err := httpx.ReadBody(failing, limit); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("a broken body: %v, want %v", err, io.ErrUnexpectedEOF)
	}
}

// TestReadBodyAllocations: a body of a declared length is read into one buffer.
func TestReadBodyAllocations(t *testing.T) {
	body := strings.Repeat("x", 700)
	r := httptest.NewRequest("POST", "/", nil)
	rd := strings.NewReader(body)
	r.Body, r.ContentLength = io.NopCloser(rd), int64(len(body))
	n := testing.AllocsPerRun(100, func() {
		rd.Reset(body)
		if _, err := httpx.ReadBody(r, httpx.MaxBodyBytes); err != nil {
			t.Fatal(err)
		}
	})
	if n != 1 {
		t.Errorf("ReadBody allocates %v times for a body of a known length, want 1", n)
	}
}

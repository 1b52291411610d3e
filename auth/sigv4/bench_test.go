package sigv4_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// benchRequest is a Chime CreateUser with a 100-byte body, signed as the Chime client of
// aws-sdk-go-v2 signs it, as a server receives it.
func benchRequest(b testing.TB, now time.Time) (*http.Request, []byte) {
	body := []byte(`{"Email":"ada.lovelace@example.com","UserType":"PrivateUser","Username":"ada.lovelace.example-1234"}`)
	if len(body) != 100 {
		b.Fatalf("body is %d bytes", len(body))
	}
	r := httptest.NewRequest("POST", createUserURL, bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("User-Agent", "aws-sdk-go-v2/1.47.7 os/linux lang/go#1.26 md/GOOS#linux md/GOARCH#amd64 api/chime#1.42.0")
	r.Header.Set("Amz-Sdk-Invocation-Id", "2f9a3c1d-7b21-4f4c-9f0e-3f1c5e9a6a9e")
	r.Header.Set("Amz-Sdk-Request", "attempt=1; max=3")
	sum := sha256.Sum256(body)
	signing{testKey, testSecret, "", "chime", chimeRegion, now}.v2Sign(b, r, hex.EncodeToString(sum[:]))
	r.RequestURI = r.URL.RequestURI()
	r.Header.Set("Content-Length", strconv.Itoa(len(body))) // as net/http's server keeps it
	return r, body
}

// BenchmarkVerify: a typical signed request, with the signing key cached.
func BenchmarkVerify(b *testing.B) { benchVerify(b, false) }

// BenchmarkVerifyColdKey: the same, deriving the signing key each time (a new verifier,
// whose cache is empty).
func BenchmarkVerifyColdKey(b *testing.B) { benchVerify(b, true) }

// benchVerify times Verify of benchRequest: by one verifier, which caches the signing
// key, or, cold, by a new verifier for each request.
func benchVerify(b *testing.B, cold bool) {
	now := time.Now().UTC()
	r, body := benchRequest(b, now)
	v := testVerifier(now)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if cold {
			v = testVerifier(now)
		}
		if _, err := v.Verify(ctx, r, body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyParallel: the warm path from all CPUs, sharing one key cache.
func BenchmarkVerifyParallel(b *testing.B) {
	now := time.Now().UTC()
	r, body := benchRequest(b, now)
	v := testVerifier(now)
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := v.Verify(ctx, r, body); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

package frontdoor

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// scanRequest is a signed-size request: 1 KiB of headers and a 100-byte body.
var scanRequest = []byte("POST /accounts/a/users?operation=create HTTP/1.1\r\nHost: 127.0.0.1:4566\r\nUser-Agent: aws-sdk-go/1.51.32\r\n" +
	"Content-Length: 100\r\nAuthorization: AWS4-HMAC-SHA256 Credential=test/20261130/us-east-1/chime/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=" +
	strings.Repeat("0", 64) + "\r\nContent-Type: application/json\r\nX-Amz-Date: 20261130T200000Z\r\nX-Pad: " + strings.Repeat("h", 700) + "\r\n\r\n" + strings.Repeat("b", 100))

// BenchmarkScan: following one request's framing, read whole.
func BenchmarkScan(b *testing.B) {
	var f framing
	b.SetBytes(int64(len(scanRequest)))
	for b.Loop() {
		if f.scan(scanRequest) >= 0 || f != (framing{}) {
			b.Fatal("the request is not followed to its end")
		}
	}
}

// TestScanSplits: a stream is followed the same whichever reads it comes in: the same
// refusal at the same byte, the same state after it. The streams mix the framings
// TestFramingFollowed serves, the refused one, lines longer than a line buffer, bare
// '\n' line ends and a broken chunk.
func TestScanSplits(t *testing.T) {
	parts := []string{
		"POST /chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nwiki\r\n5\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\n",
		"POST /length HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello",
		"GET /plain HTTP/1.1\nHost: a\n\n",
		"GET /long HTTP/1.1\r\nX-Long: " + strings.Repeat("l", 300) + "\r\nContent-Length: 3\r\n\r\nabc",
		"POST /lengths HTTP/1.1\r\nContent-Length: 2\r\ncontent-length: 2 \r\n\r\nab",
		"POST /old HTTP/1.0\r\nTransfer-Encoding: chunked\r\nContent-Length: 1\r\n\r\nx",
		"POST /bad-chunk HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
		"POST /smuggle HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nG",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		var stream []byte
		for range 1 + rng.IntN(4) {
			stream = append(stream, parts[rng.IntN(len(parts))]...)
		}
		var whole framing
		wantAt := whole.scan(stream)
		var split framing
		gotAt := -1
		for off := 0; off < len(stream); {
			n := min(1+rng.IntN(40), len(stream)-off)
			if i := split.scan(stream[off : off+n]); i >= 0 {
				gotAt = off + i
				break
			}
			off += n
		}
		if gotAt != wantAt || (wantAt < 0 && split != whole) {
			t.Fatalf("%q: refused at %d read in pieces, at %d read whole (states %+v, %+v)", stream, gotAt, wantAt, split, whole)
		}
	}
}

package load_test

import (
	"testing"

	"github.com/rollcall/rollcall/tools/loadgen/load"
)

// BenchmarkRequest: the load generator's cost of building one create request of each face
// (Chime's and A4B's SigV4-signed by aws-sdk-go's signer, Amazon Business's not), which
// cmd/rollcall's BenchmarkServeCreate counts with the server's under callgrind.
func BenchmarkRequest(b *testing.B) {
	for _, face := range []string{"chime", "a4b", "business", "bare"} {
		b.Run(face, func(b *testing.B) {
			g := load.New("http://127.0.0.1:1", face)
			g.ChimeAccount, g.SignBare = "00000000-0000-0000-0000-000000000000", true
			b.ReportAllocs()
			for b.Loop() {
				if _, err := g.Request(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

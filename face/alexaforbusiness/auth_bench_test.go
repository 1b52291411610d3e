package alexaforbusiness_test

import "testing"

// BenchmarkCreateUserAuthCost measures what SigV4 verification costs CreateUser's
// throughput: the same signed requests, once through the real verifier and once through
// an authenticator that accepts every request as the dev account, in one run. The
// difference of the two creates/s figures is the verifier's share. 64 clients keep the
// group commit full, so the figure is CPU-bound rather than fsync-bound.
func BenchmarkCreateUserAuthCost(b *testing.B) {
	b.Run("verified", func(b *testing.B) {
		h := MustHarness(b)
		b.SetParallelism(32)
		benchCreate(b, h.MustClient(b, "", ""))
	})
	b.Run("unverified", func(b *testing.B) {
		h := MustHarness(b, func(o *harnessOptions) { o.auth = stubAuth{} })
		b.SetParallelism(32)
		benchCreate(b, h.MustClient(b, "", ""))
	})
}

// The race detector allocates on its own, so these counts hold only without it.

//go:build !race

package sigv4_test

import (
	"context"
	"testing"
	"time"
)

// TestVerifyWarmDoesNotAllocate: verifying a request signed in the Authorization header,
// as the SDKs sign every call, allocates nothing once the signing key is cached (the
// Lookup here allocates nothing either), with and without headers that must be signed.
func TestVerifyWarmDoesNotAllocate(t *testing.T) {
	now := time.Now().UTC()
	r, body := benchRequest(t, now)
	for _, mustSign := range [][]string{nil, {"x-amz-target", "content-type"}} {
		v := testVerifier(now)
		v.MustSign = mustSign
		v.Regions = []string{"eu-west-1", chimeRegion}
		ctx := context.Background()
		if _, err := v.Verify(ctx, r, body); err != nil {
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := v.Verify(ctx, r, body); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("MustSign %q: Verify allocates %v times per request, want 0", mustSign, allocs)
		}
	}
}

package sigv4_test

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/auth/sigv4"
)

// validRegionSplit is ValidRegion as it was written before it stopped allocating: the
// oracle that the single-pass version must agree with.
func validRegionSplit(name string) bool {
	parts := strings.Split(name, "-")
	if len(name) > 32 || len(parts) < 3 || len(parts) > 5 || len(parts[0]) < 2 || len(parts[0]) > 4 {
		return false
	}
	last := parts[len(parts)-1]
	if len(last) > 2 || !isDigitsOracle(last) {
		return false
	}
	for _, p := range parts[:len(parts)-1] {
		if p == "" || strings.ContainsFunc(p, func(r rune) bool { return r < 'a' || r > 'z' }) {
			return false
		}
	}
	return true
}

func isDigitsOracle(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

var regionSeeds = []string{
	"us-east-1", "us-gov-west-1", "us-isob-east-1", "eusc-de-east-1", "cn-north-1", "ap-southeast-12",
	"", "-", "--", "us", "us-east", "us-east-", "-us-east-1", "us--east-1", "u-east-1", "usabc-east-1",
	"us-east-123", "us-east-1a", "US-east-1", "us-East-1", "us-east-one", "a-b-c-d-e-1", "ab-b-c-d-1",
	"ab-b-c-d-e-1", "us-ea\u00dft-1", "us-east-\u0661", "us-east-1\x00", "us-east-01", "us-east-00",
	"abcd-abcdefghijklmnop-abcdefg-1", "abcd-abcdefghijklmnop-abcdefgh-1", "abcd-abcdefghijklmnopq-abcdefgh-12",
}

// TestValidRegionAgreesWithSplit: on the seeds and on random strings over the region
// alphabet and a few bytes outside it, both versions give the same answer.
func TestValidRegionAgreesWithSplit(t *testing.T) {
	for _, s := range regionSeeds {
		if got, want := sigv4.ValidRegion(s), validRegionSplit(s); got != want {
			t.Errorf("ValidRegion(%q) = %v, want %v", s, got, want)
		}
	}
	const alphabet = "abcdefghijklmnopqrstuvwxyz-0123456789-A-Z_\xc3\x9f"
	rng := rand.New(rand.NewPCG(3, 4))
	accepted := 0
	for range 200000 {
		b := make([]byte, rng.IntN(36))
		for i := range b {
			if rng.IntN(3) == 0 {
				b[i] = '-'
			} else if rng.IntN(4) == 0 {
				b[i] = '0' + byte(rng.IntN(10))
			} else {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			}
		}
		s := string(b)
		got, want := sigv4.ValidRegion(s), validRegionSplit(s)
		if got != want {
			t.Fatalf("ValidRegion(%q) = %v, want %v", s, got, want)
		}
		if got {
			accepted++
		}
	}
	if accepted == 0 {
		t.Fatal("no random string was a valid region: the corpus tests only rejections")
	}
}

// FuzzValidRegion: the same on the fuzzer's strings.
func FuzzValidRegion(f *testing.F) {
	for _, s := range regionSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := sigv4.ValidRegion(s), validRegionSplit(s); got != want {
			t.Fatalf("ValidRegion(%q) = %v, want %v", s, got, want)
		}
	})
}

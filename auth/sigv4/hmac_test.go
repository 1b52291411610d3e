package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"testing"
)

// TestHMACMatchesCryptoHMAC: the allocation-free HMAC gives crypto/hmac's result for
// keys shorter than, as long as and longer than a block, and messages of every length
// around the stack buffer's size.
func TestHMACMatchesCryptoHMAC(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, keyLen := range []int{0, 1, 32, 63, 64, 65, 100, 200} {
		for msgLen := 0; msgLen < 400; msgLen += 1 + rng.IntN(7) {
			key := make([]byte, keyLen)
			msg := make([]byte, msgLen)
			for i := range key {
				key[i] = byte(rng.Uint32())
			}
			for i := range msg {
				msg[i] = byte(rng.Uint32())
			}
			m := hmac.New(sha256.New, key)
			m.Write(msg)
			want := m.Sum(nil)
			got := hmacSHA256(key, msg)
			gotString := hmacSHA256(key, string(msg))
			if !hmac.Equal(got[:], want) || !hmac.Equal(gotString[:], want) {
				t.Fatalf("key %d bytes, message %d bytes: got %x (string %x), want %x", keyLen, msgLen, got, gotString, want)
			}
		}
	}
}

// FuzzHMAC: the same on the fuzzer's keys and messages.
func FuzzHMAC(f *testing.F) {
	f.Add([]byte("AWS4wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), []byte("20150830"))
	f.Add(make([]byte, 65), make([]byte, 300))
	f.Fuzz(func(t *testing.T, key, msg []byte) {
		m := hmac.New(sha256.New, key)
		m.Write(msg)
		if got := hmacSHA256(key, msg); !hmac.Equal(got[:], m.Sum(nil)) {
			t.Fatalf("hmacSHA256(%x, %x) = %x, want %x", key, msg, got, m.Sum(nil))
		}
	})
}

// TestHexOfIsEqualFold: comparing X-Amz-Content-Sha256 with the body's hash by decoding
// it gives strings.EqualFold's verdict with the lower-case hex, for hashes in either
// case and with one character changed (to another digit, a letter past f, or a rune that
// folds to an ASCII letter).
func TestHexOfIsEqualFold(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	changes := []string{"0", "9", "a", "f", "A", "F", "g", "G", "\u212a", " ", "\x00", "ff"}
	for range 2000 {
		var sum [sha256.Size]byte
		for i := range sum {
			sum[i] = byte(rng.Uint32())
		}
		lower := hex.EncodeToString(sum[:])
		for _, h := range []string{lower, strings.ToUpper(lower), lower[:10] + strings.ToUpper(lower[10:]), lower[1:], lower + "0"} {
			i := rng.IntN(len(h))
			for _, v := range []string{h, h[:i] + changes[rng.IntN(len(changes))] + h[i+1:]} {
				if got, want := hexOf(v, &sum), strings.EqualFold(v, lower); got != want {
					t.Fatalf("hexOf(%q) = %v, strings.EqualFold says %v", v, got, want)
				}
			}
		}
	}
}

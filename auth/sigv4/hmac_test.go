package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"math/rand/v2"
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

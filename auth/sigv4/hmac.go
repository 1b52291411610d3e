package sigv4

import "crypto/sha256"

// blockSize is SHA-256's block size, the length HMAC pads its key to.
const blockSize = 64

// hmacSHA256 computes HMAC-SHA256 (RFC 2104) of msg under key. It is crypto/hmac's
// result without crypto/hmac's allocations (a keyed hash.Hash and two digests per
// call): the inner and outer hashes are one-shot sha256.Sum256 over stack buffers, so
// it allocates nothing when msg is short (a string to sign or a scope part).
func hmacSHA256[M string | []byte](key []byte, msg M) [sha256.Size]byte {
	var k [blockSize]byte
	if len(key) > blockSize {
		sum := sha256.Sum256(key)
		copy(k[:], sum[:])
	} else {
		copy(k[:], key)
	}
	var buf [blockSize + 192]byte
	in := buf[:blockSize]
	for i, b := range k {
		in[i] = b ^ 0x36
	}
	inner := sha256.Sum256(append(in, msg...))
	var out [blockSize + sha256.Size]byte
	for i, b := range k {
		out[i] = b ^ 0x5c
	}
	copy(out[blockSize:], inner[:])
	return sha256.Sum256(out[:])
}

// deriveKey derives the key that signs requests for one day (YYYYMMDD), region and
// service with secret.
func deriveKey(secret, date, region, service string) [sha256.Size]byte {
	var buf [4 + 60]byte
	k := hmacSHA256(append(append(buf[:0], "AWS4"...), secret...), date)
	k = hmacSHA256(k[:], region)
	k = hmacSHA256(k[:], service)
	return hmacSHA256(k[:], "aws4_request")
}

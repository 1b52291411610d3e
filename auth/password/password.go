package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Argon2id holds the cost parameters. The zero value uses Default.
type Argon2id struct {
	Time    uint32 // passes
	Memory  uint32 // KiB
	Threads uint8
}

// Default follows OWASP's minimum for argon2id: 19 MiB, 2 passes, 1 lane.
var Default = Argon2id{Time: 2, Memory: 19 * 1024, Threads: 1}

func (a Argon2id) params() Argon2id {
	if a.Time == 0 || a.Memory == 0 || a.Threads == 0 {
		return Default
	}
	return a
}

// Hash returns $argon2id$v=19$m=...,t=...,p=...$salt$hash.
func (a Argon2id) Hash(pw string) (string, error) {
	p := a.params()
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, 32)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrFormat reports a hash this package did not write.
var ErrFormat = errors.New("password: not an argon2id hash")

// Verify reports whether pw matches hash, using the parameters recorded in the hash.
func (a Argon2id) Verify(pw, hash string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrFormat
	}
	var version int
	var p Argon2id
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrFormat
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, ErrFormat
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 {
		return false, ErrFormat
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

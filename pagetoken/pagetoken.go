package pagetoken

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
)

// ErrInvalid is returned for a token that was not minted by these replicas for this query.
var ErrInvalid = errors.New("pagetoken: invalid token")

// Sealer seals and opens tokens. Its zero value is not usable; use New.
type Sealer struct {
	aead cipher.AEAD
}

// New returns a Sealer for key (any length; it is hashed to an AES-256 key). Replicas
// that serve the same clients must use the same key.
func New(key []byte) *Sealer {
	k := sha256.Sum256(append([]byte("rollcall pagetoken v1\x00"), key...))
	block, err := aes.NewCipher(k[:])
	if err != nil {
		panic(err) // a 32-byte key always makes a cipher
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return &Sealer{aead: aead}
}

// NewRandom returns a Sealer with a random key, for a single process and for tests.
func NewRandom() *Sealer {
	key := make([]byte, 32)
	rand.Read(key)
	return New(key)
}

// Seal returns a URL-safe token holding cursor (marshalled as JSON), bound to scope.
func (s *Sealer) Seal(scope string, cursor any) string {
	plain, err := json.Marshal(cursor)
	if err != nil {
		panic("pagetoken: cursor does not marshal: " + err.Error())
	}
	nonce := make([]byte, s.aead.NonceSize(), s.aead.NonceSize()+len(plain)+s.aead.Overhead())
	rand.Read(nonce)
	return base64.RawURLEncoding.EncodeToString(s.aead.Seal(nonce, nonce, plain, []byte(scope)))
}

// Open unseals a token minted by Seal with the same scope into cursor. Any other token
// (forged, changed, truncated, of another scope or key) is ErrInvalid.
func (s *Sealer) Open(scope, token string, cursor any) error {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	n := s.aead.NonceSize()
	if err != nil || len(raw) < n+s.aead.Overhead() {
		return ErrInvalid
	}
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], []byte(scope))
	if err != nil {
		return ErrInvalid
	}
	if json.Unmarshal(plain, cursor) != nil {
		return ErrInvalid
	}
	return nil
}

// Scope joins the parts that identify a query (tenant, operation, filters) into one
// unambiguous scope string.
func Scope(parts ...string) string {
	b, _ := json.Marshal(parts)
	return string(b)
}

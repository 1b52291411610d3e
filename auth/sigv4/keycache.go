package sigv4

import (
	"crypto/sha256"
	"encoding/binary"
	"sync"
)

// keyCacheSize bounds the cache. A signing key serves one secret for one day, region and
// service, so a server needs about one per active access key.
const keyCacheSize = 1024

// keyCache keeps derived signing keys, which cost four HMACs each to derive. Entries are
// found by a hash of the secret, date, region and service, so a rotated secret never
// meets a stale key and no secret is kept in the clear. When full, an arbitrary entry
// makes room. The zero value is ready to use and safe for concurrent use.
type keyCache struct {
	mu   sync.RWMutex
	keys map[[sha256.Size]byte][sha256.Size]byte
}

func (c *keyCache) get(secret, date, region, service string) [sha256.Size]byte {
	var buf [256]byte
	b := buf[:0]
	for _, s := range [...]string{secret, date, region, service} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	id := sha256.Sum256(b)

	c.mu.RLock()
	k, ok := c.keys[id]
	c.mu.RUnlock()
	if ok {
		return k
	}
	k = deriveKey(secret, date, region, service)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.keys == nil {
		c.keys = make(map[[sha256.Size]byte][sha256.Size]byte)
	}
	if len(c.keys) >= keyCacheSize {
		for old := range c.keys {
			delete(c.keys, old)
			break
		}
	}
	c.keys[id] = k
	return k
}

package attrjson

import (
	"strings"
	"sync"
)

// DocCache keeps what was derived from an attribute document, keyed by the document's
// text: a product that needs a few settings of the same few documents on every create
// decodes each document once. A document's text says all of it, so a directory whose
// settings change is looked up under its new text. When Max entries are held it starts
// over. V should share nothing a caller could change (strings, values).
type DocCache[V any] struct {
	Max int

	mu sync.RWMutex
	m  map[string]V
}

// Get returns what derive made of doc, deriving it on the first call for this text.
// An error is returned, not kept.
func (c *DocCache[V]) Get(doc string, derive func() (V, error)) (V, error) {
	c.mu.RLock()
	v, ok := c.m[doc]
	c.mu.RUnlock()
	if ok {
		return v, nil
	}
	v, err := derive()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if c.m == nil || len(c.m) >= c.Max {
		c.m = make(map[string]V)
	}
	c.m[strings.Clone(doc)] = v
	c.mu.Unlock()
	return v, nil
}

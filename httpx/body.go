package httpx

import (
	"errors"
	"io"
	"net/http"
)

// MaxBodyBytes is the largest request body a face accepts. The CreateUser requests are
// well under 1 KiB; 1 MiB leaves room for tags and batch operations.
const MaxBodyBytes = 1 << 20

// ErrTooLarge reports a body over the limit.
var ErrTooLarge = errors.New("request body too large")

// ReadBody reads the whole body, up to limit bytes (ErrTooLarge past it).
func ReadBody(r *http.Request, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		return nil, ErrTooLarge
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, ErrTooLarge
	}
	return b, nil
}

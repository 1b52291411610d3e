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
	size := 512 // io.ReadAll's first buffer
	if r.ContentLength >= 0 {
		size = int(r.ContentLength) + 1 // room to read the EOF without growing
	}
	b, err := readAtMost(r.Body, limit+1, size)
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, ErrTooLarge
	}
	return b, nil
}

// readAtMost is io.ReadAll(io.LimitReader(rd, n)), its result and error the same, with
// a first buffer of size bytes: a body whose length is known is read into one buffer of
// its size, without a LimitedReader or growing a 512-byte buffer on the way.
func readAtMost(rd io.Reader, n int64, size int) ([]byte, error) {
	b := make([]byte, 0, size)
	for int64(len(b)) < n {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		room := b[len(b):cap(b)]
		if rest := n - int64(len(b)); int64(len(room)) > rest {
			room = room[:rest]
		}
		m, err := rd.Read(room)
		b = b[:len(b)+m]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
	return b, nil
}

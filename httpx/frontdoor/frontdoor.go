package frontdoor

import (
	"bytes"
	"net"
	"net/http"
	"strconv"
	"sync"
)

// MaxHeaderBytes bounds a request's header block, request line included: 64 KiB, more
// than any SDK sends (a SigV4 request carries about 1 KiB). Past it, net/http answers
// 431 Request Header Fields Too Large and closes the connection. Set it as
// http.Server.MaxHeaderBytes.
const MaxHeaderBytes = 64 << 10

// MaxURLBytes bounds a request's target (path and query): 16 KiB, twice what a front door
// such as CloudFront takes. Limit answers 414 past it.
const MaxURLBytes = 16 << 10

// Limit answers 414 URI Too Long, and closes the connection, for a request whose target
// is longer than MaxURLBytes; it passes every other request to next.
func Limit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if len(r.RequestURI) > MaxURLBytes {
			w.Header().Set("Connection", "close")
			http.Error(w, "414 URI Too Long: the request target must be at most "+strconv.Itoa(MaxURLBytes)+" bytes.", http.StatusRequestURITooLong)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// Listener wraps ln so that a request with both Content-Length and Transfer-Encoding
// (RFC 9112 section 6.1: a smuggling attempt, or a broken proxy) is answered 400 and its
// connection closed. net/http would drop Content-Length, serve the request by its
// chunked body, and keep the connection open, so that bytes a proxy took for the body
// would be served as the next request. Each connection's bytes are followed through
// every request's header block and body; nothing but a few counters is kept.
func Listener(ln net.Listener) net.Listener { return &listener{ln} }

type listener struct{ net.Listener }

func (l *listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &conn{Conn: c}, nil
}

// conn follows the framing of the requests read from it.
type conn struct {
	net.Conn
	mu      sync.Mutex // net/http reads from one goroutine at a time; this makes it sure
	f       framing
	pending []byte // bytes to hand to net/http before reading more
	dead    bool   // refused: nothing more is read
}

func (c *conn) Read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pending) > 0 {
		n := copy(p, c.pending)
		c.pending = c.pending[n:]
		return n, nil
	}
	if c.dead {
		return 0, &net.OpError{Op: "read", Net: "tcp", Err: errRefused}
	}
	n, err := c.Conn.Read(p)
	if i := c.f.scan(p[:n]); i >= 0 {
		// p[i] is the '\n' that ends the header block of a refused request. net/http
		// gets instead a header line it cannot parse, answers 400 with Connection:
		// close, and reads nothing more: the bytes after the block are never served.
		c.dead = true
		m := copy(p[i:], refusedLine)
		c.pending = []byte(refusedLine[m:])
		return i + m, nil
	}
	return n, err
}

// NetConn is the connection under c (as tls.Conn's NetConn), for a handler that
// hijacks c and resets it.
func (c *conn) NetConn() net.Conn { return c.Conn }

// CloseWrite lets net/http half-close the connection, as it does a *net.TCPConn's.
func (c *conn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// refusedLine stands in for the '\n' that ends a refused request's header block: a line
// without a colon (after the '\r' already passed on, if any), which net/http refuses as a
// malformed header with 400, then a block end.
const refusedLine = "refused Content-Length together with Transfer-Encoding\r\n\r\n"

type refusedError struct{}

func (refusedError) Error() string {
	return "frontdoor: request with both Content-Length and Transfer-Encoding refused"
}

var errRefused error = refusedError{}

// framing is where a connection's byte stream is: in a header block, or in a body of
// known length, or in a chunked body. Its zero value awaits a request line.
type framing struct {
	state       state
	line        lineBuf // the start of the current line
	requestLine bool    // the request line has been read
	http10      bool    // the request is HTTP/1.0, whose Transfer-Encoding net/http ignores
	cl, te      int     // Content-Length and Transfer-Encoding lines in this header block
	teValue     lineBuf
	clValue     lineBuf
	remaining   int64 // body or chunk bytes still to skip
	passing     bool  // framing unknown (net/http will refuse it): stop following
}

type state uint8

const (
	inHeader state = iota
	inBody
	inChunkSize
	inChunkData
	inChunkEnd // the CRLF after a chunk's data
	inTrailer
)

// lineBuf keeps the first bytes of a line: enough for any header name and a
// Content-Length or Transfer-Encoding value; a longer line's rest is only counted.
type lineBuf struct {
	b [128]byte
	n int
}

// add adds the bytes s to the line.
func (l *lineBuf) add(s []byte) {
	if l.n < len(l.b) {
		copy(l.b[l.n:], s)
	}
	l.n += len(s)
}

func (l *lineBuf) bytes() []byte   { return l.b[:min(l.n, len(l.b))] }
func (l *lineBuf) truncated() bool { return l.n > len(l.b) }

// scan follows p, the next bytes of the stream, and returns the index of the byte that
// ends the header block of a request that must be refused, or -1. It takes a line's bytes
// up to its '\n' at once (nothing but the line's end can change the framing), and skips
// a body or chunk's bytes.
func (f *framing) scan(p []byte) int {
	for i := 0; i < len(p); {
		if f.passing {
			return -1
		}
		if f.state == inBody || f.state == inChunkData {
			skip := min(f.remaining, int64(len(p)-i))
			f.remaining -= skip
			i += int(skip)
			if f.remaining == 0 {
				if f.state == inBody {
					*f = framing{}
				} else {
					f.state = inChunkEnd
				}
			}
			continue
		}
		j := bytes.IndexByte(p[i:], '\n')
		if j < 0 {
			f.line.add(p[i:])
			return -1
		}
		f.line.add(p[i : i+j])
		i += j
		if f.endLine() {
			return i
		}
		i++
	}
	return -1
}

// endLine takes the '\n' that ends a line of a header block, a chunk-size line, a chunk
// end or a trailer, and reports whether it ends the header block of a request that must
// be refused.
func (f *framing) endLine() bool {
	line := bytes.TrimSuffix(f.line.bytes(), []byte("\r"))
	truncated := f.line.truncated()
	f.line.n = 0 // the next line starts; line still reads this one's bytes, which stay
	switch f.state {
	case inHeader:
		return f.headerLine(line, truncated)
	case inChunkSize:
		f.chunkSize(line, truncated)
	case inChunkEnd:
		if len(line) != 0 {
			f.passing = true // net/http refuses it
		}
		f.state = inChunkSize
	case inTrailer:
		if len(line) == 0 && !truncated {
			*f = framing{}
		}
	}
	return false
}

// headerLine handles a line of a header block; the empty line ends it.
func (f *framing) headerLine(line []byte, truncated bool) bool {
	empty := len(line) == 0 && !truncated
	if !f.requestLine {
		f.requestLine = true
		f.http10 = !truncated && bytes.HasSuffix(line, []byte(" HTTP/1.0"))
		f.passing = empty // net/http refuses a blank request line and closes
		return false
	}
	if !empty {
		if line[0] == ' ' || line[0] == '\t' {
			return false // a continuation line: part of the previous header's value
		}
		name, value, _ := bytes.Cut(line, []byte(":"))
		switch {
		case equalFold(name, "content-length"):
			v := valueBuf(value, truncated)
			if f.cl++; f.cl > 1 && !bytes.Equal(bytes.TrimSpace(v.bytes()), bytes.TrimSpace(f.clValue.bytes())) {
				f.passing = true // net/http refuses differing lengths and closes
			}
			f.clValue = v
		case equalFold(name, "transfer-encoding"):
			f.te++
			f.teValue = valueBuf(value, truncated)
		}
		return false
	}
	// The end of the header block.
	if f.cl > 0 && f.te > 0 {
		return true
	}
	switch {
	case f.te > 0 && !f.http10:
		v := bytes.TrimSpace(f.teValue.bytes())
		if f.te > 1 || f.teValue.truncated() || !equalFold(v, "chunked") {
			f.passing = true // net/http answers 501 and closes
			return false
		}
		f.state = inChunkSize
	case f.cl > 0:
		n, err := strconv.ParseInt(string(bytes.TrimSpace(f.clValue.bytes())), 10, 64)
		if f.clValue.truncated() || err != nil || n < 0 {
			f.passing = true // net/http refuses it and closes
			return false
		}
		if n == 0 {
			*f = framing{}
			return false
		}
		f.state, f.remaining = inBody, n
	default:
		*f = framing{}
	}
	return false
}

// chunkSize handles a chunk-size line ("1a;ext=v").
func (f *framing) chunkSize(line []byte, truncated bool) {
	size, _, _ := bytes.Cut(line, []byte(";"))
	n, err := strconv.ParseInt(string(bytes.TrimSpace(size)), 16, 64)
	switch {
	case truncated || err != nil || n < 0:
		f.passing = true // net/http refuses it
	case n == 0:
		f.state = inTrailer
	default:
		f.state, f.remaining = inChunkData, n
	}
}

func valueBuf(v []byte, truncated bool) lineBuf {
	var l lineBuf
	l.add(v)
	if truncated {
		l.n = len(l.b) + 1
	}
	return l
}

// equalFold compares ASCII case-insensitively.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

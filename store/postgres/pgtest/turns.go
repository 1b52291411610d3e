package pgtest

import (
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
)

// Turns is a TCP proxy in front of a PostgreSQL server that counts round trips: the
// times a client speaks after the server has (or first), on every connection. A batch
// of pipelined statements is one turn, as it is one wait for the network.
type Turns struct {
	DSN string // the DSN given, through the proxy
	n   atomic.Int64
}

// Count returns the round trips so far.
func (p *Turns) Count() int64 { return p.n.Load() }

// NewTurns starts a proxy for dsn's server, closed when tb ends.
func NewTurns(tb testing.TB, dsn string) *Turns {
	tb.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	server := u.Host
	u.Host = ln.Addr().String()
	p := &Turns{DSN: u.String()}
	var wg sync.WaitGroup
	tb.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", server)
			if err != nil {
				c.Close()
				continue
			}
			var serverSpoke atomic.Bool
			serverSpoke.Store(true)
			wg.Go(func() {
				p.copy(s, c, func() { // client to server
					if serverSpoke.Swap(false) {
						p.n.Add(1)
					}
				})
			})
			wg.Go(func() { p.copy(c, s, func() { serverSpoke.Store(true) }) })
		}
	})
	return p
}

// copy copies from src to dst, calling spoke before each write.
func (p *Turns) copy(dst, src net.Conn, spoke func()) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 64<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			spoke()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil { // io.EOF or a closed connection: either way, done
			return
		}
	}
}

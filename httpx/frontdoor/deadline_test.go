package frontdoor_test

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rollcall/rollcall/httpx/frontdoor"
)

// countingListener's connections count the read deadlines set on them.
type countingListener struct {
	net.Listener
	n *atomic.Int64
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.n}, nil
}

type countingConn struct {
	net.Conn
	n *atomic.Int64
}

func (c countingConn) SetReadDeadline(t time.Time) error {
	c.n.Add(1)
	return c.Conn.SetReadDeadline(t)
}

func (c countingConn) SetDeadline(t time.Time) error {
	c.n.Add(1)
	return c.Conn.SetDeadline(t)
}

// TestReadDeadlinesPerRequest: net/http, with the timeouts rollcall serves with, sets a
// connection's read deadline seven times per kept-alive request (the header's, the
// body's, the background read's, its abort and reset, the idle wait's and its end); the
// front door hands on only those a read can meet: the idle wait's, the background
// read's and its abort.
func TestReadDeadlinesPerRequest(t *testing.T) {
	var n atomic.Int64
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body)
			io.WriteString(w, "ok")
		}),
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, IdleTimeout: 120 * time.Second,
	}
	go srv.Serve(frontdoor.Listener(countingListener{ln, &n}))
	defer srv.Close()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	br := bufio.NewReader(c)
	req := "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n" + strings.Repeat("b", 100)
	round := func() {
		io.WriteString(c, req)
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			t.Fatal(err)
		}
		if b, _ := io.ReadAll(resp.Body); string(b) != "ok" {
			t.Fatalf("body %q", b)
		}
	}
	round() // the connection's first request
	time.Sleep(50 * time.Millisecond)
	const reqs = 200
	before := n.Load()
	for range reqs {
		round()
	}
	time.Sleep(50 * time.Millisecond) // the last request's idle wait
	per := float64(n.Load()-before) / reqs
	t.Logf("%.2f read deadlines set on the connection per request", per)
	if per > 3.5 {
		t.Errorf("%.2f read deadlines set on the connection per request, want at most 3", per)
	}
}

// lazyConn is one end of a loopback TCP connection behind the front door, and the other.
func lazyConn(t *testing.T) (server, client net.Conn) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	fl := frontdoor.Listener(ln)
	done := make(chan net.Conn)
	go func() {
		c, _ := fl.Accept()
		done <- c
	}()
	client, err = net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	server = <-done
	t.Cleanup(func() { server.Close(); client.Close() })
	return server, client
}

// TestReadDeadlineSemantics: a read deadline set before a read holds for it (past: the
// read fails at once; later: the read waits for data), one set while a read waits ends
// that read, and SetDeadline sets the read deadline too.
func TestReadDeadlineSemantics(t *testing.T) {
	s, cl := lazyConn(t)
	buf := make([]byte, 8)

	s.SetReadDeadline(time.Now().Add(-time.Second))
	if _, err := s.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read after a past deadline: %v", err)
	}
	s.SetReadDeadline(time.Time{})
	cl.Write([]byte("a"))
	if n, err := s.Read(buf); n != 1 || err != nil {
		t.Fatalf("read after the deadline was cleared: %d, %v", n, err)
	}

	s.SetReadDeadline(time.Now().Add(50 * time.Millisecond))
	start := time.Now()
	if _, err := s.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) || time.Since(start) < 40*time.Millisecond {
		t.Fatalf("read with a deadline 50ms on: %v after %v", err, time.Since(start))
	}

	s.SetReadDeadline(time.Time{})
	var wg sync.WaitGroup
	wg.Add(1)
	var rerr error
	go func() {
		defer wg.Done()
		_, rerr = s.Read(buf)
	}()
	time.Sleep(50 * time.Millisecond) // the read waits
	s.SetReadDeadline(time.Unix(1, 0))
	wg.Wait()
	if !errors.Is(rerr, os.ErrDeadlineExceeded) {
		t.Fatalf("a waiting read, its deadline set in the past: %v", rerr)
	}

	s.SetDeadline(time.Now().Add(-time.Second))
	if _, err := s.Read(buf); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read after SetDeadline in the past: %v", err)
	}
	s.SetDeadline(time.Time{})
	cl.Write([]byte("b"))
	if n, err := s.Read(buf); n != 1 || err != nil || buf[0] != 'b' {
		t.Fatalf("read after SetDeadline cleared it: %d, %v", n, err)
	}
}

package rawhttp

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

// Exchange dials addr (host:port), writes each chunk with a write of its own and a short
// pause after it, then reads responses until the server closes the connection or wait
// passes. It returns the status of every response, and whether the server closed the
// connection (rather than leave it open past wait).
func Exchange(tb testing.TB, addr string, wait time.Duration, chunks ...string) (statuses []int, closed bool) {
	tb.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		tb.Fatal(err)
	}
	defer c.Close()
	for _, s := range chunks {
		if _, err := io.WriteString(c, s); err != nil {
			break // the server may close early
		}
		time.Sleep(5 * time.Millisecond)
	}
	c.SetReadDeadline(time.Now().Add(wait))
	br := bufio.NewReader(c)
	for {
		resp, err := http.ReadResponse(br, nil)
		if err != nil {
			ne, ok := err.(net.Error)
			return statuses, !(ok && ne.Timeout())
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		statuses = append(statuses, resp.StatusCode)
	}
}

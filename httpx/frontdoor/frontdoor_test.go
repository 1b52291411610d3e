package frontdoor_test

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rollcall/rollcall/httpx/frontdoor"
	"github.com/rollcall/rollcall/internal/rawhttp"
)

// server serves on a loopback port behind frontdoor.Listener (or not, when plain) and
// records the path of every request its handler sees, with the body it read.
func server(t *testing.T, plain bool) (addr string, seen func() []string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var paths []string
	srv := &http.Server{
		Handler: frontdoor.Limit(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			paths = append(paths, r.URL.Path+" "+string(body))
			mu.Unlock()
			io.WriteString(w, "ok")
		})),
		MaxHeaderBytes: frontdoor.MaxHeaderBytes,
	}
	if !plain {
		ln = frontdoor.Listener(ln)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String(), func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), paths...)
	}
}

const smuggled = "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"

// TestContentLengthWithTransferEncoding: a request with both is answered 400 and its
// connection closed; the bytes after its body are never served as a request, whatever
// the order, case or split of the headers.
func TestContentLengthWithTransferEncoding(t *testing.T) {
	cases := map[string][]string{
		"CL.TE":              {"POST /create HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled},
		"TE.CL":              {"POST /create HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 40\r\n\r\n0\r\n\r\n" + smuggled},
		"case":               {"POST /create HTTP/1.1\r\nHost: a\r\ncontent-length: 6\r\nTRANSFER-ENCODING: chunked\r\n\r\n0\r\n\r\n" + smuggled},
		"bare LF":            {"POST /create HTTP/1.1\nHost: a\nContent-Length: 6\nTransfer-Encoding: chunked\n\n0\r\n\r\n" + smuggled},
		"split byte by byte": strings.Split("POST /create HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"+smuggled, ""),
		"after a chunked request on the same connection": {
			"POST /first HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
			"POST /create HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled,
		},
	}
	for name, chunks := range cases {
		t.Run(name, func(t *testing.T) {
			addr, seen := server(t, false)
			statuses, closed := rawhttp.Exchange(t, addr, 2*time.Second, chunks...)
			want := []int{400}
			if strings.HasPrefix(chunks[0], "POST /first") {
				want = []int{200, 400}
			}
			if !slices.Equal(statuses, want) || !closed {
				t.Fatalf("statuses %v (closed %v), want %v then the connection closed", statuses, closed, want)
			}
			for _, p := range seen() {
				if !strings.HasPrefix(p, "/first") {
					t.Errorf("the handler served %q", p)
				}
			}
		})
	}
	t.Run("without the front door, the smuggled request is served", func(t *testing.T) {
		addr, seen := server(t, true)
		rawhttp.Exchange(t, addr, 2*time.Second, cases["CL.TE"]...)
		if got := seen(); len(got) != 2 || !strings.HasPrefix(got[1], "/smuggled") {
			t.Fatalf("net/http alone served %q: the test no longer shows what the front door is for", got)
		}
	})
}

// TestFramingFollowed: on one kept-alive connection, requests with a chunked body (with
// extensions and trailers), a Content-Length body that contains a request's text, and no
// body are all served, in order.
func TestFramingFollowed(t *testing.T) {
	addr, seen := server(t, false)
	inner := "POST /x HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n"
	statuses, _ := rawhttp.Exchange(t, addr, 2*time.Second,
		"POST /chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nwiki\r\n5\r\npedia\r\n0\r\nX-Trailer: 1\r\n\r\n",
		"POST /length HTTP/1.1\r\nHost: a\r\nContent-Length: "+strconv.Itoa(len(inner))+"\r\n\r\n"+inner,
		"GET /plain HTTP/1.1\r\nHost: a\r\n\r\n",
		"GET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
	want := []string{"/chunked wikipedia", "/length " + inner, "/plain ", "/last "}
	if got := seen(); !slices.Equal(statuses, []int{200, 200, 200, 200}) || !slices.Equal(got, want) {
		t.Fatalf("statuses %v, served %q\nwant %q", statuses, got, want)
	}
}

// TestLimits: a header block over MaxHeaderBytes is 431, a target over MaxURLBytes 414.
func TestLimits(t *testing.T) {
	addr, seen := server(t, false)
	big := "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + strings.Repeat("a", frontdoor.MaxHeaderBytes+8<<10) + "\r\n\r\n"
	if statuses, closed := rawhttp.Exchange(t, addr, 2*time.Second, big); !slices.Equal(statuses, []int{431}) || !closed {
		t.Fatalf("big header: %v (closed %v)", statuses, closed)
	}
	long := "GET /?q=" + strings.Repeat("a", frontdoor.MaxURLBytes) + " HTTP/1.1\r\nHost: a\r\n\r\n"
	if statuses, closed := rawhttp.Exchange(t, addr, 2*time.Second, long); !slices.Equal(statuses, []int{414}) || !closed {
		t.Fatalf("long URL: %v (closed %v)", statuses, closed)
	}
	ok := "GET /?q=" + strings.Repeat("a", frontdoor.MaxURLBytes-16) + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\nX-Big: " + strings.Repeat("a", 32<<10) + "\r\n\r\n"
	if statuses, _ := rawhttp.Exchange(t, addr, 2*time.Second, ok); !slices.Equal(statuses, []int{200}) || len(seen()) != 1 {
		t.Fatalf("within the limits: %v", statuses)
	}
}

// BenchmarkListener: one signed-size request (1 KiB of headers, a 100-byte body) and its
// response over a kept-alive connection, through the front door's listener or not.
func BenchmarkListener(b *testing.B) {
	for _, plain := range []bool{true, false} {
		name := "frontdoor"
		if plain {
			name = "plain"
		}
		b.Run(name, func(b *testing.B) {
			ln, _ := net.Listen("tcp", "127.0.0.1:0")
			srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.Copy(io.Discard, r.Body) })}
			if !plain {
				ln = frontdoor.Listener(ln)
			}
			go srv.Serve(ln)
			defer srv.Close()
			body := strings.Repeat("b", 100)
			req := "POST /x HTTP/1.1\r\nHost: a\r\nX-Pad: " + strings.Repeat("h", 1000) + "\r\nContent-Length: 100\r\n\r\n" + body
			c, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				b.Fatal(err)
			}
			defer c.Close()
			br := bufio.NewReader(c)
			for b.Loop() {
				io.WriteString(c, req)
				resp, err := http.ReadResponse(br, nil)
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, resp.Body)
			}
		})
	}
}

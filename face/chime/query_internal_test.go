package chime

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzParseQuery: for every query parameter the face reads, parseQuery counts the values
// r.URL.Query() holds and takes its first.
func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"operation=create", "", "operation", "operation=", "operation=a&operation=b",
		"%6Fperation=create&operation=add", "operation=a;b", "operation=a&x;y=1", "operation=%zz&operation=b",
		"%zz=1&name=x", "name=a+b&name=%20", "&&operation=create&", "user-email=a%40b&user-type=PrivateUser&max-results=1&next-token=t",
		"operation=a=b", "=x&operation", strings.Repeat("a&", maxQueryPairs) + "operation=create",
		strings.Repeat("&", 20000) + "operation=create"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q := parseQuery(raw)
		want := (&url.URL{RawQuery: raw}).Query()
		for i, k := range queryKeys {
			first := ""
			if len(want[k]) > 0 {
				first = want[k][0]
			}
			if q.n[i] != len(want[k]) || q.first[i] != first {
				t.Fatalf("%q: %s given %d times, first %q; url.Values %q", raw, k, q.n[i], q.first[i], want[k])
			}
		}
	})
}

// TestRouteAllocs: routing CreateUser allocates only the path's segments (it made
// url.Values, 4 allocations, before).
func TestRouteAllocs(t *testing.T) {
	r := httptest.NewRequest("POST", "/accounts/5f0e8ac0-0000-4000-8000-000000000000/users?operation=create", nil)
	f := &Face{}
	if rt, ok := f.route(r); !ok || rt.op != "CreateUser" {
		t.Fatalf("routed to %q", rt.op)
	}
	if n := testing.AllocsPerRun(100, func() { f.route(r) }); n > 1 {
		t.Errorf("routing CreateUser allocates %v times, want at most 1", n)
	}
}

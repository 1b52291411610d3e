package audit_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/rollcall/rollcall/audit"
)

const h = `"HIDDEN_DUE_TO_SECURITY_REASONS"`

func TestScrubHidesSecretsByName(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"plain", `{"Username":"ada","Password":"hunter2"}`, `{"Username":"ada","Password":` + h + `}`},
		{"lower case and spaces", `{ "password" : "x" , "givenName" : "Ada" }`, `{"password":` + h + `,"givenName":"Ada"}`},
		{"odd cases", `{"PaSsWoRd":"a","CLIENTSECRET":"b","personalPin":"c","SeSsIoNtOkEn":"d"}`,
			`{"PaSsWoRd":` + h + `,"CLIENTSECRET":` + h + `,"personalPin":` + h + `,"SeSsIoNtOkEn":` + h + `}`},
		{"separators", `{"access_token":"a","refresh-token":"b","client.secret":"c","X-Amz-Security-Token":"d","new password":"e"}`,
			`{"access_token":` + h + `,"refresh-token":` + h + `,"client.secret":` + h + `,"X-Amz-Security-Token":` + h + `,"new password":` + h + `}`},
		{"the APIs' names", `{"ClientSecret":"a","PersonalPIN":"12345678","SessionToken":"b","AuthenticationToken":"c","Authorization":"AWS4-HMAC-SHA256 ...","SecretAccessKey":"d","TemporaryPassword":"e"}`,
			`{"ClientSecret":` + h + `,"PersonalPIN":` + h + `,"SessionToken":` + h + `,"AuthenticationToken":` + h + `,"Authorization":` + h + `,"SecretAccessKey":` + h + `,"TemporaryPassword":` + h + `}`},
		{"escaped name", `{"Pass\u0077ord":"x","\u0070in":"y","pass\\word":"a backslash is not a separator"}`,
			`{"Pass\u0077ord":` + h + `,"\u0070in":` + h + `,"pass\\word":"a backslash is not a separator"}`},
		{"unicode folding", `{"ſecret":"long s","PASSWORD":"x","K":"kelvin is not a secret"}`, `{"ſecret":` + h + `,"PASSWORD":` + h + `,"K":"kelvin is not a secret"}`},
		{"any value kind", `{"password":{"a":[1,{"b":"}"}]},"token":[1,2,"]"],"pin":1234,"secret":null,"x":true}`,
			`{"password":` + h + `,"token":` + h + `,"pin":` + h + `,"secret":` + h + `,"x":true}`},
		{"nested objects and arrays of objects", `{"Users":[{"Email":"a@b","Password":"p1"},{"Email":"c@d","Password":"p2","Nested":{"ClientSecret":"s"}}]}`,
			`{"Users":[{"Email":"a@b","Password":` + h + `},{"Email":"c@d","Password":` + h + `,"Nested":{"ClientSecret":` + h + `}}]}`},
		{"a secret's value is not a name", `{"note":"password","list":["token","secret"],"Password":"Password"}`,
			`{"note":"password","list":["token","secret"],"Password":` + h + `}`},
		{"string values that look like JSON", `{"a":"{\"password\":\"x\"}","password":"\"},{"}`, `{"a":"{\"password\":\"x\"}","password":` + h + `}`},
		{"backslashes before a quote", `{"a\\\\":"x\\","b":"\\\"","password":"\\\\\"y"}`, `{"a\\\\":"x\\","b":"\\\"","password":` + h + `}`},
		{"long strings", `{"` + strings.Repeat("n", 40) + `":"` + strings.Repeat("v\\\"", 20) + `","x-secret":"` + strings.Repeat("s", 40) + `"}`,
			`{"` + strings.Repeat("n", 40) + `":"` + strings.Repeat("v\\\"", 20) + `","x-secret":` + h + `}`},
		{"paging and idempotency tokens stay", `{"NextToken":"n","ClientToken":"c","MaxResults":10}`, `{"NextToken":"n","ClientToken":"c","MaxResults":10}`},
		{"not secrets", `{"Email":"a@b","UserType":"PrivateUser","TokenKind":"access","AccessKeyId":"AKIA","Pinned":true,"EmailStatus":"Sent"}`,
			`{"Email":"a@b","UserType":"PrivateUser","TokenKind":"access","AccessKeyId":"AKIA","Pinned":true,"EmailStatus":"Sent"}`},
		{"duplicate members", `{"password":"a","password":"b"}`, `{"password":` + h + `,"password":` + h + `}`},
		{"not an object", `["password",{"password":1}]`, `["password",{"password":` + h + `}]`},
		{"scalar", `"password"`, `"password"`},
		{"whitespace everywhere", "\n{\t\"a\" :\r[ 1 , 2 ] ,\"password\"\n:\n\"x\"\n}\n", `{"a":[1,2],"password":` + h + `}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := audit.Scrub([]byte(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tc.want {
				t.Errorf("Scrub(%s)\n got %s\nwant %s", tc.in, got, tc.want)
			}
			if !json.Valid(got) {
				t.Errorf("not JSON: %s", got)
			}
		})
	}
}

func TestScrubExtraNames(t *testing.T) {
	got, err := audit.Scrub([]byte(`{"grant_type":"authorization_code","code":"abc","Code":"def","errorCode":"x"}`), "code")
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"grant_type":"authorization_code","code":` + h + `,"Code":` + h + `,"errorCode":"x"}`; string(got) != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestScrubOmits(t *testing.T) {
	big := `{"Description":"` + strings.Repeat("x", audit.MaxElementSize) + `"}`
	for _, tc := range []struct{ name, in string }{
		{"not JSON", `{"password":"x"`},
		{"trailing garbage", `{"a":1} {"b":2}`},
		{"larger than 100 KB", big},
		{"deeper than MaxDepth", strings.Repeat("[", audit.MaxDepth+1) + strings.Repeat("]", audit.MaxDepth+1)},
		{"hostile depth", strings.Repeat(`{"a":`, 100000) + "1" + strings.Repeat("}", 100000)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := audit.Scrub([]byte(tc.in))
			if !errors.Is(err, audit.ErrOmitted) {
				t.Fatalf("err = %v, want ErrOmitted", err)
			}
			if string(got) != `{"omitted":true}` {
				t.Errorf("got %s", got)
			}
		})
	}
	// At the limit, after scrubbing: a large password no longer counts.
	justUnder := `{"Password":"` + strings.Repeat("p", 2*audit.MaxElementSize) + `","a":"` + strings.Repeat("x", audit.MaxElementSize-100) + `"}`
	got, err := audit.Scrub([]byte(justUnder))
	if err != nil || !strings.Contains(string(got), h) || len(got) > audit.MaxElementSize {
		t.Errorf("a large secret: err %v, %d bytes", err, len(got))
	}
	// MaxDepth itself is kept.
	deep := strings.Repeat(`{"a":`, audit.MaxDepth-1) + `{"password":1}` + strings.Repeat("}", audit.MaxDepth-1)
	got, err = audit.Scrub([]byte(deep))
	if err != nil || !strings.Contains(string(got), `"password":`+h) {
		t.Errorf("depth %d: err %v, %.80s", audit.MaxDepth, err, got)
	}
}

// FuzzScrub: whatever the input, Scrub answers valid JSON, never keeps a value under a
// secret name, and keeps everything else (the scrubbed document decodes to the input's
// decoding with secrets replaced).
func FuzzScrub(f *testing.F) {
	for _, s := range []string{`{"password":"x"}`, `[{"a":{"token":[1,"2"]}},"pin"]`, `{"Pa\u0073sword":{"x":"}"}}`, `1`, `""`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := audit.Scrub([]byte(in))
		if err != nil {
			if string(got) != `{"omitted":true}` {
				t.Fatalf("omitted as %s", got)
			}
			return
		}
		want, err := decode([]byte(in))
		if err != nil {
			t.Fatalf("kept invalid JSON %q", in)
		}
		have, err := decode(got)
		if err != nil {
			t.Fatalf("Scrub(%q) = %q: %v", in, got, err)
		}
		hide(want)
		w, _ := json.Marshal(want)
		g, _ := json.Marshal(have)
		if string(w) != string(g) {
			t.Fatalf("Scrub(%q)\n got %s\nwant %s", in, g, w)
		}
	})
}

// decode decodes one JSON document, numbers as written.
func decode(b []byte) (any, error) {
	d := json.NewDecoder(strings.NewReader(string(b)))
	d.UseNumber()
	var v any
	return v, d.Decode(&v)
}

// hide is a slow, obviously right model of Scrub's walk over decoded JSON. Which names
// are secrets it asks Scrub of a one-member object (TestScrubHidesSecretsByName checks
// that rule): the fuzzing is after the scanner, which must find every member name at any
// depth and copy everything else unchanged.
func hide(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			if isSecret(k) {
				v[k] = audit.Hidden
			} else {
				hide(x)
			}
		}
	case []any:
		for _, x := range v {
			hide(x)
		}
	}
}

func isSecret(k string) bool {
	got, err := audit.Scrub([]byte(`{` + mustJSON(k) + `:0}`))
	return err == nil && strings.Contains(string(got), audit.Hidden)
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// A name hidden as one of a call's extra names is not hidden in another call's
// elements, before or after (Scrub remembers what it decided for a name, but only
// without extra names); and a remembered name is still hidden.
func TestScrubRemembersWithoutExtra(t *testing.T) {
	for i, c := range []struct {
		extra []string
		want  string
	}{
		{nil, `{"code":"abc","Password":"HIDDEN_DUE_TO_SECURITY_REASONS"}`},
		{[]string{"code"}, `{"code":"HIDDEN_DUE_TO_SECURITY_REASONS","Password":"HIDDEN_DUE_TO_SECURITY_REASONS"}`},
		{nil, `{"code":"abc","Password":"HIDDEN_DUE_TO_SECURITY_REASONS"}`},
	} {
		got, err := audit.Scrub([]byte(`{"code":"abc","Password":"p"}`), c.extra...)
		if err != nil || string(got) != c.want {
			t.Errorf("%d: Scrub with %v = %s, %v; want %s", i, c.extra, got, err, c.want)
		}
	}
}

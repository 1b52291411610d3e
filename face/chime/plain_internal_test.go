package chime

import (
	"testing"

	"github.com/rollcall/rollcall/face/awsx"
	"github.com/rollcall/rollcall/httpx"
)

// plainSeeds are CreateUser bodies of every kind: the plain form and its neighbours
// that decodePlain must leave to httpx.DecodeJSON.
var plainSeeds = []string{
	`{"Email":"ada@example.com","UserType":"PrivateUser"}`,
	` {"Email" : "ada@example.com" ,"Username":"ada", "UserType":"SharedDevice"}` + "\r\n\t",
	`{}`, `{ }`, ``, ` `, `null`, `[]`, `{"Email":""}`, `{"Username":"a b"}`,
	`{"Email":null}`, `{"Email":1}`, `{"Email":["a"]}`, `{"Email":"a","Email":"b"}`,
	`{"email":"ada@example.com"}`, `{"EMAIL":"a"}`, `{"Other":"x"}`, `{"Email":"a",}`,
	`{"Email":"a"}x`, `{"Email":"a"}{}`, `{"Email":"a\u0041"}`, `{"Email":"a\"b"}`,
	`{"Email":"é"}`, "{\"Email\":\"a\xffb\"}", "{\"Email\":\"a\x01\"}", "{\"Email\":\"a\x7f\"}",
	`{"Email":"a"`, `{"Email":"a",`, `{"Email":`, `{"Email"`, `{"Email" "a"}`, `{,}`,
	`{"Email":"a" "Username":"b"}`, `{"E\u006dail":"a"}`, `{"UserType":"PrivateUser","UserType":"PrivateUser"}`,
}

// FuzzDecodePlain: decode reads every body as httpx.DecodeJSON does, to the same
// members or the same error, whether or not the plain path took it.
func FuzzDecodePlain(f *testing.F) {
	for _, s := range plainSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var got, want createUserRequest
		err := got.decode(body)
		wantErr := httpx.DecodeJSON(body, &want)
		if (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
			t.Fatalf("%q: decode says %v, DecodeJSON %v", body, err, wantErr)
		}
		for i, p := range [][2]*string{{got.Email, want.Email}, {got.Username, want.Username}, {got.UserType, want.UserType}} {
			if (p[0] == nil) != (p[1] == nil) || p[0] != nil && *p[0] != *p[1] {
				t.Fatalf("%q: member %d is %v, DecodeJSON's %v", body, i, awsx.Deref(p[0]), awsx.Deref(p[1]))
			}
		}
	})
}

// TestDecodePlain: the SDKs' body takes the plain path, in two allocations (the request
// and the body's copy; the reflective decoder made 5), and a body the plain path gives up
// on part way leaves nothing of what it read.
func TestDecodePlain(t *testing.T) {
	body := []byte(`{"Email":"ada@example.com","UserType":"PrivateUser"}`)
	var req createUserRequest
	if !req.decodePlain(body) || awsx.Deref(req.Email) != "ada@example.com" || req.Username != nil || awsx.Deref(req.UserType) != "PrivateUser" {
		t.Fatalf("decodePlain = %+v", req)
	}
	if n := testing.AllocsPerRun(100, func() {
		var req createUserRequest
		if err := req.decode(body); err != nil {
			t.Fatal(err)
		}
	}); n > 2 {
		t.Errorf("decoding CreateUser's body allocates %v times, want at most 2", n)
	}
	req = createUserRequest{}
	if err := req.decode([]byte(`{"Email":"ada@example.com","Username":null}`)); err != nil || awsx.Deref(req.Email) != "ada@example.com" || req.Username != nil || req.UserType != nil {
		t.Fatalf("decode of a body with a null = %+v, %v", req, err)
	}
}
